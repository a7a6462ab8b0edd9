import { describe, expect, it } from "vitest";
import type { Reply } from "../../../src/core/reply.ts";
import type { ClaimInput } from "../../../src/store/store.ts";
import { ANN, AT, freshStores, later, type StoreFactory } from "./fixtures.ts";

const NOTICE: Reply = {
  summary: "Your digest is failing",
  visibility: "ephemeral",
  tone: "warning",
  blocks: [],
};

/** A digest schedule for `channelId`, created by U1. */
export function digestFor(
  channelId: string,
  scope: { kind: "all" } | { kind: "objective" | "team"; value: string },
) {
  return {
    channelId,
    weekday: 1,
    time: "09:00",
    timezone: "Europe/Berlin",
    scope,
    createdBy: "U1",
    activeFrom: AT,
  };
}

/** A sent digest claim for `target` in `periodKey`. */
export function claimFor(target: string, periodKey: string, over: Partial<ClaimInput> = {}): ClaimInput {
  return {
    kind: "digest",
    target,
    periodKey,
    scheduledFor: AT,
    claimedAt: AT,
    outcome: "sent",
    reason: "due",
    ...over,
  };
}

/** Channel digests and exactly-once claims. */
export function schedulingSuite(factory: StoreFactory): void {
  const open = freshStores(factory);

  describe("schedules", () => {
    it("keeps one digest per channel: a second set-up replaces the first", async () => {
      const store = await open();
      const ws = await store.workspaces.ensure({ platform: "slack", id: "T1" });
      const first = await store.schedules.upsertDigest(ws.id, digestFor("C1", { kind: "all" }));
      expect(first.replaced).toBe(false);
      expect(first.schedule).toEqual({
        id: expect.any(Number),
        workspaceId: ws.id,
        ...digestFor("C1", { kind: "all" }),
      });
      const second = await store.schedules.upsertDigest(ws.id, {
        ...digestFor("C1", { kind: "team", value: "Beta" }),
        weekday: 5,
      });
      expect(second.replaced).toBe(true);
      expect(second.schedule).toMatchObject({
        id: first.schedule.id,
        weekday: 5,
        scope: { kind: "team", value: "Beta" },
      });
      await store.schedules.upsertDigest(ws.id, digestFor("C2", { kind: "objective", value: "II" }));
      const list = await store.schedules.listDigests(ws.id);
      expect(list.map((d) => [d.channelId, d.scope])).toEqual([
        ["C1", { kind: "team", value: "Beta" }],
        ["C2", { kind: "objective", value: "II" }],
      ]);
      expect(await store.schedules.removeDigest(ws.id, "C1", ANN)).toBe(true);
      expect(await store.schedules.removeDigest(ws.id, "C1", ANN)).toBe(false);
      expect((await store.schedules.listDigests(ws.id)).map((d) => d.channelId)).toEqual(["C2"]);
    });

    it("marks a digest failing once, queueing one notice to its creator, until cleared or set up again", async () => {
      const store = await open();
      const ws = await store.workspaces.ensure({ platform: "slack", id: "T1" });
      await store.schedules.upsertDigest(ws.id, digestFor("C1", { kind: "all" }));
      const failure = { reason: "not_in_channel", at: AT };
      expect(await store.schedules.markDigestFailing(ws.id, "C1", failure, NOTICE)).toBe(true);
      expect(await store.schedules.markDigestFailing(ws.id, "C1", { ...failure, at: later(5) }, NOTICE)).toBe(
        false,
      );
      expect((await store.schedules.listDigests(ws.id))[0]?.failing).toEqual({
        since: AT,
        reason: "not_in_channel",
      });
      const notices = await store.outbox.lease(later(10), 10, 60_000);
      expect(notices).toEqual([
        {
          id: expect.any(Number),
          leaseToken: expect.any(String),
          workspaceId: ws.id,
          platform: "slack",
          externalWorkspaceId: "T1",
          target: { userId: "U1" },
          reply: NOTICE,
          attempts: 1,
        },
      ]);
      await store.schedules.clearDigestFailing(ws.id, "C1");
      expect((await store.schedules.listDigests(ws.id))[0]?.failing).toBeUndefined();
      expect(await store.schedules.markDigestFailing(ws.id, "C1", failure, NOTICE)).toBe(true);
      await store.schedules.upsertDigest(ws.id, digestFor("C1", { kind: "all" }));
      expect((await store.schedules.listDigests(ws.id))[0]?.failing).toBeUndefined();
      expect(await store.schedules.markDigestFailing(ws.id, "C-none", failure, NOTICE)).toBe(false);
    });
  });

  describe("claims", () => {
    it("claims an occurrence exactly once: a second claim returns false and writes no outbox rows", async () => {
      const store = await open();
      const ws = await store.workspaces.ensure({ platform: "slack", id: "T1" });
      const messages = [{ target: { channelId: "C1" }, reply: { n: 1 } }];
      expect(await store.claims.claim(ws.id, claimFor("C1", "2024-W09"), messages)).toBe(true);
      expect(await store.health.outboxDepth()).toEqual({ pending: 1 });
      expect(
        await store.claims.claim(ws.id, claimFor("C1", "2024-W09", { claimedAt: later(1) }), [
          ...messages,
          ...messages,
        ]),
      ).toBe(false);
      expect(await store.health.outboxDepth()).toEqual({ pending: 1 });
      expect(await store.claims.list(ws.id, "digest", 10)).toHaveLength(1);
      // Another period, target or kind is another occurrence.
      expect(await store.claims.claim(ws.id, claimFor("C1", "2024-W10"), [])).toBe(true);
      expect(await store.claims.claim(ws.id, claimFor("C2", "2024-W09"), [])).toBe(true);
      expect(await store.claims.claim(ws.id, claimFor("C1", "2024-W09", { kind: "reminder" }), [])).toBe(
        true,
      );
    });

    it("reads back the latest claim of a target and the latest claims of a kind", async () => {
      const store = await open();
      const ws = await store.workspaces.ensure({ platform: "slack", id: "T1" });
      const w9 = claimFor("U1", "2024-W09", { kind: "reminder", outcome: "skipped", reason: "snoozed" });
      const w10 = claimFor("U1", "2024-W10", {
        kind: "reminder",
        scheduledFor: later(7 * 24 * 60),
        claimedAt: later(7 * 24 * 60),
        snapshot: { trainers: 10, cost: null },
      });
      await store.claims.claim(ws.id, w10, []);
      await store.claims.claim(ws.id, w9, []);
      await store.claims.claim(ws.id, claimFor("C1", "2024-W09"), []);
      expect(await store.claims.last(ws.id, "reminder", "U1")).toEqual({ id: expect.any(Number), ...w10 });
      expect(await store.claims.last(ws.id, "reminder", "U2")).toBeUndefined();
      expect(await store.claims.last(ws.id, "digest", "U1")).toBeUndefined();
      const reminders = await store.claims.list(ws.id, "reminder", 10);
      expect(reminders.map((c) => c.periodKey)).toEqual(["2024-W10", "2024-W09"]);
      expect(reminders[1]).toEqual({ id: expect.any(Number), ...w9 });
      expect((await store.claims.list(ws.id, "reminder", 1)).map((c) => c.periodKey)).toEqual(["2024-W10"]);
    });
  });
}
