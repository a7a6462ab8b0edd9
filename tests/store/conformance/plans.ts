import { describe, expect, it } from "vitest";
import { ANN, checkIn, freshStores, PLAN, type StoreFactory, seeded } from "./fixtures.ts";

/** Workspaces, workspace settings and plans. */
export function planSuite(factory: StoreFactory): void {
  const open = freshStores(factory);

  describe("workspaces", () => {
    it("creates a workspace once per platform and external id, and finds it again", async () => {
      const store = await open();
      expect(await store.workspaces.find({ platform: "slack", id: "T1" })).toBeUndefined();
      const a = await store.workspaces.ensure({ platform: "slack", id: "T1" });
      expect(a).toMatchObject({ platform: "slack", externalId: "T1" });
      expect(await store.workspaces.ensure({ platform: "slack", id: "T1" })).toEqual(a);
      expect(await store.workspaces.find({ platform: "slack", id: "T1" })).toEqual(a);
      const d = await store.workspaces.ensure({ platform: "discord", id: "T1" });
      expect(d.id).not.toBe(a.id);
      expect(await store.workspaces.list()).toEqual([a, d]);
    });

    it("reports default settings, then the timezone and open updates that were set", async () => {
      const store = await open();
      const ws = await store.workspaces.ensure({ platform: "shell", id: "local" });
      expect(await store.workspaces.settings(ws.id)).toEqual({
        timezone: null,
        openUpdates: false,
        reminderWeekday: 4,
        reminderTime: "10:00",
      });
      await store.workspaces.setTimezone(ws.id, "America/Chicago", ANN);
      await store.workspaces.setOpenUpdates(ws.id, true, ANN);
      expect(await store.workspaces.settings(ws.id)).toMatchObject({
        timezone: "America/Chicago",
        openUpdates: true,
      });
      await store.workspaces.setTimezone(ws.id, null, ANN);
      await store.workspaces.setOpenUpdates(ws.id, false, ANN);
      expect(await store.workspaces.settings(ws.id)).toMatchObject({ timezone: null, openUpdates: false });
    });
  });

  describe("plans", () => {
    it("has no plan before an import, and exports exactly the plan it imported", async () => {
      const store = await open();
      const ws = await store.workspaces.ensure({ platform: "shell", id: "local" });
      expect(await store.plans.get(ws.id)).toBeUndefined();
      expect(await store.plans.export(ws.id)).toBeUndefined();
      expect(await store.plans.listObjectives(ws.id)).toEqual([]);
      const result = await store.plans.import(ws.id, PLAN, { actor: "tester" });
      expect(result.replaced).toBeUndefined();
      expect(result.deleted).toEqual({
        checkIns: 0,
        keyResults: [],
        owners: 0,
        snoozes: 0,
        teams: [],
        digests: [],
      });
      expect(await store.plans.get(ws.id)).toEqual({
        key: PLAN.id,
        title: PLAN.title,
        periodStart: "2024-01-01",
        periodEnd: "2024-12-31",
      });
      expect(await store.plans.export(ws.id)).toEqual(PLAN);
    });

    it("lists objectives in plan order with their goal's title", async () => {
      const store = await open();
      const { id } = await seeded(store);
      const objectives = await store.plans.listObjectives(id);
      expect(objectives.map(({ code, title, goalTitle }) => ({ code, title, goalTitle }))).toEqual([
        { code: "I", title: "Objective one", goalTitle: "Goal one" },
        { code: "II", title: "Objective two", goalTitle: "Goal two" },
      ]);
    });

    it("refuses to replace a plan without `replace`, changing nothing", async () => {
      const store = await open();
      const { id, kr } = await seeded(store);
      await store.checkIns.record(id, checkIn(kr("I.KR2").id, { reportedProgress: 30 }));
      const renamed = { ...PLAN, id: "other-plan", title: "Other" };
      await expect(store.plans.import(id, renamed, { actor: "tester" })).rejects.toMatchObject({
        name: "PlanExistsError",
      });
      expect((await store.plans.get(id))?.key).toBe(PLAN.id);
      expect(await store.checkIns.list(id, kr("I.KR2").id, 10)).toHaveLength(1);
    });

    it("replaces in place: keeps what hangs off surviving KRs and reports exactly what it deleted", async () => {
      const store = await open();
      const { id, kr } = await seeded(store);
      await store.checkIns.record(id, checkIn(kr("I.KR2").id, { reportedProgress: 30 }));
      await store.owners.add(id, kr("I.KR2").id, { platformUserId: "U9", displayName: "Nia" }, ANN);
      await store.owners.add(id, kr("II.KR1").id, { platformUserId: "U9", displayName: "Nia" }, ANN);
      await store.snoozes.set(id, kr("II.KR1").id, "2024-04-01", ANN, { forEveryone: false, at: AT0 });
      await store.teams.addMember(id, "Beta", ANN, ANN);
      await store.schedules.upsertDigest(id, digest("C-TEAM", { kind: "team", value: "Beta" }));
      await store.schedules.upsertDigest(id, digest("C-ALL", { kind: "all" }));
      // The new plan drops objective II (and its KR and team Beta).
      const smaller = { ...PLAN, title: "Smaller", objectives: [firstObjectiveWithoutBeta()] };
      const result = await store.plans.import(id, smaller, { actor: "tester", replace: true });
      expect(result.replaced?.title).toBe(PLAN.title);
      expect(result.deleted).toEqual({
        checkIns: 1,
        keyResults: ["II.KR1"],
        owners: 3,
        snoozes: 1,
        teams: [{ name: "Beta", members: 1 }],
        digests: [{ channelId: "C-TEAM", scope: "team Beta" }],
      });
      const after = await store.keyResults.list(id);
      expect(after.map((k) => k.code)).toEqual(["I.KR1", "I.KR2"]);
      const kr2 = after.find((k) => k.code === "I.KR2");
      expect(kr2?.owners.map((o) => o.platformUserId)).toEqual(["U9"]);
      expect(kr2?.status).toBe("none");
      expect(await store.checkIns.list(id, kr("I.KR2").id, 10)).toEqual([]);
      expect((await store.schedules.listDigests(id)).map((d) => d.channelId)).toEqual(["C-ALL"]);
      expect((await store.plans.get(id))?.title).toBe("Smaller");
    });
  });
}

const AT0 = new Date("2024-03-01T09:00:00Z");

function digest(channelId: string, scope: { kind: "all" } | { kind: "team" | "objective"; value: string }) {
  return {
    channelId,
    weekday: 1,
    time: "09:00",
    timezone: "UTC",
    scope,
    createdBy: "U1",
    activeFrom: AT0,
  };
}

function firstObjectiveWithoutBeta() {
  const [first] = PLAN.objectives;
  if (!first) throw new Error("plan has no objective");
  return { ...first, key_results: first.key_results.map((k) => ({ ...k, teams: ["Alpha"] })) };
}
