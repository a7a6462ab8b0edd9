import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/core/logger.ts";
import { DeliveryWorker } from "../../src/scheduler/delivery.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import { runningPlan } from "../helpers/plan-facts.ts";
import { dmBlocked, RecordingAdapter } from "../helpers/recording-adapter.ts";

const plan = runningPlan();
const ANN = { platformUserId: "UANN", displayName: "Ann", timezone: "America/New_York" };
const BO = { platformUserId: "UBO", displayName: "Bo", timezone: "Asia/Kolkata" };

/** Ann (New York) owns IV.KR2 and II.KR1; Bo (Kolkata) owns V.KR1. Reminders: Thursdays 10:00 local. */
async function setup() {
  const store = openSqliteStore(":memory:");
  const ws = await store.workspaces.ensure({ platform: "slack", id: "T1" });
  await store.plans.import(ws.id, plan, { actor: "test" });
  const krs = await store.keyResults.list(ws.id);
  const id = (code: string) => krs.find((k) => k.code === code)?.id as number;
  await store.owners.add(ws.id, id("IV.KR2"), ANN, ANN);
  await store.owners.add(ws.id, id("II.KR1"), ANN, ANN);
  await store.owners.add(ws.id, id("V.KR1"), BO, BO);
  const clock = { now: new Date("2027-03-04T04:00:00Z") };
  const adapter = new RecordingAdapter("slack");
  const scheduler = new Scheduler(
    store,
    { defaultTimezone: "UTC", graceMs: 12 * 3_600_000, staleDays: 7 },
    () => clock.now,
    silentLogger,
  );
  const worker = new DeliveryWorker(store, new Map([["slack", adapter]]), () => clock.now, silentLogger);
  const run = async (iso: string) => {
    clock.now = new Date(iso);
    await scheduler.tick();
    await worker.drain();
  };
  const checkIn = (code: string, iso: string, req: string) =>
    store.checkIns.record(ws.id, {
      krId: id(code),
      author: ANN,
      values: [],
      reportedProgress: 0.5,
      note: "",
      requestId: req,
      at: new Date(iso),
    });
  const dmsTo = (user: string) => adapter.posts.filter((p) => p.target.userId === user);
  const log = async () =>
    (await store.claims.list(ws.id, "reminder", 50)).map(
      (c) => `${c.target} ${c.periodKey} ${c.outcome} ${c.reason}`,
    );
  return { store, ws, id, run, checkIn, dmsTo, adapter, log };
}

