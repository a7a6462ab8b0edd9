import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Store } from "../../../src/store/store.ts";
import { AT, freshStores, later, type StoreFactory } from "./fixtures.ts";
import { claimFor } from "./scheduling.ts";

export const LEASE = 60_000;

/** A workspace with one claimed occurrence whose messages are queued at `at`. */
export async function queued(store: Store, messages: Parameters<Store["claims"]["claim"]>[2], at = AT) {
  const ws = await store.workspaces.ensure({ platform: "discord", id: "G1" });
  await store.claims.claim(
    ws.id,
    claimFor("C1", `p-${at.getTime()}`, { claimedAt: at, scheduledFor: at }),
    messages,
  );
  return ws;
}

/** The outbox's leases and the health repository. */
export function deliverySuite(factory: StoreFactory): void {
  const open = freshStores(factory);

  describe("outbox", () => {
    it("leases due rows with their workspace and target, and not again while the lease runs", async () => {
      const store = await open();
      const ws = await queued(store, [
        { target: { channelId: "C1" }, reply: { text: "digest" } },
        { target: { userId: "U1" }, reply: { text: "dm" } },
      ]);
      expect(await store.outbox.lease(later(-1), 10, LEASE)).toEqual([]);
      const leased = await store.outbox.lease(AT, 10, LEASE);
      expect(
        leased
          .map(({ id: _, leaseToken: __, ...d }) => d)
          .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y))),
      ).toEqual([
        {
          workspaceId: ws.id,
          platform: "discord",
          externalWorkspaceId: "G1",
          target: { channelId: "C1" },
          reply: { text: "digest" },
          attempts: 1,
        },
        {
          workspaceId: ws.id,
          platform: "discord",
          externalWorkspaceId: "G1",
          target: { userId: "U1" },
          reply: { text: "dm" },
          attempts: 1,
        },
      ]);
      expect(await store.outbox.lease(later(0.5), 10, LEASE)).toEqual([]);
      expect(await store.health.outboxDepth()).toEqual({ sending: 2 });
      // The worker died: once the lease runs out the rows are leased again, one attempt more.
      const again = await store.outbox.lease(new Date(AT.getTime() + LEASE), 10, LEASE);
      expect(again.map((d) => d.attempts)).toEqual([2, 2]);
      expect(again.map((d) => d.id).sort()).toEqual(leased.map((d) => d.id).sort());
    });

    it("leases no more than the limit at a time", async () => {
      const store = await open();
      await queued(
        store,
        [1, 2, 3].map((n) => ({ target: { channelId: "C1" }, reply: { n } })),
      );
      expect(await store.outbox.lease(AT, 2, LEASE)).toHaveLength(2);
      expect(await store.outbox.lease(AT, 2, LEASE)).toHaveLength(1);
      expect(await store.outbox.lease(AT, 2, LEASE)).toHaveLength(0);
    });

    it("never leases a delivered or failed row again", async () => {
      const store = await open();
      await queued(store, [
        { target: { channelId: "C1" }, reply: 1 },
        { target: { channelId: "C2" }, reply: 2 },
      ]);
      const [a, b] = await store.outbox.lease(AT, 10, LEASE);
      if (!a || !b) throw new Error("expected two leased rows");
      await store.outbox.markDelivered(a.id, a.leaseToken, "m-1", later(1));
      await store.outbox.markFailed(b.id, b.leaseToken, "channel_not_found");
      expect(await store.outbox.lease(later(24 * 60), 10, LEASE)).toEqual([]);
      expect(await store.health.outboxDepth()).toEqual({ sent: 1, failed: 1 });
    });

    it("honours a retry time: the row waits until then and is leased with the next attempt", async () => {
      const store = await open();
      await queued(store, [{ target: { channelId: "C1" }, reply: 1 }]);
      const [row] = await store.outbox.lease(AT, 10, LEASE);
      if (!row) throw new Error("expected a leased row");
      await store.outbox.markRetry(row.id, row.leaseToken, later(10), "ratelimited");
      expect(await store.health.outboxDepth()).toEqual({ pending: 1 });
      expect(await store.outbox.lease(later(9), 10, LEASE)).toEqual([]);
      const [retried] = await store.outbox.lease(later(10), 10, LEASE);
      expect(retried).toMatchObject({ id: row?.id, attempts: 2 });
    });

    it("holds a thread reply until its parent is sent, then gives it the parent's message id", async () => {
      const store = await open();
      await queued(store, [
        { target: { channelId: "C1" }, reply: "parent" },
        { target: { channelId: "C1" }, reply: "child", threadOf: 0 },
      ]);
      const first = await store.outbox.lease(AT, 10, LEASE);
      expect(first.map((d) => d.reply)).toEqual(["parent"]);
      expect(await store.outbox.lease(later(0.5), 10, LEASE)).toEqual([]);
      const parent = first[0];
      if (!parent) throw new Error("expected the parent leased");
      await store.outbox.markDelivered(parent.id, parent.leaseToken, "1700000000.000100", later(0.5));
      const [child] = await store.outbox.lease(later(2), 10, LEASE);
      expect(child).toMatchObject({ reply: "child", threadMessageId: "1700000000.000100" });
      expect(first[0]?.threadMessageId).toBeUndefined();
    });
  });

  describe("health", () => {
    it("answers a check, counts an empty outbox as empty, and rejects checks once closed", async () => {
      const store = await factory();
      await store.health.check();
      expect(await store.health.outboxDepth()).toEqual({});
      await store.close();
      await expect(store.health.check()).rejects.toThrow();
    });

    it("writes a backup file while the store stays usable", async () => {
      const store = await open();
      await queued(store, [{ target: { channelId: "C1" }, reply: 1 }]);
      const dir = mkdtempSync(join(tmpdir(), "krbot-conformance-"));
      try {
        const file = join(dir, "nested", "backup.db");
        await store.health.backup(file);
        expect(statSync(file).size).toBeGreaterThan(0);
        expect(await store.health.outboxDepth()).toEqual({ pending: 1 });
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}
