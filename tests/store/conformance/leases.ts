import { describe, expect, it } from "vitest";
import type { Delivery, Store } from "../../../src/store/store.ts";
import { LEASE, queued } from "./delivery.ts";
import { AT, freshStores, later, type StoreFactory } from "./fixtures.ts";

/** The only row leased at `at`; fails the test when there is not exactly one. */
async function leaseOne(store: Store, at: Date, leaseMs = LEASE): Promise<Delivery> {
  const rows = await store.outbox.lease(at, 10, leaseMs);
  if (rows.length !== 1 || !rows[0]) throw new Error(`expected one leased row, got ${rows.length}`);
  return rows[0];
}

/** Fenced leases: every change names the lease's token, and a lost lease changes nothing. */
export function leaseSuite(factory: StoreFactory): void {
  const open = freshStores(factory);

  describe("outbox fenced leases", () => {
    it("gives every leased row its own token", async () => {
      const store = await open();
      await queued(store, [
        { target: { channelId: "C1" }, reply: 1 },
        { target: { channelId: "C2" }, reply: 2 },
      ]);
      const [a, b] = await store.outbox.lease(AT, 10, LEASE);
      expect(a?.leaseToken).toEqual(expect.any(String));
      expect(a?.leaseToken).not.toEqual(b?.leaseToken);
    });

    it("refuses every change made with a wrong token and leaves the row as it was", async () => {
      const store = await open();
      await queued(store, [{ target: { channelId: "C1" }, reply: 1 }]);
      const row = await leaseOne(store, AT);
      expect(await store.outbox.markDelivered(row.id, "not-the-token", "m-1", later(1))).toBe(false);
      expect(await store.outbox.markRetry(row.id, "not-the-token", later(1), "x")).toBe(false);
      expect(await store.outbox.markFailed(row.id, "not-the-token", "x")).toBe(false);
      expect(await store.outbox.renew(row.id, "not-the-token", later(60))).toBe(false);
      expect(await store.outbox.split(row.id, "not-the-token", ["a", "b"])).toBe(false);
      expect(await store.outbox.release([{ id: row.id, token: "not-the-token" }])).toBe(0);
      expect(await store.health.outboxDepth()).toEqual({ sending: 1 });
      // The lease still runs out when it would have: nothing extended it.
      const again = await leaseOne(store, new Date(AT.getTime() + LEASE));
      expect(again).toMatchObject({ id: row.id, reply: 1, attempts: 2 });
      expect(await store.outbox.markDelivered(again.id, again.leaseToken, "m-1", later(2))).toBe(true);
      expect(await store.health.outboxDepth()).toEqual({ sent: 1 });
    });

    it("refuses the old holder's marks once another worker leased the expired row", async () => {
      const store = await open();
      await queued(store, [{ target: { channelId: "C1" }, reply: 1 }]);
      const old = await leaseOne(store, AT);
      const taker = await leaseOne(store, new Date(AT.getTime() + LEASE + 1));
      expect(taker.id).toBe(old.id);
      expect(await store.outbox.markDelivered(old.id, old.leaseToken, "m-old", later(3))).toBe(false);
      expect(await store.outbox.markRetry(old.id, old.leaseToken, later(3), "x")).toBe(false);
      expect(await store.outbox.markFailed(old.id, old.leaseToken, "x")).toBe(false);
      expect(await store.outbox.renew(old.id, old.leaseToken, later(60))).toBe(false);
      expect(await store.outbox.release([{ id: old.id, token: old.leaseToken }])).toBe(0);
      expect(await store.health.outboxDepth()).toEqual({ sending: 1 });
      expect(await store.outbox.markDelivered(taker.id, taker.leaseToken, "m-new", later(3))).toBe(true);
      expect(await store.outbox.markDelivered(taker.id, taker.leaseToken, "m-again", later(4))).toBe(false);
      expect(await store.health.outboxDepth()).toEqual({ sent: 1 });
    });

    it("renewing extends the lease, so nobody else can lease the row until the new time", async () => {
      const store = await open();
      await queued(store, [{ target: { channelId: "C1" }, reply: 1 }]);
      const row = await leaseOne(store, AT);
      const until = new Date(AT.getTime() + 3 * LEASE);
      expect(await store.outbox.renew(row.id, row.leaseToken, until)).toBe(true);
      expect(await store.outbox.lease(new Date(AT.getTime() + 2 * LEASE), 10, LEASE)).toEqual([]);
      expect(await store.outbox.markRetry(row.id, row.leaseToken, later(1), "x")).toBe(true);
      const next = await leaseOne(store, until);
      expect(next.attempts).toBe(2);
    });

    it("release puts rows back, due at once, without counting the attempt, and stales the token", async () => {
      const store = await open();
      await queued(store, [
        { target: { channelId: "C1" }, reply: 1 },
        { target: { channelId: "C2" }, reply: 2 },
      ]);
      const rows = await store.outbox.lease(AT, 10, LEASE);
      expect(await store.outbox.release(rows.map((d) => ({ id: d.id, token: d.leaseToken })))).toBe(2);
      expect(await store.health.outboxDepth()).toEqual({ pending: 2 });
      const again = await store.outbox.lease(AT, 10, LEASE);
      expect(again.map((d) => d.attempts)).toEqual([1, 1]);
      const first = rows[0] as Delivery;
      expect(await store.outbox.markDelivered(first.id, first.leaseToken, "m", later(1))).toBe(false);
      expect(await store.outbox.release([])).toBe(0);
    });

    it("splits a held row into parts sent in order, each after the one before, thread replies after the first", async () => {
      const store = await open();
      await queued(store, [
        { target: { channelId: "C1" }, reply: "whole" },
        { target: { channelId: "C1" }, reply: "thread reply", threadOf: 0 },
      ]);
      const whole = await leaseOne(store, AT);
      expect(await store.outbox.split(whole.id, whole.leaseToken, ["part 1", "part 2", "part 3"])).toBe(true);
      expect(await store.health.outboxDepth()).toEqual({ sending: 1, pending: 3 });
      // The row keeps its lease and now holds the first part only.
      expect(await store.outbox.lease(later(0.1), 10, LEASE)).toEqual([]);
      expect(await store.outbox.markDelivered(whole.id, whole.leaseToken, "ts-1", later(0.2))).toBe(true);
      const afterFirst = await store.outbox.lease(later(0.3), 10, LEASE);
      expect(afterFirst.map((d) => d.reply).sort()).toEqual(["part 2", "thread reply"]);
      const reply = afterFirst.find((d) => d.reply === "thread reply");
      expect(reply?.threadMessageId).toBe("ts-1");
      const part2 = afterFirst.find((d) => d.reply === "part 2") as Delivery;
      expect(part2).toMatchObject({ target: { channelId: "C1" }, attempts: 1 });
      expect(part2.threadMessageId).toBeUndefined();
      await store.outbox.markFailed(part2.id, part2.leaseToken, "boom");
      // A failed part does not hold the rest back: the next part goes out anyway.
      const part3 = await leaseOne(store, later(0.4));
      expect(part3.reply).toBe("part 3");
    });

    it("keeps a row split twice in order: what waited for it waits for its last part", async () => {
      const store = await open();
      await queued(store, [{ target: { userId: "U1" }, reply: "whole" }]);
      const whole = await leaseOne(store, AT);
      await store.outbox.split(whole.id, whole.leaseToken, ["a", "c"]);
      await store.outbox.markRetry(whole.id, whole.leaseToken, AT, "later");
      const a = await leaseOne(store, AT);
      expect(a.reply).toBe("a");
      await store.outbox.split(a.id, a.leaseToken, ["a", "b"]);
      await store.outbox.markDelivered(a.id, a.leaseToken, "m-a", later(1));
      const b = await leaseOne(store, later(1));
      expect(b).toMatchObject({ reply: "b", target: { userId: "U1" } });
      await store.outbox.markDelivered(b.id, b.leaseToken, "m-b", later(1));
      const c = await leaseOne(store, later(1));
      expect(c.reply).toBe("c");
    });

    it("does not let rows waiting for a predecessor starve rows that are ready", async () => {
      const store = await open();
      const parts = Array.from({ length: 6 }, (_, i) => `part ${i + 1}`);
      await queued(store, [{ target: { channelId: "C1" }, reply: "whole" }]);
      const whole = await leaseOne(store, AT, 10 * LEASE);
      await store.outbox.split(whole.id, whole.leaseToken, parts);
      await queued(store, [{ target: { channelId: "C2" }, reply: "other" }], later(1));
      const rows = await store.outbox.lease(later(1), 2, LEASE);
      expect(rows.map((d) => d.reply)).toEqual(["other"]);
    });
  });
}
