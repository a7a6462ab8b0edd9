import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Actor } from "../../src/core/invocation.ts";
import { ALICE, BOB, createTestApp, textOf } from "../helpers/app.ts";

const CARA: Actor = { id: "cara", name: "Cara" };

describe("who may change what", () => {
  let app: ReturnType<typeof createTestApp>;
  beforeEach(async () => {
    app = createTestApp();
    await app.run("list");
  });
  afterEach(() => app.close());

  it("lets anyone read status, history, lists and owners", async () => {
    for (const line of [
      "status",
      "status IV.KR2",
      "list",
      "history IV.KR2",
      "owners IV.KR2",
      "team Growth",
      "settings",
    ]) {
      expect((await app.run(line, BOB)).tone, line).not.toBe("error");
    }
  });

  it("refuses a check-in from someone who is not an owner, team member or admin, saying who can", async () => {
    const before = app.snapshot();
    const r = await app.run("update IV.KR2 trainers=5", BOB);
    expect(r.tone).toBe("error");
    expect(textOf(r)).toContain("only its owners, members of its teams, or a workspace admin can");
    expect(textOf(r)).toContain("Teams: Growth, Inuka, Campaigns");
    expect(app.snapshot()).toBe(before);
  });

  it("lets owners, team members and admins check in", async () => {
    await app.run("owner IV.KR2 add @bob");
    expect((await app.run("update IV.KR2 trainers=5", BOB)).tone).toBe("success");
    await app.run("team Inuka add @cara");
    expect((await app.run("update IV.KR1 pilots=1", CARA)).tone).toBe("success");
    expect((await app.run("update V.KR1 10%", ALICE)).tone).toBe("success");
    expect((await app.run("update V.KR1 20%", CARA)).tone).toBe("error");
  });

  it("treats KRBOT_ADMINS entries as admins", async () => {
    const other = createTestApp({ admins: ["shell:cara"] });
    expect((await other.run("update V.KR1 20%", CARA)).tone).toBe("success");
    await other.close();
  });

  it("lets anyone update once an admin opens updates, and only admins change that", async () => {
    expect((await app.run("settings updates anyone", BOB)).tone).toBe("error");
    expect((await app.run("settings updates anyone", ALICE)).tone).toBe("success");
    expect((await app.run("update V.KR1 20%", BOB)).tone).toBe("success");
    await app.run("settings updates restricted", ALICE);
    expect((await app.run("update V.KR1 30%", BOB)).tone).toBe("error");
  });

  it("lets only owners or admins change owners", async () => {
    const r = await app.run("owner IV.KR2 add @bob", BOB);
    expect(r.tone).toBe("error");
    expect(textOf(r)).toContain("Only IV.KR2's owners or a workspace admin can add owners of IV.KR2");
    await app.run("owner IV.KR2 add @bob", ALICE);
    expect((await app.run("owner IV.KR2 add @cara", BOB)).tone).toBe("success");
  });

  it("lets only admins change digests, team membership, settings and export", async () => {
    const before = app.snapshot();
    for (const line of [
      "digest here",
      "digest off",
      "team Growth add @bob",
      "settings timezone Europe/Berlin",
      "export",
    ]) {
      const r = await app.run(line, BOB);
      expect(r.tone, line).toBe("error");
      expect(textOf(r), line).toContain("Only a workspace admin can");
    }
    expect(app.snapshot()).toBe(before);
  });
});

