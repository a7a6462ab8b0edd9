import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackAdapter } from "../../../src/adapters/slack/index.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { DeliveryWorker } from "../../../src/scheduler/delivery.ts";
import { Scheduler } from "../../../src/scheduler/scheduler.ts";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack-api.ts";
import { interactionBody, postToBolt, slashCommandBody } from "../../fakes/slack-signing.ts";
import { createTestApp } from "../../helpers/app.ts";
import { runningPlan } from "../../helpers/plan-facts.ts";

const SECRET = "test-signing-secret-0123456789";
const ANN = { id: "U0ANN", name: "ann", realName: "Ann Lee" };
const BOB = { id: "U0BOB", name: "bob", realName: "Bob Smith" };
const CAROL = { id: "U0CAROL", name: "carol", realName: "Carol Jones" };

/**
 * Ann and Bob own IV.KR2 of a plan that runs through 2027; Carol owns nothing and is no admin.
 * Commands go through the real Bolt app; reminders go out through the same adapter to the fake API.
 */
describe("Slack: snoozes are per person; a pause for everyone is for owners and admins", () => {
  let fake: FakeSlack;
  let app: ReturnType<typeof createTestApp>;
  let adapter: SlackAdapter;
  let url: string;
  let ws: number;
  const clock = { now: new Date("2027-03-01T09:00:00Z") };
  let requests = 0;

  beforeAll(async () => {
    fake = await startFakeSlack();
    for (const u of [ANN, BOB, CAROL]) fake.setUser(u.id, { name: u.name, realName: u.realName, tz: "UTC" });
    app = createTestApp({ now: clock.now });
    ws = (await app.store.workspaces.ensure({ platform: "slack", id: "T0FAKE" })).id;
    await app.store.plans.import(ws, runningPlan(), { actor: "test" });
    const krId = (await app.store.keyResults.findByCode(ws, "IV.KR2"))?.id as number;
    for (const u of [ANN, BOB]) {
      const who = { platformUserId: u.id, displayName: u.realName, timezone: "UTC" };
      await app.store.owners.add(ws, krId, who, who);
    }
    adapter = new SlackAdapter({
      botToken: "xoxb-test-token",
      signingSecret: SECRET,
      apiUrl: fake.apiUrl,
      port: 0,
      host: "127.0.0.1",
      log: silentLogger,
      retryConfig: { retries: 0 },
    });
    await adapter.start(app.core);
    url = `http://127.0.0.1:${adapter.port}/slack/events`;
  });
  afterEach(() => fake.reset());
  afterAll(async () => {
    await adapter.stop();
    await fake.close();
    await app.close();
  });

  const as = (u: typeof ANN, text: string) =>
    postToBolt(
      url,
      slashCommandBody({
        text,
        user_id: u.id,
        user_name: u.name,
        response_url: fake.responseUrl("r"),
        trigger_id: `trig-snooze-${++requests}`,
      }),
      { secret: SECRET },
    ).then((r) => r.json<{ text: string; blocks?: unknown[] }>());
  /** Runs the scheduler and the delivery worker at `iso`; returns the DMs Slack received, by user. */
  const remindAt = async (iso: string) => {
    fake.reset();
    clock.now = new Date(iso);
    app.setNow(clock.now);
    const scheduler = new Scheduler(
      app.store,
      { defaultTimezone: "UTC", graceMs: 3_600_000, staleDays: 7 },
      () => clock.now,
      silentLogger,
    );
    await scheduler.tick();
    await new DeliveryWorker(app.store, new Map([["slack", adapter]]), () => clock.now, silentLogger).drain();
    // The fake opens a DM with U… as channel DU…
    return fake.callsTo("chat.postMessage").map((c) => ({
      to: String(c.body.channel).replace(/^D/, ""),
      text: String(c.body.text),
      blocks: JSON.stringify(c.body.blocks ?? ""),
    }));
  };
  const reminderLog = async () =>
    (await app.store.claims.list(ws, "reminder", 50)).map((c) => `${c.target} ${c.outcome} ${c.reason}`);

  it("refuses a pause for everyone from someone who is neither owner nor admin, naming who can", async () => {
    const before = app.snapshot();
    const answer = await as(CAROL, "snooze IV.KR2 until 2027-06-01 for everyone");
    expect(answer.text).toContain(
      "Only IV.KR2's owners or a workspace admin can pause reminders about IV.KR2 for everyone.",
    );
    expect(JSON.stringify(answer)).toContain("Owners: Ann Lee, Bob Smith.");
    expect(JSON.stringify(answer)).toContain(
      "To pause only your own reminder, type `/kr snooze IV.KR2 until",
    );
    expect(app.snapshot()).toBe(before);
  });

  it("'Snooze a week' pauses only the presser's reminder: the other owner is still reminded", async () => {
    const payload = interactionBody({
      type: "block_actions",
      team: { id: "T0FAKE", domain: "fake-team" },
      user: { id: ANN.id, name: ANN.name, username: ANN.name, team_id: "T0FAKE" },
      trigger_id: "trig-snooze",
      response_url: fake.responseUrl("snooze"),
      actions: [{ action_id: "snooze:IV.KR2", value: "snooze:IV.KR2", type: "button", block_id: "b" }],
    });
    expect((await postToBolt(url, payload, { secret: SECRET })).status).toBe(200);
    const answer = await fake.waitForResponse("snooze");
    expect(String(answer.body.text)).toBe("Your reminders about IV.KR2 are snoozed until 2027-03-08.");
    const dms = await remindAt("2027-03-04T10:00:00Z"); // Thursday 10:00, the workspace default
    expect(dms.map((d) => [d.to, d.text])).toEqual([[BOB.id, "Time for a check-in: IV.KR2"]]);
    expect(await reminderLog()).toContain(`${ANN.id} skipped nothing due (snoozed: IV.KR2 until 2027-03-08)`);
  });

  it("an owner's pause for everyone shows in status, is told once to the other owners, then holds", async () => {
    app.setNow(new Date("2027-03-05T12:00:00Z")); // the day after last week's reminders
    const set = await as(ANN, "snooze IV.KR2 until 2027-06-01 for everyone");
    expect(set.text).toBe(
      "Reminders about IV.KR2 are paused for everyone until 2027-06-01; its owners are told in their next reminder.",
    );
    const status = await as(CAROL, "status IV.KR2");
    expect(JSON.stringify(status)).toContain("reminders paused for everyone until 2027-06-01 by @ann");
    const told = await remindAt("2027-03-11T10:00:00Z");
    expect(told.map((d) => [d.to, d.text])).toEqual([[BOB.id, "Reminders paused for everyone: IV.KR2"]]);
    expect(told[0]?.blocks).toContain("reminders paused for everyone until 2027-06-01 by @ann");
    expect(await remindAt("2027-03-18T10:00:00Z")).toEqual([]);
    expect(await reminderLog()).toContain(
      `${BOB.id} skipped nothing due (snoozed: IV.KR2 for everyone until 2027-06-01 by ann)`,
    );
  });

  it("says nothing was paused when there is nothing to lift", async () => {
    const answer = await as(CAROL, "snooze IV.KR2 off");
    expect(answer.text).toBe("Nothing was paused: you hadn't snoozed reminders about IV.KR2.");
    expect(JSON.stringify(answer)).toContain("But reminders paused for everyone until 2027-06-01 by @ann.");
    expect((await as(CAROL, "away off")).text).toBe(
      "Nothing was paused: you weren't away, so your reminders were already on.",
    );
  });
});
