import { describe, expect, it } from "vitest";
import type { Reply } from "../../../src/core/reply.ts";
import type { Store } from "../../../src/store/store.ts";
import { ANN, AT, BOB, checkIn, freshStores, later, PLAN, type StoreFactory, seeded } from "./fixtures.ts";
import { claimFor, digestFor } from "./scheduling.ts";

const NOTICE: Reply = { summary: "failing", visibility: "ephemeral", tone: "warning", blocks: [] };

/** Two workspaces with the same plan: the same codes, different rows. */
async function twoWorkspaces(store: Store) {
  const a = await seeded(store, "TA");
  const b = await seeded(store, "TB");
  return { a, b };
}

/** A row of workspace A is never read or written through workspace B, for every method that takes one. */
export function scopingSuite(factory: StoreFactory): void {
  const open = freshStores(factory);

  describe("workspace scoping", () => {
    it("keeps settings and plans to their workspace", async () => {
      const store = await open();
      const a = await seeded(store, "TA");
      const b = await store.workspaces.ensure({ platform: "slack", id: "TB" });
      await store.workspaces.setTimezone(a.id, "Asia/Tokyo", ANN);
      await store.workspaces.setOpenUpdates(a.id, true, ANN);
      expect(await store.workspaces.settings(b.id)).toMatchObject({ timezone: null, openUpdates: false });
      expect(await store.plans.get(b.id)).toBeUndefined();
      expect(await store.plans.export(b.id)).toBeUndefined();
      expect(await store.plans.listObjectives(b.id)).toEqual([]);
      expect(await store.keyResults.list(b.id)).toEqual([]);
      expect(await store.keyResults.listRefs(b.id)).toEqual([]);
      expect(await store.keyResults.findByCode(b.id, "I.KR1")).toBeUndefined();
      expect(await store.keyResults.listWhere(b.id, { objectiveCode: "I" })).toEqual([]);
      // Replacing B's plan deletes nothing of A's.
      await store.checkIns.record(a.id, checkIn(a.kr("I.KR2").id, { reportedProgress: 5 }));
      await store.plans.import(b.id, { ...PLAN, title: "B" }, { actor: "t" });
      const result = await store.plans.import(b.id, PLAN, {
        actor: "t",
        replace: true,
      });
      expect(result.deleted.checkIns).toBe(0);
      expect(await store.checkIns.list(a.id, a.kr("I.KR2").id, 10)).toHaveLength(1);
      expect((await store.plans.get(a.id))?.title).toBe("Conformance plan");
    });

    it("never reads or writes A's key results, check-ins and undo through B", async () => {
      const store = await open();
      const { a, b } = await twoWorkspaces(store);
      const krA = a.kr("I.KR1").id;
      expect(b.kr("I.KR1").id).not.toBe(krA);
      expect(await store.keyResults.get(b.id, krA)).toBeUndefined();
      expect((await store.keyResults.findByCode(b.id, "I.KR1"))?.id).toBe(b.kr("I.KR1").id);
      const input = checkIn(krA, {
        values: [{ metricId: a.metric("I.KR1", "trainers"), value: 25 }],
        requestId: "r1",
      });
      await store.checkIns.record(a.id, input);
      await expect(store.checkIns.record(b.id, { ...input, requestId: "r2" })).rejects.toThrow();
      // A's metric on B's KR is not B's either.
      const mixed = checkIn(b.kr("I.KR1").id, {
        values: [{ metricId: a.metric("I.KR1", "trainers"), value: 1 }],
      });
      await expect(store.checkIns.record(b.id, mixed)).rejects.toThrow();
      // The same request id in B is B's own first check-in.
      const inB = await store.checkIns.record(b.id, { ...input, krId: b.kr("I.KR1").id, values: [] });
      expect(inB.duplicate).toBe(false);
      expect(await store.checkIns.list(b.id, krA, 10)).toEqual([]);
      expect(await store.checkIns.list(a.id, b.kr("I.KR1").id, 10)).toEqual([]);
      expect((await store.checkIns.between(b.id, later(-1), later(1))).length).toBe(1);
      expect((await store.checkIns.export(b.id)).map((r) => r.values)).toEqual([{}]);
      expect(await store.keyResults.listWhere(b.id, { ownerId: "U1" })).toEqual(
        (await store.keyResults.list(b.id)).filter((k) => k.owners.some((o) => o.platformUserId === "U1")),
      );
      const [trainersA] = (await store.keyResults.get(a.id, krA))?.metrics ?? [];
      expect(trainersA?.current).toBe(25);
      expect((await store.keyResults.get(b.id, b.kr("I.KR1").id))?.metrics[0]?.current).toBeNull();
      // Undo in B takes back B's check-in, never A's.
      expect(await store.checkIns.undoLast(b.id, "U1", later(1), 3_600_000)).toMatchObject({
        ok: true,
        checkInId: inB.checkIn.id,
      });
      expect(await store.checkIns.undoLast(b.id, "U1", later(1), 3_600_000)).toEqual({
        ok: false,
        reason: "none",
      });
      expect((await store.checkIns.list(a.id, krA, 1))[0]?.undoneAt).toBeNull();
    });

    it("never reads or writes A's members, owners, teams and snoozes through B", async () => {
      const store = await open();
      const { a, b } = await twoWorkspaces(store);
      await store.members.setReminderSettings(a.id, BOB, { remindEnabled: true, remindTime: "07:00" });
      expect(await store.members.getSettings(b.id, "U3")).toBeUndefined();
      expect(await store.members.find(b.id, { platformUserId: "U3" })).toEqual([]);
      expect((await store.members.list(b.id)).map((m) => m.platformUserId)).not.toContain("U3");
      await store.members.setReminderSettings(b.id, BOB, { remindTime: "18:00" });
      expect(await store.members.getSettings(a.id, "U3")).toMatchObject({
        remindEnabled: true,
        remindTime: "07:00",
      });

      await expect(store.owners.add(b.id, a.kr("I.KR2").id, BOB, ANN)).rejects.toThrow();
      await store.owners.add(a.id, a.kr("I.KR2").id, BOB, ANN);
      const bobInA = (await store.members.find(a.id, { platformUserId: "U3" }))[0]?.id as number;
      await expect(store.owners.remove(b.id, a.kr("I.KR2").id, bobInA, ANN)).rejects.toThrow();
      expect(await store.owners.remove(b.id, b.kr("I.KR2").id, bobInA, ANN)).toBe(false);
      expect(
        (await store.keyResults.get(a.id, a.kr("I.KR2").id))?.owners.map((o) => o.platformUserId),
      ).toEqual(["U3"]);
      expect((await store.keyResults.get(b.id, b.kr("I.KR2").id))?.owners).toEqual([]);

      await store.teams.addMember(a.id, "Alpha", BOB, ANN);
      expect(await store.teams.listMembers(b.id, "Alpha")).toEqual([]);
      expect(await store.teams.teamsOf(b.id, "U3")).toEqual([]);
      expect(await store.teams.removeMember(b.id, "Alpha", "U3", ANN)).toBe(false);
      expect(await store.teams.teamsOf(a.id, "U3")).toEqual(["Alpha"]);
      expect(await store.keyResults.listWhere(b.id, { team: "Alpha" })).toHaveLength(2);

      await expect(
        store.snoozes.set(b.id, a.kr("II.KR1").id, "2024-04-01", ANN, { forEveryone: true, at: AT }),
      ).rejects.toThrow();
      await store.snoozes.set(a.id, a.kr("II.KR1").id, "2024-04-01", ANN, { forEveryone: true, at: AT });
      expect(await store.snoozes.list(b.id)).toEqual([]);
      expect(await store.snoozes.list(a.id)).toHaveLength(1);
    });

    it("never reads or writes A's digests and claims through B", async () => {
      const store = await open();
      const a = await store.workspaces.ensure({ platform: "slack", id: "TA" });
      const b = await store.workspaces.ensure({ platform: "slack", id: "TB" });
      await store.schedules.upsertDigest(a.id, digestFor("C1", { kind: "all" }));
      expect(await store.schedules.listDigests(b.id)).toEqual([]);
      expect(await store.schedules.markDigestFailing(b.id, "C1", { reason: "x", at: AT }, NOTICE)).toBe(
        false,
      );
      expect(await store.schedules.removeDigest(b.id, "C1", ANN)).toBe(false);
      expect(await store.schedules.markDigestFailing(a.id, "C1", { reason: "x", at: AT }, NOTICE)).toBe(true);
      await store.schedules.clearDigestFailing(b.id, "C1");
      expect((await store.schedules.listDigests(a.id))[0]?.failing).toEqual({ since: AT, reason: "x" });
      const replacedInB = await store.schedules.upsertDigest(b.id, digestFor("C1", { kind: "all" }));
      expect(replacedInB.replaced).toBe(false);
      expect((await store.schedules.listDigests(a.id))[0]?.failing).toBeDefined();

      expect(await store.claims.claim(a.id, claimFor("C1", "W9"), [])).toBe(true);
      expect(await store.claims.last(b.id, "digest", "C1")).toBeUndefined();
      expect(await store.claims.list(b.id, "digest", 10)).toEqual([]);
      // The same occurrence in another workspace is another claim.
      expect(
        await store.claims.claim(b.id, claimFor("C1", "W9"), [{ target: { channelId: "C1" }, reply: 1 }]),
      ).toBe(true);
      const leased = await store.outbox.lease(later(1), 10, 60_000);
      expect(leased.map((d) => [d.workspaceId, d.externalWorkspaceId, d.reply]).sort()).toEqual(
        [
          [a.id, "TA", NOTICE],
          [b.id, "TB", 1],
        ].sort(),
      );
    });
  });
}