describe("owner reminders", () => {
  it("sends each owner one DM at 10:00 in their own zone, listing only their KRs", async () => {
    const s = await setup();
    await s.run("2027-03-04T04:29:00Z");
    expect(s.adapter.posts).toHaveLength(0);
    await s.run("2027-03-04T04:30:00Z"); // 10:00 in Kolkata
    expect(s.dmsTo("UBO")).toHaveLength(1);
    expect(s.dmsTo("UANN")).toHaveLength(0);
    await s.run("2027-03-04T15:00:00Z"); // 10:00 in New York
    const [ann] = s.dmsTo("UANN");
    expect(ann?.reply.summary).toBe("Time for a check-in: II.KR1, IV.KR2");
    const buttons = ann?.reply.blocks.flatMap((b) => (b.kind === "actions" ? b.items.map((i) => i.id) : []));
    expect(buttons).toEqual(["update:II.KR1", "snooze:II.KR1", "update:IV.KR2", "snooze:IV.KR2"]);
    await s.run("2027-03-04T23:00:00Z");
    expect(s.adapter.posts).toHaveLength(2);
  });

  it("leaves out KRs checked in this week, and sends nothing when none is due", async () => {
    const s = await setup();
    await s.checkIn("II.KR1", "2027-03-02T12:00:00Z", "r1");
    await s.run("2027-03-04T15:00:00Z");
    expect(s.dmsTo("UANN")[0]?.reply.summary).toBe("Time for a check-in: IV.KR2");
    await s.checkIn("IV.KR2", "2027-03-09T12:00:00Z", "r2");
    await s.checkIn("II.KR1", "2027-03-09T12:00:00Z", "r3");
    await s.run("2027-03-11T15:00:00Z");
    expect(s.dmsTo("UANN")).toHaveLength(1);
    expect(await s.log()).toContain("UANN 2027-W10 skipped nothing due (checked in: II.KR1, IV.KR2)");
  });

  it("respects a snooze until it expires, and skips done KRs", async () => {
    const s = await setup();
    await s.store.snoozes.set(s.ws.id, s.id("IV.KR2"), "2027-03-10", ANN, {
      forEveryone: false,
      at: new Date("2027-03-01T00:00:00Z"),
    });
    await s.store.checkIns.record(s.ws.id, {
      krId: s.id("II.KR1"),
      author: ANN,
      status: "done",
      values: [],
      note: "",
      requestId: "done-1",
      at: new Date("2027-02-20T00:00:00Z"),
    });
    await s.run("2027-03-04T15:00:00Z");
    expect(s.dmsTo("UANN")).toHaveLength(0);
    expect(await s.log()).toContain(
      "UANN 2027-W09 skipped nothing due (snoozed: IV.KR2 until 2027-03-10; done: II.KR1)",
    );
    await s.run("2027-03-11T15:00:00Z"); // the snooze ended on the 10th
    expect(s.dmsTo("UANN")[0]?.reply.summary).toBe("Time for a check-in: IV.KR2");
  });

  it("sends nothing to someone away or with reminders off, and says why", async () => {
    const s = await setup();
    await s.store.members.setReminderSettings(s.ws.id, ANN, { awayUntil: "2027-03-05" });
    await s.store.members.setReminderSettings(s.ws.id, BO, { remindEnabled: false });
    await s.run("2027-03-04T15:00:00Z");
    expect(s.adapter.posts).toHaveLength(0);
    const log = await s.log();
    expect(log).toContain("UANN 2027-W09 skipped away until 2027-03-05");
    expect(log).toContain("UBO 2027-W09 skipped reminders off");
  });

  it("remembers an owner whose DMs are closed and skips them from then on", async () => {
    const s = await setup();
    s.adapter.failNext(dmBlocked());
    await s.run("2027-03-04T04:30:00Z");
    expect(s.dmsTo("UBO")).toHaveLength(0);
    const bo = (await s.store.members.list(s.ws.id)).find((m) => m.platformUserId === "UBO");
    expect(bo?.dmBlocked).toBe(true);
    await s.run("2027-03-11T04:30:00Z");
    expect(s.dmsTo("UBO")).toHaveLength(0);
    expect(await s.log()).toContain("UBO 2027-W10 skipped DMs blocked");
  });

  it("keeps a zone the person chose for reminders over the one their profile reports", async () => {
    const s = await setup();
    await s.store.members.setReminderSettings(s.ws.id, ANN, { remindTimezone: "Europe/Berlin" });
    await s.checkIn("V.KR1", "2027-03-01T12:00:00Z", "profile-refresh"); // ANN's profile says New York again
    await s.run("2027-03-04T09:00:00Z"); // Thursday 10:00 in Berlin
    expect(s.dmsTo("UANN")).toHaveLength(1);
  });

  it("uses a person's own slot when they set one", async () => {
    const s = await setup();
    await s.store.members.setReminderSettings(s.ws.id, ANN, { remindWeekday: 1, remindTime: "08:00" });
    await s.run("2027-03-08T13:00:00Z"); // Monday 08:00 in New York (EST)
    expect(s.dmsTo("UANN")).toHaveLength(1);
    await s.run("2027-03-11T15:00:00Z");
    expect(s.dmsTo("UANN")).toHaveLength(1);
  });
});