describe("undo", () => {
  let app: ReturnType<typeof createTestApp>;
  beforeEach(() => {
    app = createTestApp({ now: new Date("2022-01-01T10:00:00Z") });
  });
  afterEach(() => app.close());
  const kr = async (code: string) => (await app.store.keyResults.list(1)).find((k) => k.code === code);

  it("takes back the author's last check-in within 15 minutes, restoring what it replaced", async () => {
    await app.run("update IV.KR2 on-track trainers=10 first");
    app.setNow(new Date("2022-01-01T10:05:00Z"));
    await app.run("update IV.KR2 at-risk trainers=12 teachers_reached=100 second");
    app.setNow(new Date("2022-01-01T10:15:00Z"));
    const r = await app.run("undo");
    expect(r.summary).toBe(
      "Undid your check-in on IV.KR2: back to on track, 4% (trainers 10, teachers_reached —).",
    );
    const after = await kr("IV.KR2");
    expect(after?.status).toBe("on_track");
    expect(after?.metrics.find((m) => m.key === "trainers")?.current).toBe(10);
    expect(after?.metrics.find((m) => m.key === "teachers_reached")?.current).toBeNull();
    expect(after?.lastNote).toBe("first");
    expect(textOf(await app.run("history IV.KR2"))).toContain("(undone)");
    const audit = app.store.db.$client
      .prepare("select action from audit_log where action = 'checkin.undo'")
      .all();
    expect(audit).toHaveLength(1);
  });

  it("refuses after 15 minutes, when someone else checked in since, or when there is nothing", async () => {
    expect((await app.run("undo")).summary).toBe("You have no check-in to undo.");
    await app.run("update II.KR1 40%");
    app.setNow(new Date("2022-01-01T10:16:00Z"));
    expect(textOf(await app.run("undo"))).toContain("16 minutes old");
    app.setNow(new Date("2022-01-01T10:17:00Z"));
    await app.run("update III.KR1 10%");
    await app.run("update III.KR1 20%", { id: "bob", name: "Bob", isAdmin: true });
    const r = await app.run("undo");
    expect(textOf(r)).toContain("Someone checked in on III.KR1 after you");
  });
});

describe("export", () => {
  it("gives an admin every check-in as a CSV file with metric columns", async () => {
    const app = createTestApp();
    await app.run("update IV.KR2 on-track trainers=25 teachers_reached=5,200 Cohort 3");
    await app.run('update II.KR1 40% said "hi", then =cmd()');
    const r = await app.run("export");
    const [file] = r.files ?? [];
    expect(file?.name).toMatch(/^krbot-checkins-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = new TextDecoder().decode(file?.bytes);
    const [header, first, second] = csv.trim().split("\r\n");
    expect(header).toBe(
      "time,kr,author_id,author,status,progress_pct,reported_pct,teachers_reached,trainers,note,undone",
    );
    expect(first).toContain(",IV.KR2,alice,Alice,on_track,");
    expect(first).toContain(",5200,25,Cohort 3,");
    expect(second).toContain('"said ""hi"", then =cmd()"');
    await app.close();
  });
});

describe("workspace isolation", () => {
  it("keeps every command in workspace B away from workspace A's data", async () => {
    const app = createTestApp({ platform: "slack", workspaceId: "TA" });
    const a = app.invocation("update IV.KR2 on-track trainers=25 secret-a", { id: "U0ALICE", name: "alice" });
    await app.core.dispatch(a);
    await app.core.dispatch(app.invocation("owner IV.KR2 add <@UA1|ann>", { id: "U0ALICE", name: "alice" }));
    const inB = (text: string) =>
      app.core.dispatch({
        ...app.invocation(text, { id: "U0ALICE", name: "alice" }),
        workspace: { platform: "slack", id: "TB" },
      });
    const aBefore = JSON.stringify(await app.store.keyResults.list(1));
    for (const line of [
      "status",
      "status IV.KR2",
      "status @ann",
      "history IV.KR2",
      "owners IV.KR2",
      "list",
      "digest preview",
      "export",
      "team Growth",
      "undo",
    ]) {
      const r = await inB(line);
      expect(JSON.stringify(r), line).not.toContain("secret-a");
      expect(JSON.stringify(r), line).not.toContain("25 / 40");
      expect(JSON.stringify(r), line).not.toContain("UA1");
    }
    for (const line of [
      "update IV.KR2 trainers=1",
      "owner IV.KR2 remove <@UA1|ann>",
      "digest here",
      "snooze IV.KR2 until 2099-01-01",
      "settings updates anyone",
    ]) {
      await inB(line);
    }
    expect(JSON.stringify(await app.store.keyResults.list(1))).toBe(aBefore);
    expect((await app.store.workspaces.settings(1)).openUpdates).toBe(false);
    expect(await app.store.schedules.listDigests(1)).toEqual([]);
    await app.close();
  });
});
