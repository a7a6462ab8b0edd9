import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.ts";
import { DeliveryWorker } from "../../src/scheduler/delivery.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import { runningPlan } from "../helpers/plan-facts.ts";

import { RecordingAdapter, transient } from "../helpers/recording-adapter.ts";

const plan = runningPlan();
const HOUR = 3_600_000;
const SETTINGS = { defaultTimezone: "UTC", graceMs: 12 * HOUR, staleDays: 7 };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A Slack workspace with the bundled plan and a Monday 09:00 Europe/Berlin digest in C1. */
async function setup(opts: { url?: string; activeFrom?: Date } = {}) {
  const store = openSqliteStore(opts.url ?? ":memory:");
  const ws = await store.workspaces.ensure({ platform: "slack", id: "T1" });
  if (!(await store.plans.get(ws.id))) {
    await store.plans.import(ws.id, plan, { actor: "test" });
    await store.schedules.upsertDigest(ws.id, {
      channelId: "C1",
      weekday: 1,
      time: "09:00",
      timezone: "Europe/Berlin",
      scope: { kind: "all" },
      createdBy: "U1",
      activeFrom: opts.activeFrom ?? new Date("2027-01-01T00:00:00Z"),
    });
  }
  const clock = { now: new Date("2027-03-01T07:59:00Z") };
  const adapter = new RecordingAdapter("slack");
  const scheduler = new Scheduler(store, SETTINGS, () => clock.now, silentLogger);
  const worker = new DeliveryWorker(store, new Map([["slack", adapter]]), () => clock.now, silentLogger, {
    backoffMs: () => 60_000,
    leaseMs: 120_000,
  });
  const at = (iso: string) => {
    clock.now = new Date(iso);
  };
  const run = async () => {
    const report = await scheduler.tick();
    await worker.drain();
    return report;
  };
  return { store, ws, clock, adapter, scheduler, worker, at, run };
}

const mainPosts = (a: RecordingAdapter) =>
  a.posts.filter((p) => p.target.channelId === "C1" && !p.target.threadOf);

