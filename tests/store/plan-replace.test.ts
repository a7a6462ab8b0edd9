import { afterEach, describe, expect, it } from "vitest";
import type { Plan } from "../../src/domain/plan.ts";
import { BUNDLED_PLAN_PATH, readPlanFile } from "../../src/plan/plan-file.ts";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite/index.ts";

const bundled = readPlanFile(BUNDLED_PLAN_PATH);
const ADMIN = { platformUserId: "admin", displayName: "Admin" };

describe("importPlan with replace (store)", () => {
  const stores: SqliteStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });

  async function setup() {
    const store = openSqliteStore(":memory:");
    stores.push(store);
    const ws = await store.workspaces.ensure({ platform: "shell", id: "local" });
    await store.plans.import(ws.id, bundled, { actor: "test" });
    const kr = async (code: string) => {
      const found = (await store.keyResults.list(ws.id)).find((k) => k.code === code);
      if (!found) throw new Error(`${code} missing`);
      return found;
    };
    return { store, ws, kr };
  }

  const digest = (channelId: string, scope: { kind: "objective" | "team"; value: string }) => ({
    channelId,
    weekday: 1,
    time: "09:00",
    timezone: null,
    scope,
    createdBy: "admin",
    activeFrom: new Date("2027-01-01T00:00:00Z"),
  });

  it("drops a removed objective with its KRs and digest, keeps the rest, and moves objectives between goals", async () => {
    const { store, ws, kr } = await setup();
    const iv2 = await kr("IV.KR2");
    await store.owners.add(ws.id, iv2.id, { platformUserId: "zoe", displayName: "Zoe" }, ADMIN);
    await store.schedules.upsertDigest(ws.id, digest("C-IV", { kind: "objective", value: "IV" }));
    await store.schedules.upsertDigest(ws.id, digest("C-V", { kind: "objective", value: "V" }));
    await store.schedules.upsertDigest(ws.id, digest("C-GROWTH", { kind: "team", value: "Growth" }));

    const next: Plan = structuredClone(bundled);
    next.objectives = next.objectives.filter((o) => o.code !== "V");
    next.goals.push({ key: "new-goal", title: "A new goal", description: "" });
    (next.objectives[0] as Plan["objectives"][number]).goal = "new-goal";
    const result = await store.plans.import(ws.id, next, { actor: "test", replace: true });

    expect(result.replaced?.key).toBe(bundled.id);
    expect(result.deleted.keyResults).toEqual(["V.KR1", "V.KR2", "V.KR3", "V.KR4"]);
    expect(result.deleted.digests).toEqual([{ channelId: "C-V", scope: "objective V" }]);
    expect((await store.schedules.listDigests(ws.id)).map((d) => d.channelId).sort()).toEqual([
      "C-GROWTH",
      "C-IV",
    ]);
    expect(await store.plans.export(ws.id)).toMatchObject({
      goals: next.goals,
      objectives: next.objectives.map((o) => expect.objectContaining({ code: o.code, goal: o.goal })),
    });
    expect((await kr("IV.KR2")).id).toBe(iv2.id);
    expect((await kr("IV.KR2")).owners.map((o) => o.platformUserId)).toContain("zoe");
  });

  it("lists the file's owners first, then owners added in chat, and drops metrics the file no longer has", async () => {
    const { store, ws, kr } = await setup();
    const iv2 = await kr("IV.KR2");
    await store.owners.add(ws.id, iv2.id, { platformUserId: "zoe", displayName: "Zoe" }, ADMIN);
    const next: Plan = structuredClone(bundled);
    const target = next.objectives.find((o) => o.code === "IV")?.key_results.find((k) => k.code === "KR2");
    if (!target) throw new Error("IV.KR2 missing from the plan");
    target.owners = ["amy"];
    target.metrics = target.metrics.filter((m) => m.key === "trainers");
    await store.plans.import(ws.id, next, { actor: "test", replace: true });
    const exported = await store.plans.export(ws.id);
    const kr2 = exported?.objectives.find((o) => o.code === "IV")?.key_results.find((k) => k.code === "KR2");
    expect(kr2?.owners).toEqual(["amy", "zoe"]);
    expect(kr2?.metrics.map((m) => m.key)).toEqual(["trainers"]);
  });
});
