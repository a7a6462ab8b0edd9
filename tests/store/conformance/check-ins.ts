import { describe, expect, it } from "vitest";
import { ANN, AT, BOB, checkIn, freshStores, later, type StoreFactory, seeded } from "./fixtures.ts";

const HOUR = 3_600_000;

/** Recording check-ins exactly once, history, digests' window, export and undo. */
export function checkInSuite(factory: StoreFactory): void {
  const open = freshStores(factory);

  describe("check-ins", () => {
    it("records values, status and note, and moves the KR's current state with them", async () => {
      const store = await open();
      const { id, kr, metric } = await seeded(store);
      const { checkIn: view, duplicate } = await store.checkIns.record(
        id,
        checkIn(kr("I.KR1").id, {
          status: "on_track",
          values: [
            { metricId: metric("I.KR1", "trainers"), value: 50 },
            { metricId: metric("I.KR1", "cost"), value: 75 },
          ],
          note: "half way",
        }),
      );
      expect(duplicate).toBe(false);
      expect(view).toMatchObject({
        krId: kr("I.KR1").id,
        author: "Ann",
        status: "on_track",
        previousStatus: "none",
        progress: 0.5,
        previousProgress: null,
        reportedProgress: null,
        note: "half way",
        at: AT,
        undoneAt: null,
        values: [
          { key: "trainers", label: "Trainers", value: 50, previous: null },
          { key: "cost", label: "Cost", value: 75, previous: null },
        ],
      });
      const after = await store.keyResults.get(id, kr("I.KR1").id);
      expect(after).toMatchObject({
        status: "on_track",
        progress: 0.5,
        lastCheckInAt: AT,
        lastNote: "half way",
      });
      expect(after?.metrics.map((m) => m.current)).toEqual([50, 75]);
      const second = await store.checkIns.record(
        id,
        checkIn(kr("I.KR1").id, {
          values: [{ metricId: metric("I.KR1", "trainers"), value: 100 }],
          at: later(5),
        }),
      );
      expect(second.checkIn).toMatchObject({
        status: "on_track",
        previousStatus: "on_track",
        progress: 0.75,
      });
      expect(second.checkIn.values).toEqual([
        { key: "trainers", label: "Trainers", value: 100, previous: 50 },
      ]);
    });

    it("takes reported progress for a KR without metrics and keeps it until reported again", async () => {
      const store = await open();
      const { id, kr } = await seeded(store);
      const first = await store.checkIns.record(id, checkIn(kr("I.KR2").id, { reportedProgress: 40 }));
      expect(first.checkIn).toMatchObject({ progress: 40, reportedProgress: 40 });
      const second = await store.checkIns.record(
        id,
        checkIn(kr("I.KR2").id, { status: "at_risk", at: later(1) }),
      );
      expect(second.checkIn).toMatchObject({ progress: 40, reportedProgress: null, status: "at_risk" });
      expect(await store.keyResults.get(id, kr("I.KR2").id)).toMatchObject({
        progress: 40,
        reportedProgress: 40,
      });
    });

    it("records the same request id once: the repeat answers the first check-in and changes nothing", async () => {
      const store = await open();
      const { id, kr } = await seeded(store);
      const input = checkIn(kr("I.KR2").id, { reportedProgress: 20, requestId: "req-1" });
      const first = await store.checkIns.record(id, input);
      const again = await store.checkIns.record(id, { ...input, reportedProgress: 90, note: "changed" });
      expect(again.duplicate).toBe(true);
      expect(again.checkIn).toEqual(first.checkIn);
      expect(await store.checkIns.list(id, kr("I.KR2").id, 10)).toHaveLength(1);
      expect((await store.keyResults.get(id, kr("I.KR2").id))?.progress).toBe(20);
    });

    it("rejects a KR or metric the workspace does not have and writes nothing", async () => {
      const store = await open();
      const { id, kr, metric } = await seeded(store);
      const unused = Math.max(...(await store.keyResults.list(id)).map((k) => k.id)) + 1000;
      await expect(store.checkIns.record(id, checkIn(unused, { reportedProgress: 1 }))).rejects.toThrow();
      const wrongMetric = checkIn(kr("I.KR2").id, {
        values: [{ metricId: metric("II.KR1", "reach"), value: 3 }],
      });
      await expect(store.checkIns.record(id, wrongMetric)).rejects.toThrow();
      expect(await store.checkIns.export(id)).toEqual([]);
      expect((await store.keyResults.get(id, kr("II.KR1").id))?.metrics[0]?.current).toBeNull();
    });

    it("lists a KR's check-ins newest first, up to the limit", async () => {
      const store = await open();
      const { id, kr } = await seeded(store);
      for (const [i, p] of [10, 20, 30].entries())
        await store.checkIns.record(id, checkIn(kr("I.KR2").id, { reportedProgress: p, at: later(i) }));
      await store.checkIns.record(id, checkIn(kr("II.KR1").id, { status: "done" }));
      const list = await store.checkIns.list(id, kr("I.KR2").id, 2);
      expect(list.map((c) => c.reportedProgress)).toEqual([30, 20]);
      expect(list.map((c) => c.previousProgress)).toEqual([20, 10]);
      expect(await store.checkIns.list(id, kr("I.KR2").id, 10)).toHaveLength(3);
    });

    it("finds check-ins in effect in [from, to), oldest first", async () => {
      const store = await open();
      const { id, kr } = await seeded(store);
      await store.checkIns.record(id, checkIn(kr("I.KR2").id, { reportedProgress: 1, at: later(0) }));
      await store.checkIns.record(id, checkIn(kr("II.KR1").id, { author: BOB, at: later(10) }));
      await store.checkIns.record(id, checkIn(kr("I.KR2").id, { reportedProgress: 2, at: later(20) }));
      expect(await store.checkIns.between(id, later(0), later(20))).toEqual([
        { krCode: "I.KR2", author: "Ann", at: later(0) },
        { krCode: "II.KR1", author: "Bob", at: later(10) },
      ]);
      await store.checkIns.undoLast(id, BOB.platformUserId, later(11), HOUR);
      expect(await store.checkIns.between(id, later(0), later(21))).toEqual([
        { krCode: "I.KR2", author: "Ann", at: later(0) },
        { krCode: "I.KR2", author: "Ann", at: later(20) },
      ]);
    });

    it("exports every check-in oldest first with values by key, undone ones marked, since a date", async () => {
      const store = await open();
      const { id, kr, metric } = await seeded(store);
      await store.checkIns.record(
        id,
        checkIn(kr("I.KR1").id, { values: [{ metricId: metric("I.KR1", "cost"), value: 80 }], note: "a" }),
      );
      await store.checkIns.record(
        id,
        checkIn(kr("I.KR2").id, { author: BOB, reportedProgress: 5, at: later(3) }),
      );
      await store.checkIns.undoLast(id, BOB.platformUserId, later(4), HOUR);
      const rows = await store.checkIns.export(id);
      expect(rows).toEqual([
        {
          at: AT,
          kr: "I.KR1",
          authorId: "U1",
          author: "Ann",
          status: "none",
          progress: 0.2,
          reportedProgress: null,
          values: { cost: 80 },
          note: "a",
          undone: false,
        },
        {
          at: later(3),
          kr: "I.KR2",
          authorId: "U3",
          author: "Bob",
          status: "none",
          progress: 5,
          reportedProgress: 5,
          values: {},
          note: "",
          undone: true,
        },
      ]);
      expect((await store.checkIns.export(id, later(1))).map((r) => r.kr)).toEqual(["I.KR2"]);
    });
  });

  describe("undo", () => {
    it("restores what the author's latest check-in replaced and marks it undone", async () => {
      const store = await open();
      const { id, kr, metric } = await seeded(store);
      const trainers = metric("I.KR1", "trainers");
      await store.checkIns.record(
        id,
        checkIn(kr("I.KR1").id, { status: "at_risk", values: [{ metricId: trainers, value: 10 }] }),
      );
      const last = await store.checkIns.record(
        id,
        checkIn(kr("I.KR1").id, {
          status: "on_track",
          values: [{ metricId: trainers, value: 30 }],
          at: later(1),
        }),
      );
      const undone = await store.checkIns.undoLast(id, ANN.platformUserId, later(2), HOUR);
      expect(undone).toEqual({
        ok: true,
        krCode: "I.KR1",
        checkInId: last.checkIn.id,
        restored: { status: "at_risk", progress: 0.05, values: [{ key: "trainers", value: 10 }] },
      });
      const after = await store.keyResults.get(id, kr("I.KR1").id);
      expect(after).toMatchObject({ status: "at_risk", lastCheckInAt: AT });
      expect(after?.metrics[0]?.current).toBe(10);
      const [newest] = await store.checkIns.list(id, kr("I.KR1").id, 1);
      expect(newest?.undoneAt).toEqual(later(2));
    });

    it("undoes twice: first the latest, then the one before it, then there is nothing left", async () => {
      const store = await open();
      const { id, kr } = await seeded(store);
      const first = await store.checkIns.record(id, checkIn(kr("I.KR2").id, { reportedProgress: 40 }));
      await store.checkIns.record(id, checkIn(kr("I.KR2").id, { reportedProgress: 60, at: later(1) }));
      expect(await store.checkIns.undoLast(id, "U1", later(2), HOUR)).toMatchObject({ ok: true });
      expect(await store.keyResults.get(id, kr("I.KR2").id)).toMatchObject({
        progress: 40,
        reportedProgress: 40,
      });
      const second = await store.checkIns.undoLast(id, "U1", later(3), HOUR);
      expect(second).toMatchObject({ ok: true, checkInId: first.checkIn.id });
      expect(await store.keyResults.get(id, kr("I.KR2").id)).toMatchObject({
        status: "none",
        progress: null,
        reportedProgress: null,
        lastCheckInAt: null,
      });
      expect(await store.checkIns.undoLast(id, "U1", later(4), HOUR)).toEqual({ ok: false, reason: "none" });
    });

    it("refuses once someone else checked in on the KR since, changing nothing", async () => {
      const store = await open();
      const { id, kr } = await seeded(store);
      await store.checkIns.record(id, checkIn(kr("I.KR2").id, { reportedProgress: 40 }));
      await store.checkIns.record(
        id,
        checkIn(kr("I.KR2").id, { author: BOB, reportedProgress: 70, at: later(1) }),
      );
      const before = await store.keyResults.get(id, kr("I.KR2").id);
      expect(await store.checkIns.undoLast(id, "U1", later(2), HOUR)).toEqual({
        ok: false,
        reason: "superseded",
        krCode: "I.KR2",
      });
      expect(await store.keyResults.get(id, kr("I.KR2").id)).toEqual(before);
      expect((await store.checkIns.list(id, kr("I.KR2").id, 5)).map((c) => c.undoneAt)).toEqual([null, null]);
    });

    it("refuses a check-in older than the window, and has nothing for a person who never checked in", async () => {
      const store = await open();
      const { id, kr } = await seeded(store);
      await store.checkIns.record(id, checkIn(kr("I.KR2").id, { reportedProgress: 40 }));
      expect(await store.checkIns.undoLast(id, "U1", later(61), HOUR)).toEqual({
        ok: false,
        reason: "too_old",
        krCode: "I.KR2",
        ageMs: 61 * 60_000,
      });
      expect(await store.checkIns.undoLast(id, "U-never", later(1), HOUR)).toEqual({
        ok: false,
        reason: "none",
      });
      expect((await store.keyResults.get(id, kr("I.KR2").id))?.progress).toBe(40);
    });
  });
}