describe("digest scheduling", () => {
  it("sends the digest once at 09:00 Berlin (08:00 UTC), not before, and not again that week", async () => {
    const s = await setup();
    await s.run();
    expect(s.adapter.posts).toHaveLength(0);
    s.at("2027-03-01T08:00:00Z");
    await s.run();
    expect(mainPosts(s.adapter)).toHaveLength(1);
    for (const t of ["2027-03-01T08:00:30Z", "2027-03-01T20:00:00Z", "2027-03-07T23:00:00Z"]) {
      s.at(t);
      await s.run();
    }
    expect(mainPosts(s.adapter)).toHaveLength(1);
    s.at("2027-03-08T08:00:00Z");
    await s.run();
    expect(mainPosts(s.adapter)).toHaveLength(2);
  });

  it("puts the per-objective details in the digest's thread on Slack", async () => {
    const s = await setup();
    s.at("2027-03-01T08:00:00Z");
    await s.run();
    const [main, ...thread] = s.adapter.posts;
    expect(main?.reply.summary).toContain("Weekly digest");
    expect(thread).toHaveLength(5);
    expect(thread.every((p) => p.target.threadOf === main?.messageId)).toBe(true);
  });

  it("after downtime, sends a missed digest late within the grace window", async () => {
    const s = await setup();
    s.at("2027-03-01T19:00:00Z"); // 11 h late
    const report = await s.run();
    expect(mainPosts(s.adapter)).toHaveLength(1);
    expect(report.claimed[0]).toMatchObject({ kind: "digest", outcome: "sent" });
  });

  it("skips and logs a digest missed beyond the grace window, once", async () => {
    const s = await setup();
    s.at("2027-03-01T21:00:00Z"); // 13 h late
    const report = await s.run();
    expect(s.adapter.posts).toHaveLength(0);
    expect(report.claimed).toEqual([
      expect.objectContaining({
        kind: "digest",
        outcome: "skipped",
        reason: expect.stringContaining("13 h late"),
      }),
    ]);
    s.at("2027-03-01T21:00:30Z");
    expect((await s.run()).claimed).toEqual([]);
  });

  it("does not fire for this week's past slot when the schedule is new", async () => {
    const s = await setup({ activeFrom: new Date("2027-03-01T10:00:00Z") });
    s.at("2027-03-01T10:00:30Z");
    await s.run();
    expect(s.adapter.posts).toHaveLength(0);
  });

  it("never fires the current week twice when the schedule changes or is recreated", async () => {
    const s = await setup();
    s.at("2027-03-01T08:00:00Z");
    await s.run();
    await s.store.schedules.upsertDigest(s.ws.id, {
      channelId: "C1",
      weekday: 1,
      time: "15:00",
      timezone: "Europe/Berlin",
      scope: { kind: "all" },
      createdBy: "U1",
      activeFrom: new Date("2027-03-01T09:00:00Z"),
    });
    s.at("2027-03-01T14:00:00Z");
    await s.run();
    await s.store.schedules.removeDigest(s.ws.id, "C1", { platformUserId: "U1", displayName: "U1" });
    await s.store.schedules.upsertDigest(s.ws.id, {
      channelId: "C1",
      weekday: 2,
      time: "09:00",
      timezone: "Europe/Berlin",
      scope: { kind: "all" },
      createdBy: "U1",
      activeFrom: new Date("2027-03-01T15:00:00Z"),
    });
    s.at("2027-03-02T08:00:00Z");
    await s.run();
    expect(mainPosts(s.adapter)).toHaveLength(1);
  });

  it("fires a 02:30 digest once on the spring-forward night, at 03:00 local", async () => {
    const s = await setup();
    await s.store.schedules.upsertDigest(s.ws.id, {
      channelId: "C1",
      weekday: 7,
      time: "02:30",
      timezone: "Europe/Berlin",
      scope: { kind: "all" },
      createdBy: "U1",
      activeFrom: new Date("2027-03-01T00:00:00Z"),
    });
    s.at("2027-03-28T00:59:00Z"); // 01:59 CET
    await s.run();
    expect(s.adapter.posts).toHaveLength(0);
    s.at("2027-03-28T01:00:00Z"); // 03:00 CEST: the first instant after the gap
    await s.run();
    s.at("2027-03-28T01:30:00Z");
    await s.run();
    expect(mainPosts(s.adapter)).toHaveLength(1);
  });

  it("with two scheduler instances on one database, sends each digest once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "krbot-two-"));
    dirs.push(dir);
    const url = join(dir, "krbot.db");
    const a = await setup({ url });
    const b = await setup({ url });
    a.at("2027-03-01T08:00:00Z");
    b.at("2027-03-01T08:00:00Z");
    await Promise.all([a.scheduler.tick(), b.scheduler.tick()]);
    await Promise.all([a.worker.drain(), b.worker.drain()]);
    expect(mainPosts(a.adapter).length + mainPosts(b.adapter).length).toBe(1);
    expect(a.adapter.posts.length + b.adapter.posts.length).toBe(6);
  });

  it("retries a failed send with backoff and delivers it exactly once", async () => {
    const s = await setup();
    s.adapter.failNext(transient(), transient(5_000));
    s.at("2027-03-01T08:00:00Z");
    await s.run();
    expect(mainPosts(s.adapter)).toHaveLength(0);
    s.at("2027-03-01T08:01:00Z"); // the 60 s backoff has passed; the platform then asks for 5 s
    await s.run();
    expect(mainPosts(s.adapter)).toHaveLength(0);
    s.at("2027-03-01T08:01:06Z");
    await s.run();
    expect(mainPosts(s.adapter)).toHaveLength(1);
    s.at("2027-03-01T09:00:00Z");
    await s.run();
    expect(mainPosts(s.adapter)).toHaveLength(1);
  });

  it("resends a message whose sender died mid-send once its lease expires, and only once", async () => {
    const s = await setup();
    s.adapter.failNext("hang");
    s.at("2027-03-01T08:00:00Z");
    await s.scheduler.tick();
    void s.worker.drain(); // takes the main message, then hangs inside post(): a crash mid-send
    await new Promise((r) => setTimeout(r, 20));
    const other = new DeliveryWorker(
      s.store,
      new Map([["slack", s.adapter]]),
      () => s.clock.now,
      silentLogger,
      {
        leaseMs: 120_000,
      },
    );
    await other.drain();
    expect(mainPosts(s.adapter)).toHaveLength(0); // still leased by the "dead" worker
    s.at("2027-03-01T08:02:01Z");
    await other.drain();
    expect(mainPosts(s.adapter)).toHaveLength(1);
    expect(s.adapter.posts).toHaveLength(6);
  });
});

describe("claims", () => {
  it("writes nothing when an occurrence is claimed twice", async () => {
    const s = await setup();
    const claim = {
      kind: "digest" as const,
      target: "C9",
      periodKey: "2027-W09",
      scheduledFor: new Date(),
      claimedAt: new Date(),
      outcome: "sent" as const,
      reason: "",
    };
    const msg = [
      {
        target: { channelId: "C9" },
        reply: { summary: "x", visibility: "channel", tone: "info", blocks: [] },
      },
    ];
    expect(await s.store.claims.claim(s.ws.id, claim, msg)).toBe(true);
    expect(await s.store.claims.claim(s.ws.id, claim, msg)).toBe(false);
    const rows = s.store.db.$client
      .prepare("select count(*) n from outbox where channel_id = 'C9'")
      .get() as { n: number };
    expect(rows.n).toBe(1);
  });
});
