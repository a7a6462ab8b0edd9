import { describe, expect, it } from "vitest";
import { nowSeconds } from "../../fakes/slack-signing.ts";
import { useSlackHarness } from "../../helpers/slack-harness.ts";

/** Digests and reminders end to end: signed slash commands in, the scheduler, the worker, fake Slack out. */
describe("Slack digests", () => {
  const h = useSlackHarness({ now: new Date("2022-01-03T10:00:00Z") });

  const at = (iso: string) => h.at(iso);
  const slash = async (text: string, extra: Record<string, string> = {}) => {
    const res = await h.slash(text, extra);
    // The whole answer (fallback text and blocks) as one string, Slack's escaping undone.
    return {
      text: res.text.replace(/\\n/g, "\n").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&"),
    };
  };
  /** One scheduler tick and a full drain of the outbox through the Slack adapter, at `now`. */
  const tick = () => h.tick({ maxAttempts: 1 });
  const digestsIn = (channel: string) =>
    h.fake.callsTo("chat.postMessage").filter((c) => c.body.channel === channel && !c.body.thread_ts);
  const wsId = () => h.workspaceId();

  it("counts a check-in made on the digest day before the digest time in exactly one digest, and labels the window", async () => {
    at("2022-01-03T10:00:00Z");
    await slash("digest here mon 09:00 Europe/Berlin", { channel_id: "CWEEK" });
    at("2022-01-10T07:30:00Z"); // Monday 08:30 in Berlin, before the 09:00 digest
    await slash("update IV.KR2 on-track trainers=25", { channel_id: "CWEEK" });
    at("2022-01-10T08:00:00Z");
    await tick();
    const [first] = digestsIn("CWEEK");
    expect(first?.body.text).toContain("Mon 3 Jan 09:00 – Mon 10 Jan 2022 09:00 (Europe/Berlin): 1 check-in");
    h.fake.reset();
    at("2022-01-17T08:00:00Z");
    await tick();
    const [second] = digestsIn("CWEEK");
    expect(second?.body.text).toContain(
      "Mon 10 Jan 09:00 – Mon 17 Jan 2022 09:00 (Europe/Berlin): 0 check-ins",
    );
  });

  it("shows as next the digest that will really be sent once this week's was claimed", async () => {
    at("2022-01-17T09:30:00Z"); // CWEEK's digest for this week went out at 08:00 UTC
    const moved = await slash("digest here mon 11:00 Europe/Berlin", { channel_id: "CWEEK" });
    expect(moved.text).toContain("next: 2022-01-24 11:00");
    const list = await slash("digest list", { channel_id: "CWEEK" });
    expect(list.text).not.toContain("2022-01-17 11:00");
  });

  it("keeps a digest's day, time and zone when only its scope changes", async () => {
    at("2022-01-18T10:00:00Z");
    await slash("digest here fri 16:30 Asia/Kolkata", { channel_id: "CSCOPE" });
    const r = await slash("digest here team Growth", { channel_id: "CSCOPE" });
    expect(r.text).toContain("Fridays 16:30 Asia/Kolkata, covering team Growth");
  });

  it("refuses a digest in a direct message, saying where to run it, and stores nothing", async () => {
    const r = await slash("digest here", { channel_id: "D0ALICE", channel_name: "directmessage" });
    expect(r.text).toContain("direct message");
    expect(r.text).toContain("in the channel that should get the digest");
    const schedules = await h.app.store.schedules.listDigests(await wsId());
    expect(schedules.map((s) => s.channelId)).not.toContain("D0ALICE");
  });

  it("refuses a digest in a channel krbot is not a member of, saying how to invite it", async () => {
    h.fake.setHandler("conversations.info", (call) => ({
      ok: true,
      channel: { id: call.body.channel, is_member: false, is_archived: false },
    }));
    try {
      const r = await slash("digest here", { channel_id: "CNOTIN" });
      expect(r.text).toContain("krbot can't post in this channel");
      expect(r.text).toContain("/invite @krbot");
    } finally {
      h.fake.setHandler("conversations.info", undefined);
    }
    h.fake.failNext("conversations.info", { error: "channel_not_found" });
    const hidden = await slash("digest here", { channel_id: "GPRIVATE" });
    expect(hidden.text).toContain("private and krbot was not invited");
    const channels = (await h.app.store.schedules.listDigests(await wsId())).map((s) => s.channelId);
    expect(channels).not.toContain("CNOTIN");
    expect(channels).not.toContain("GPRIVATE");
  });

  it("DMs the digest's creator once and marks it failing in /kr digest list when Slack refuses the channel", async () => {
    at("2022-01-20T10:00:00Z");
    await slash("digest here mon 09:00 Europe/Berlin", { channel_id: "CKICKED" });
    h.fake.reset();
    h.fake.setHandler("chat.postMessage", (call) =>
      call.body.channel === "CKICKED" ? { ok: false, error: "not_in_channel" } : { ok: true, ts: "1.1" },
    );
    try {
      at("2022-01-24T08:00:00Z");
      await tick();
      at("2022-01-31T08:00:00Z");
      await tick();
    } finally {
      h.fake.setHandler("chat.postMessage", undefined);
    }
    const dms = h.fake.callsTo("chat.postMessage").filter((c) => String(c.body.channel).startsWith("D"));
    expect(dms).toHaveLength(1);
    expect(dms[0]?.body.channel).toBe("DU0ALICE");
    expect(String(dms[0]?.body.text)).toContain("could not be posted in channel CKICKED");
    expect(JSON.stringify(dms[0]?.body.blocks)).toContain("/invite @krbot");
    const list = await slash("digest list", { channel_id: "CKICKED" });
    expect(list.text).toMatch(
      /CKICKED\*\n[^\n]*⚠ failing since 2022-01-24: krbot is not a member of the channel/,
    );
    // Invited again: the next digest gets through and the mark is gone.
    at("2022-02-07T08:00:00Z");
    await tick();
    expect(digestsIn("CKICKED").length).toBeGreaterThan(0);
    expect((await slash("digest list")).text).not.toContain("failing");
  });

  it("lists the real digests on the App Home tab", async () => {
    const event = {
      token: "x",
      team_id: "T0FAKE",
      api_app_id: "A0FAKE",
      type: "event_callback",
      event_id: "EvHome",
      event_time: nowSeconds(),
      event: { type: "app_home_opened", user: "U0ALICE", channel: "D0ALICE", tab: "home", event_ts: "1.3" },
    };
    await h.post(JSON.stringify(event), { contentType: "application/json" });
    const call = await h.fake.waitForCall("views.publish");
    const text = JSON.stringify(call.body.view);
    expect(text).not.toContain("No channel digest is scheduled yet.");
    expect(text).toContain("<#CWEEK>");
    expect(text).toContain("Mondays 11:00 Europe/Berlin");
    expect(text).toContain("<#CSCOPE>");
  });

  it("says Thursdays, not a weekday number, for the default reminder", async () => {
    const r = await slash("settings");
    expect(r.text).toContain("Thursdays 10:00");
    expect(r.text).not.toContain("weekday 4");
  });

  it("logs no missed reminder for a week before the person set their reminder", async () => {
    at("2022-02-03T08:00:00Z");
    await slash("owner III.KR2 add <@U0ALICE|alice>");
    at("2022-02-03T09:05:00Z"); // Thursday: the default 10:00 UTC reminder is claimed
    await slash("remind thu 09:00 UTC");
    at("2022-02-03T10:00:00Z");
    await tick();
    at("2022-02-07T12:00:00Z"); // Monday noon: a Monday 08:00 reminder is set after 08:00
    const set = await slash("remind mon 08:00 UTC");
    expect(set.text).toContain("next: 2022-02-14 08:00");
    await tick();
    const claims = await h.app.store.claims.list(await wsId(), "reminder", 20);
    expect(claims.map((c) => c.periodKey)).not.toContain("2022-W06");
  });
});
