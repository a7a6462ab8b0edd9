import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackAdapter } from "../../../src/adapters/slack/index.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { DeliveryWorker } from "../../../src/scheduler/delivery.ts";
import { PLAN_PERIOD_ENDED, Scheduler } from "../../../src/scheduler/scheduler.ts";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack-api.ts";
import { postToBolt, slashCommandBody } from "../../fakes/slack-signing.ts";
import { createTestApp } from "../../helpers/app.ts";

const SECRET = "test-signing-secret-0123456789";
const CAROL = { id: "U0CAROL", name: "carol" };

/** The bundled plan's period is 2021-07-01 → 2022-06-30; the clock is moved around it. */
describe("Slack: a plan whose period has ended (or not yet started) has no pace", () => {
  let fake: FakeSlack;
  let app: ReturnType<typeof createTestApp>;
  let adapter: SlackAdapter;
  let url: string;
  const clock = { now: new Date("2027-03-01T09:00:00Z") };
  let requests = 0;

  beforeAll(async () => {
    fake = await startFakeSlack();
    app = createTestApp({ now: clock.now });
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

  const slash = (text: string, user?: typeof CAROL) =>
    postToBolt(
      url,
      slashCommandBody({
        text,
        response_url: fake.responseUrl("r"),
        trigger_id: `trig-ended-${++requests}`,
        ...(user ? { user_id: user.id, user_name: user.name } : {}),
      }),
      { secret: SECRET },
    ).then((r) => JSON.stringify(r.json()));
  const at = (iso: string) => {
    clock.now = new Date(iso);
    app.setNow(clock.now);
  };

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
    const ws = (await app.store.workspaces.find({ platform: "slack", id: "T0FAKE" }))?.id as number;
    await slash("owner V.KR1 add <@U0CAROL|carol>");
    await slash("digest here mon 09:00 UTC");
    const preview = await slash("digest preview");
    expect(preview).toContain("Final results");
    expect(preview).toContain("The plan period ended on 2022-06-30.");
    expect(preview).not.toMatch(/behind|Needs attention/);
    fake.reset();
    const scheduler = new Scheduler(
      app.store,
      { defaultTimezone: "UTC", graceMs: 3_600_000, staleDays: 7 },
      () => clock.now,
      silentLogger,
    );
    const worker = new DeliveryWorker(
      app.store,
      new Map([["slack", adapter]]),
      () => clock.now,
      silentLogger,
    );
    for (const iso of ["2027-03-01T09:00:00Z", "2027-03-04T10:00:00Z"]) {
      at(iso);
      await scheduler.tick();
      await worker.drain();
    }
    expect(fake.callsTo("chat.postMessage")).toEqual([]);
    const digests = await app.store.claims.list(ws, "digest", 10);
    const reminders = await app.store.claims.list(ws, "reminder", 10);
    expect(digests.map((c) => [c.target, c.outcome, c.reason])).toEqual([
      ["C0FAKE", "skipped", PLAN_PERIOD_ENDED],
    ]);
    expect(reminders.map((c) => [c.target, c.outcome, c.reason])).toEqual([
      ["U0CAROL", "skipped", "plan period ended"],
    ]);
  });
});
