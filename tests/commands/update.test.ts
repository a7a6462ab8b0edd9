import { afterEach, describe, expect, it } from "vitest";
import { ALICE, createTestApp, textOf } from "../helpers/app.ts";

describe("update", () => {
  let app = createTestApp();
  afterEach(async () => {
    await app.close();
    app = createTestApp();
  });

  it("records status, metric values with thousands separators and a note", async () => {
    const r = await app.run(
      "/kr update IV.KR2 on-track trainers=25 teachers_reached=5,200 Cohort 3 certified",
    );
    expect(r.tone).toBe("success");
    expect(r.visibility).toBe("channel");
    const [kr] = (await app.store.keyResults.list(1)).filter((k) => k.code === "IV.KR2");
    expect(kr?.status).toBe("on_track");
    expect(kr?.metrics.find((m) => m.key === "trainers")?.current).toBe(25);
    expect(kr?.metrics.find((m) => m.key === "teachers_reached")?.current).toBe(5200);
    expect(kr?.lastNote).toBe("Cohort 3 certified");
    // (25/40 + 5200/7000 + 0 + 0 + 0 + 0) / 6
    expect(kr?.progress).toBeCloseTo((25 / 40 + 5200 / 7000) / 6, 10);
    expect(textOf(r)).toContain("25 / 40 trainers");
  });

  it("stores the values each check-in replaced", async () => {
    await app.run("update IV.KR2 trainers=10");
    await app.run("update IV.KR2 trainers=25");
    const [kr] = (await app.store.keyResults.list(1)).filter((k) => k.code === "IV.KR2");
    const [latest, first] = await app.store.checkIns.list(1, kr?.id as number, 5);
    expect(latest?.values).toEqual([
      { key: "trainers", label: "Certified RWC trainers", value: 25, previous: 10 },
    ]);
    expect(first?.values[0]?.previous).toBeNull();
  });

  it("records a retried request exactly once", async () => {
    const first = await app.run("update II.KR1 at-risk 40% waiting", ALICE, "req-1");
    const before = app.snapshot();
    const again = await app.run("update II.KR1 at-risk 40% waiting", ALICE, "req-1");
    expect(app.snapshot()).toBe(before);
    expect(first.tone).toBe("success");
    expect(textOf(again)).toContain("already recorded");
  });

  it("tracks a KR without metrics by reported percent", async () => {
    await app.run("update 2.1 at-risk 40% waiting on legal review");
    const kr = (await app.store.keyResults.list(1)).find((k) => k.code === "II.KR1");
    expect(kr?.progress).toBeCloseTo(0.4);
    expect(kr?.status).toBe("at_risk");
  });

  it("keeps the previous status when a check-in names none", async () => {
    await app.run("update 2.1 at-risk 40%");
    await app.run("update 2.1 50%");
    const kr = (await app.store.keyResults.list(1)).find((k) => k.code === "II.KR1");
    expect(kr?.status).toBe("at_risk");
    expect(kr?.progress).toBeCloseTo(0.5);
  });

  it("writes an audit entry with old and new values", async () => {
    await app.run("update IV.KR2 trainers=25");
    const rows = app.store.db.$client
      .prepare("select actor, action, entity, old_value, new_value from audit_log where action = 'checkin'")
      .all() as Record<string, string>[];
    expect(rows).toHaveLength(1);
    expect(rows[0]?.actor).toBe("alice");
    expect(rows[0]?.entity).toBe("kr:IV.KR2");
    expect(JSON.parse(rows[0]?.old_value as string).values).toEqual({ trainers: null });
    expect(JSON.parse(rows[0]?.new_value as string).values).toEqual({ trainers: 25 });
  });
});
