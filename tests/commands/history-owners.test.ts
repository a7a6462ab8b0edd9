import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALICE, createTestApp, textOf } from "../helpers/app.ts";

describe("history", () => {
  let app: ReturnType<typeof createTestApp>;
  beforeEach(() => {
    app = createTestApp();
  });
  afterEach(() => app.close());

  it("shows the latest check-ins newest first with what each changed, in the reader's zone", async () => {
    app.setNow(new Date("2022-01-01T09:00:00Z"));
    await app.run("update IV.KR2 on-track trainers=10 first cohort");
    app.setNow(new Date("2022-01-08T09:30:00Z"));
    await app.run("update IV.KR2 at-risk trainers=12 slow second cohort");
    const r = await app.run("history IV.KR2");
    const entries = r.blocks
      .filter((b) => b.kind === "text")
      .map((b) => (b.kind === "text" ? b.markdown : ""));
    expect(entries).toEqual([
      "*2022-01-08 10:30* Alice: on track → at risk · 4% → 5% · trainers 10 → 12\n> slow second cohort",
      "*2022-01-01 10:00* Alice: no status yet → on track · — → 4% · trainers 10\n> first cohort",
    ]);
  });

  it("limits to the requested count", async () => {
    for (let i = 1; i <= 4; i++) await app.run(`update II.KR1 ${i * 10}%`);
    const r = await app.run("history II.KR1 2");
    expect(r.summary).toBe("II.KR1: 2 check-ins");
  });

  it("says when there are none yet", async () => {
    expect(textOf(await app.run("history V.KR1"))).toContain("No check-ins yet");
  });
});

describe("owners", () => {
  let app: ReturnType<typeof createTestApp>;
  beforeEach(() => {
    app = createTestApp();
  });
  afterEach(() => app.close());

  it("adds, lists and removes an owner, auditing each change", async () => {
    expect((await app.run("owner IV.KR2 add @bob")).tone).toBe("success");
    expect(textOf(await app.run("owners IV.KR2"))).toContain("Owners: bob");
    expect((await app.run("owner IV.KR2 remove @bob")).tone).toBe("success");
    expect(textOf(await app.run("owners IV.KR2"))).toContain("has no owners yet");
    const actions = app.store.db.$client
      .prepare("select action, entity, actor from audit_log where action like 'owner.%' order by id")
      .all();
    expect(actions).toEqual([
      { action: "owner.add", entity: "kr:IV.KR2", actor: "alice" },
      { action: "owner.remove", entity: "kr:IV.KR2", actor: "alice" },
    ]);
  });

  it("accepts the action before the KR and platform mentions", async () => {
    await app.run("owner add 4.2 <@U123|carol>");
    expect(textOf(await app.run("owners IV.KR2"))).toContain("carol");
  });

  it("does not add the same owner twice", async () => {
    await app.run("owner IV.KR2 add @bob");
    const before = app.snapshot();
    const r = await app.run("owner IV.KR2 add @bob");
    expect(textOf(r)).toContain("already owns");
    expect(app.snapshot()).toBe(before);
  });

  it("refuses to remove someone who is not an owner, naming the owners", async () => {
    await app.run("owner IV.KR2 add @bob");
    const r = await app.run("owner IV.KR2 remove @dave");
    expect(r.tone).toBe("error");
    expect(textOf(r)).toContain("Its owners: bob");
  });

  it("finds a known member by display name", async () => {
    await app.run("update II.KR1 10%", ALICE);
    await app.run("owner II.KR1 add @Alice", { id: "bob", name: "Bob", isAdmin: true });
    const kr = (await app.store.keyResults.list(1)).find((k) => k.code === "II.KR1");
    expect(kr?.owners.map((o) => o.platformUserId)).toEqual(["alice"]);
  });
});
