import { describe, expect, it } from "vitest";
import { freshStores, type StoreFactory, seeded } from "./fixtures.ts";

/** Reading key results: whole workspace, one, by code, and scoped. */
export function keyResultSuite(factory: StoreFactory): void {
  const open = freshStores(factory);

  describe("key results", () => {
    it("lists every KR in plan order with metrics, owners, teams and an empty current state", async () => {
      const store = await open();
      const { id } = await seeded(store);
      const krs = await store.keyResults.list(id);
      expect(krs.map((k) => [k.code, k.objectiveCode, k.title])).toEqual([
        ["I.KR1", "I", "Trainers trained"],
        ["I.KR2", "I", "Reported progress"],
        ["II.KR1", "II", "Reach"],
      ]);
      const [first, second, third] = krs;
      expect(first).toMatchObject({
        text: "Train the trainers",
        programs: ["Training"],
        teams: ["Alpha"],
        status: "none",
        progress: null,
        reportedProgress: null,
        lastCheckInAt: null,
        lastNote: null,
      });
      expect(first?.metrics.map(({ id: _, ...m }) => m)).toEqual([
        {
          key: "trainers",
          label: "Trainers",
          unit: "",
          baseline: 0,
          target: 100,
          comparator: "at_least",
          current: null,
        },
        {
          key: "cost",
          label: "Cost",
          unit: "€",
          baseline: 100,
          target: 50,
          comparator: "at_most",
          current: null,
        },
      ]);
      expect(second?.teams).toEqual(["Alpha", "Beta"]);
      expect(second?.metrics).toEqual([]);
      expect(second?.owners).toEqual([]);
      expect(third?.owners.map((o) => o.platformUserId)).toEqual(["U2", "U1"]);
      expect(third?.metrics[0]?.comparator).toBe("exactly");
    });

    it("lists references with the same codes, and finds one by exact code", async () => {
      const store = await open();
      const { id, kr } = await seeded(store);
      const refs = await store.keyResults.listRefs(id);
      expect(refs).toEqual(
        (await store.keyResults.list(id)).map((k) => ({
          id: k.id,
          code: k.code,
          title: k.title,
          objectiveCode: k.objectiveCode,
        })),
      );
      expect(await store.keyResults.findByCode(id, "II.KR1")).toEqual({
        id: kr("II.KR1").id,
        code: "II.KR1",
        title: "Reach",
        objectiveCode: "II",
      });
      expect(await store.keyResults.findByCode(id, "ii.kr1")).toBeUndefined();
      expect(await store.keyResults.findByCode(id, "III.KR1")).toBeUndefined();
    });

    it("gets one KR as the list shows it, and nothing for an id it does not have", async () => {
      const store = await open();
      const { id, kr } = await seeded(store);
      expect(await store.keyResults.get(id, kr("I.KR2").id)).toEqual(kr("I.KR2"));
      const unused = Math.max(...(await store.keyResults.list(id)).map((k) => k.id)) + 1000;
      expect(await store.keyResults.get(id, unused)).toBeUndefined();
    });

    it("scopes a list to one objective, one owner or one team", async () => {
      const store = await open();
      const { id } = await seeded(store);
      const codes = async (filter: Parameters<typeof store.keyResults.listWhere>[1]) =>
        (await store.keyResults.listWhere(id, filter)).map((k) => k.code);
      expect(await codes({ objectiveCode: "I" })).toEqual(["I.KR1", "I.KR2"]);
      expect(await codes({ ownerId: "U1" })).toEqual(["I.KR1", "II.KR1"]);
      expect(await codes({ ownerId: "U2" })).toEqual(["II.KR1"]);
      expect(await codes({ team: "Beta" })).toEqual(["I.KR2", "II.KR1"]);
      expect(await codes({ team: "Nobody" })).toEqual([]);
      expect(await codes({ objectiveCode: "IX" })).toEqual([]);
      const full = await store.keyResults.listWhere(id, { team: "Alpha" });
      expect(full).toEqual((await store.keyResults.list(id)).filter((k) => k.teams.includes("Alpha")));
    });
  });
}
