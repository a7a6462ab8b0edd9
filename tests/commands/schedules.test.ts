import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ALICE, createTestApp, textOf } from "../helpers/app.ts";

describe("digest, remind, snooze and away", () => {
  let app: ReturnType<typeof createTestApp>;
  beforeEach(() => {
    app = createTestApp({ now: new Date("2027-03-03T12:00:00Z") });
  });
  afterEach(() => app.close());

  it("starts a Monday 09:00 digest in this channel by default, in the workspace zone", async () => {
    const r = await app.run("digest here");
    expect(r.tone).toBe("success");
    expect(r.summary).toBe(
      "This channel gets a weekly digest: Mondays 09:00 UTC, covering the whole plan (next: 2027-03-08 09:00 (09:00 UTC)).",
    );
    const [s] = await app.store.schedules.listDigests(1);
    expect(s).toMatchObject({
      channelId: "C1",
      weekday: 1,
      time: "09:00",
      timezone: null,
      scope: { kind: "all" },
    });
  });

  it("takes a day, time, zone and scope, and replaces the channel's digest", async () => {
    await app.run("digest here");
    const r = await app.run("digest here fri 16:30 europe/berlin team growth");
    expect(r.summary).toContain(
      "Changed this channel's digest: Fridays 16:30 Europe/Berlin, covering team Growth",
    );
    const all = await app.store.schedules.listDigests(1);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({
      weekday: 5,
      time: "16:30",
      timezone: "Europe/Berlin",
      scope: { kind: "team", value: "Growth" },
    });
  });

  it("rejects a bad slot or scope with what to type, changing nothing", async () => {
    await app.run("list");
    const before = app.snapshot();
    for (const line of [
      "digest here funday 09:00",
      "digest here mon 25:00",
      "digest here mon 09:00 Mars/Olympus",
      "digest here objective IX",
      "digest sometimes",
    ]) {
      const r = await app.run(line);
      expect(r.tone, line).toBe("error");
    }
    expect(textOf(await app.run("digest here mon 09:00 Mars/Olympus"))).toContain("Europe/Berlin");
    expect(app.snapshot()).toBe(before);
  });

  it("lists digests with their next run, stops them, and says when there is none", async () => {
    await app.run("digest here tue 10:00 Asia/Kolkata objective 4");
    expect(textOf(await app.run("digest list"))).toContain(
      "Tuesdays 10:00 Asia/Kolkata · objective IV · next: 2027-03-09 10:00 (04:30 UTC)",
    );
    expect((await app.run("digest off")).tone).toBe("success");
    expect((await app.run("digest off")).tone).toBe("error");
    expect(textOf(await app.run("digest list"))).toContain("No channel has a digest yet.");
  });

  it("previews the next digest so far (from the last Monday 09:00 until now) only to the caller, changing nothing", async () => {
    await app.run("update IV.KR2 on-track trainers=12");
    const before = app.snapshot();
    const r = await app.run("digest preview");
    expect(r.visibility).toBe("ephemeral");
    expect(textOf(r)).toContain("Thriving Movement 2021–22 · Mon 1 Mar 09:00 – Wed 3 Mar 2027 12:00 (UTC)");
    // The bundled plan ended on 2022-06-30: a digest sums up its final results, with nothing to chase.
    expect(textOf(r)).toContain("Final results");
    expect(textOf(r)).not.toContain("behind");
    expect(app.snapshot()).toBe(before);
  });

  it("moves, stops and restarts your reminder", async () => {
    const moved = await app.run("remind thu 15:00 Asia/Kolkata");
    expect(moved.summary).toContain("Your check-in reminder: Thursdays 15:00 Asia/Kolkata");
    const me = (await app.store.members.list(1)).find((m) => m.platformUserId === ALICE.id);
    expect(me).toMatchObject({
      remindWeekday: 4,
      remindTime: "15:00",
      remindTimezone: "Asia/Kolkata",
      remindEnabled: true,
    });
    expect((await app.run("remind off")).summary).toContain("off");
    expect((await app.store.members.list(1)).find((m) => m.platformUserId === ALICE.id)?.remindEnabled).toBe(
      false,
    );
    expect((await app.run("remind on")).summary).toContain("Thursdays 15:00 Asia/Kolkata");
  });

  it("snoozes your own reminder about a KR until a date, refuses past dates, and resumes with off", async () => {
    expect((await app.run("snooze 4.2 until 2027-03-20")).summary).toBe(
      "Your reminders about IV.KR2 are snoozed until 2027-03-20.",
    );
    const id = (await app.store.keyResults.list(1)).find((k) => k.code === "IV.KR2")?.id as number;
    const mine = () => app.store.snoozes.list(1).then((all) => all.filter((s) => s.krId === id));
    expect((await mine()).map((s) => [s.by.platformUserId, s.forEveryone, s.until])).toEqual([
      [ALICE.id, false, "2027-03-20"],
    ]);
    expect((await app.run("snooze IV.KR2 until 2027-03-01")).tone).toBe("error");
    expect((await app.run("snooze IV.KR2 until someday")).tone).toBe("error");
    expect((await app.run("snooze IV.KR2 off")).summary).toBe("Your reminders about IV.KR2 are back on.");
    expect(await mine()).toEqual([]);
  });

  it("says nothing was paused when snooze off or away off has nothing to end, and changes nothing", async () => {
    await app.run("list"); // the workspace and its plan exist before the snapshot
    const before = app.snapshot();
    const snooze = await app.run("snooze IV.KR2 off");
    expect(snooze.summary).toBe("Nothing was paused: you hadn't snoozed reminders about IV.KR2.");
    expect(textOf(snooze)).not.toContain("back on");
    const away = await app.run("away off");
    expect(away.summary).toBe("Nothing was paused: you weren't away, so your reminders were already on.");
    expect(textOf(await app.run("snooze IV.KR2 off for everyone"))).toContain("Nothing was paused");
    expect(app.snapshot()).toBe(before);
  });

  it("counts a snooze's dates in the zone the person chose, not the platform's or the workspace's", async () => {
    // 11:00 UTC on 1 March is already 2 March in Kiritimati (UTC+14), the zone this person chose.
    const early = createTestApp({
      platform: "discord",
      workspaceId: "G1",
      now: new Date("2027-03-01T11:00:00Z"),
    });
    const dora = { id: "dora", name: "Dora", isAdmin: true };
    await early.run("settings zone Pacific/Kiritimati", dora);
    const past = await early.run("snooze IV.KR2 until 2027-03-01", dora);
    expect(past.tone).toBe("error");
    expect(textOf(past)).toContain("2027-03-01");
    expect((await early.run("snooze IV.KR2 until 2027-03-02", dora)).tone).toBe("success");
    await early.close();
  });

  it("pauses all your reminders while away, and ends that with off", async () => {
    expect((await app.run("away until 2027-03-31")).summary).toContain("until 2027-03-31");
    expect((await app.store.members.list(1)).find((m) => m.platformUserId === ALICE.id)?.awayUntil).toBe(
      "2027-03-31",
    );
    expect((await app.run("away off")).summary).toBe("Welcome back: your reminders are on again.");
    expect(
      (await app.store.members.list(1)).find((m) => m.platformUserId === ALICE.id)?.awayUntil,
    ).toBeNull();
  });
});
