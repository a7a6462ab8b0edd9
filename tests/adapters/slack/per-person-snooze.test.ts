import { describe, expect, it } from "vitest";
import { runningPlan } from "../../helpers/plan-facts.ts";
import { fromUser, useSlackHarness } from "../../helpers/slack-harness.ts";

const ANN = { id: "U0ANN", name: "ann", realName: "Ann Lee" };
const BOB = { id: "U0BOB", name: "bob", realName: "Bob Smith" };
const CAROL = { id: "U0CAROL", name: "carol", realName: "Carol Jones" };

/**
 * Ann and Bob own IV.KR2 of a plan that runs through 2027; Carol owns nothing and is no admin.
 * Commands go through the real Bolt app; reminders go out through the same adapter to the fake API.
 */
describe("Slack: snoozes are per person; a pause for everyone is for owners and admins", () => {
  let ws: number;
  const h = useSlackHarness({
    now: new Date("2027-03-01T09:00:00Z"),
    responseId: "r",
    triggerPrefix: "trig-snooze",
    async before(fake, app) {
      for (const u of [ANN, BOB, CAROL])
        fake.setUser(u.id, { name: u.name, realName: u.realName, tz: "UTC" });
      ws = (await app.store.workspaces.ensure({ platform: "slack", id: "T0FAKE" })).id;
      await app.store.plans.import(ws, runningPlan(), { actor: "test" });
      const krId = (await app.store.keyResults.findByCode(ws, "IV.KR2"))?.id as number;
      for (const u of [ANN, BOB]) {
        const who = { platformUserId: u.id, displayName: u.realName, timezone: "UTC" };
        await app.store.owners.add(ws, krId, who, who);
      }
    },
  });

  const as = (u: typeof ANN, text: string) =>
    h.slash(text, fromUser(u)).then((r) => r.json<{ text: string; blocks?: unknown[] }>());
  /** Runs the scheduler and the delivery worker at `iso`; returns the DMs Slack received, by user. */
  const remindAt = async (iso: string) => {
    h.fake.reset();
    h.at(iso);
    await h.tick();
    // The fake opens a DM with U… as channel DU…
    return h.fake.callsTo("chat.postMessage").map((c) => ({
      to: String(c.body.channel).replace(/^D/, ""),
      text: String(c.body.text),
      blocks: JSON.stringify(c.body.blocks ?? ""),
    }));
  };
  const reminderLog = async () =>
    (await h.app.store.claims.list(ws, "reminder", 50)).map((c) => `${c.target} ${c.outcome} ${c.reason}`);

  it("refuses a pause for everyone from someone who is neither owner nor admin, naming who can", async () => {
    const before = h.app.snapshot();
    const answer = await as(CAROL, "snooze IV.KR2 until 2027-06-01 for everyone");
    expect(answer.text).toContain(
      "Only IV.KR2's owners or a workspace admin can pause reminders about IV.KR2 for everyone.",
    );
    expect(JSON.stringify(answer)).toContain("Owners: Ann Lee, Bob Smith.");
    expect(JSON.stringify(answer)).toContain(
      "To pause only your own reminder, type `/kr snooze IV.KR2 until",
    );
    expect(h.app.snapshot()).toBe(before);
  });

  it("'Snooze a week' pauses only the presser's reminder: the other owner is still reminded", async () => {
    const payload = {
      type: "block_actions",
      team: { id: "T0FAKE", domain: "fake-team" },
      user: { id: ANN.id, name: ANN.name, username: ANN.name, team_id: "T0FAKE" },
      trigger_id: "trig-snooze",
      response_url: h.fake.responseUrl("snooze"),
      actions: [{ action_id: "snooze:IV.KR2", value: "snooze:IV.KR2", type: "button", block_id: "b" }],
    };
    expect((await h.interaction(payload)).status).toBe(200);
    const answer = await h.fake.waitForResponse("snooze");
    expect(String(answer.body.text)).toBe("Your reminders about IV.KR2 are snoozed until 2027-03-08.");
    const dms = await remindAt("2027-03-04T10:00:00Z"); // Thursday 10:00, the workspace default
    expect(dms.map((d) => [d.to, d.text])).toEqual([[BOB.id, "Time for a check-in: IV.KR2"]]);
    expect(await reminderLog()).toContain(`${ANN.id} skipped nothing due (snoozed: IV.KR2 until 2027-03-08)`);
  });

  it("an owner's pause for everyone shows in status, is told once to the other owners, then holds", async () => {
    h.app.setNow(new Date("2027-03-05T12:00:00Z")); // the day after last week's reminders
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
