import { describe, expect, it } from "vitest";
import { PLAN_PERIOD_ENDED } from "../../../src/scheduler/scheduler.ts";
import { fromUser, useSlackHarness } from "../../helpers/slack-harness.ts";

const CAROL = { id: "U0CAROL", name: "carol" };

/** The bundled plan's period is 2021-07-01 → 2022-06-30; the clock is moved around it. */
describe("Slack: a plan whose period has ended (or not yet started) has no pace", () => {
  const h = useSlackHarness({
    now: new Date("2027-03-01T09:00:00Z"),
    responseId: "r",
    triggerPrefix: "trig-ended",
  });

  const slash = (text: string, user?: typeof CAROL) =>
    h.slash(text, user ? fromUser(user) : {}).then((r) => JSON.stringify(r.json()));
  const at = (iso: string) => h.at(iso);

  it("status says the period ended and shows final progress, with no pace and nothing behind", async () => {
    at("2027-03-01T09:00:00Z");
    await slash("update II.KR1 on-track 40% most of it");
    const all = await slash("status");
    expect(all).toContain("period 2021-07-01 → 2022-06-30 ended on 2022-06-30: final results");
    expect(all).toContain("period ended 2022-06-30: final 40% of target");
    expect(all).not.toMatch(/behind|expected \d+%|stale/);
    const one = await slash("status II.KR1");
    expect(one).toContain("*Result*\\nperiod ended 2022-06-30: final 40% of target");
    expect(one).not.toContain("behind");
  });

  it("tells an admin, and only an admin, how to start the next period", async () => {
    at("2027-03-01T09:00:00Z");
    const hint = "krbot plan import &lt;next-plan.yaml&gt; --workspace slack:T0FAKE --replace";
    expect(await slash("status")).toContain(hint);
    expect(await slash("status", CAROL)).not.toContain("krbot plan import");
  });

  it("before the period starts nothing is behind", async () => {
    at("2021-05-01T09:00:00Z");
    const all = await slash("status");
    expect(all).toContain("period 2021-07-01 → 2022-06-30 starts on 2021-07-01");
    expect(all).toContain("period starts 2021-07-01");
    expect(all).not.toContain("behind");
  });

  it("a KR marked done is not behind, whatever its progress", async () => {
    at("2022-03-01T09:00:00Z"); // 67% of the period gone
    const update = await slash("update II.KR3 done 50% shipped what mattered");
    expect(update).toContain("marked done");
    expect(update).not.toContain("behind");
    expect(await slash("status II.KR3")).not.toContain("behind");
  });

  it("digest preview sums up final results; digests and reminders are not sent, each skip logged", async () => {
    at("2027-03-01T07:00:00Z");
    const ws = await h.workspaceId();
    await slash("owner V.KR1 add <@U0CAROL|carol>");
    await slash("digest here mon 09:00 UTC");
    const preview = await slash("digest preview");
    expect(preview).toContain("Final results");
    expect(preview).toContain("The plan period ended on 2022-06-30.");
    expect(preview).not.toMatch(/behind|Needs attention/);
    h.fake.reset();
    for (const iso of ["2027-03-01T09:00:00Z", "2027-03-04T10:00:00Z"]) {
      at(iso);
      await h.tick();
    }
    expect(h.fake.callsTo("chat.postMessage")).toEqual([]);
    const digests = await h.app.store.claims.list(ws, "digest", 10);
    const reminders = await h.app.store.claims.list(ws, "reminder", 10);
    expect(digests.map((c) => [c.target, c.outcome, c.reason])).toEqual([
      ["C0FAKE", "skipped", PLAN_PERIOD_ENDED],
    ]);
    expect(reminders.map((c) => [c.target, c.outcome, c.reason])).toEqual([
      ["U0CAROL", "skipped", "plan period ended"],
    ]);
  });
});
