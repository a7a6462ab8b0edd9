import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Block } from "../../src/core/reply.ts";
import { ALICE, createTestApp, textOf } from "../helpers/app.ts";

const BOB = { id: "bob", name: "Bob", isAdmin: true };

describe("status", () => {
  let app: ReturnType<typeof createTestApp>;
  beforeEach(() => {
    app = createTestApp();
  });
  afterEach(() => app.close());

  const progressLabels = (blocks: Block[]) =>
    blocks
      .filter((b) => b.kind === "progress")
      .map((b) => (b.kind === "progress" ? b.label.split(" ")[0] : ""));

  it("shows every KR grouped under its objective, in plan order", async () => {
    const r = await app.run("status");
    const headings = r.blocks
      .filter((b) => b.kind === "heading")
      .map((b) => (b.kind === "heading" ? b.text : ""));
    expect(headings.slice(1).map((h) => h.split(".")[0])).toEqual(["I", "II", "III", "IV", "V"]);
    expect(progressLabels(r.blocks)).toHaveLength(15);
    const iv = r.blocks.findIndex((b) => b.kind === "heading" && b.text.startsWith("IV."));
    expect(r.blocks[iv + 1]).toMatchObject({ kind: "progress", label: expect.stringMatching(/^IV\.KR1 /) });
  });

  it("shows code, title, status, progress, pace, check-in age and owners on each line", async () => {
    await app.run("owner IV.KR2 add @bob");
    await app.run("update IV.KR2 on-track trainers=20");
    app.setNow(new Date("2022-01-04T00:00:00Z"));
    const r = await app.run("status IV");
    const line = r.blocks.find((b) => b.kind === "progress" && b.label.startsWith("IV.KR2"));
    expect(line).toMatchObject({
      kind: "progress",
      label: "IV.KR2 Reading Wikipedia in the Classroom expansion",
      status: "on_track",
      note: "on track · 8% · 43 pts behind (expected 51%) · checked in 3 days ago · bob",
    });
  });

  it("marks KRs stale after 7 days without a check-in", async () => {
    await app.run("update II.KR1 40%");
    app.setNow(new Date("2022-01-09T00:00:01Z"));
    const r = await app.run("status II");
    expect(textOf(r)).toContain("checked in 8 days ago (stale)");
  });

  it("shows one KR in detail with metrics against their targets", async () => {
    await app.run("update IV.KR2 on-track trainers=25 teachers_reached=5,200 Cohort 3 certified");
    const r = await app.run("status 4.2");
    const text = textOf(r);
    expect(text).toContain("25 / 40 trainers");
    expect(text).toContain("5,200 / 7,000 teachers");
    expect(text).toContain("— / 600 certificates");
    expect(text).toContain("Pace: ");
    expect(text).toContain("Latest note: Cohort 3 certified");
  });

  it("filters by team, case-insensitively", async () => {
    const r = await app.run("status team global data & insights");
    expect(progressLabels(r.blocks)).toEqual(["III.KR4", "IV.KR1", "IV.KR2"]);
  });

  it("shows the KRs a mentioned user owns, and the caller's own with mine", async () => {
    await app.run("owner I.KR1 add @bob");
    await app.run("owner V.KR4 add @alice", BOB);
    expect(progressLabels((await app.run("status @bob")).blocks)).toEqual(["I.KR1"]);
    expect(progressLabels((await app.run("status mine", ALICE)).blocks)).toEqual(["V.KR4"]);
  });

  it("says so when the caller owns nothing", async () => {
    const r = await app.run("status mine");
    expect(r.tone).toBe("info");
    expect(textOf(r)).toContain("You don't own any key results yet");
  });

  it("is ephemeral and never writes", async () => {
    await app.run("list");
    const before = app.snapshot();
    const r = await app.run("status");
    expect(r.visibility).toBe("ephemeral");
    expect(app.snapshot()).toBe(before);
  });
});
