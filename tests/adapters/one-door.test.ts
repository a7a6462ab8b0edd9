import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DiscordAdapter } from "../../src/adapters/discord/index.ts";
import { CHECKIN_MODAL_PREFIX } from "../../src/adapters/discord/modal.ts";
import { SlackAdapter } from "../../src/adapters/slack/index.ts";
import { CHECKIN_CALLBACK_ID, KR_SELECT_ACTION } from "../../src/adapters/slack/modal.ts";
import { forms } from "../../src/commands/forms/index.ts";
import { commands } from "../../src/commands/index.ts";
import { Core } from "../../src/core/dispatch.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { Metrics } from "../../src/ops/metrics.ts";
import { BUNDLED_PLAN_PATH } from "../../src/plan/plan-file.ts";
import { workspaceSeeder } from "../../src/plan/seed.ts";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite/index.ts";
import {
  button,
  chatInput,
  type FakeDiscord,
  modalSubmit,
  startFakeDiscord,
} from "../fakes/discord/index.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.ts";
import { interactionBody, postToBolt } from "../fakes/slack-signing.ts";
import { MID_PLAN } from "../helpers/app.ts";

const SECRET = "test-signing-secret-0123456789";
/** Two requests a minute per person, so the third of anything is refused. */
const LIMIT = 2;

/**
 * Every inbound path goes through `core.handle`: forms, typed check-ins and buttons count against
 * the rate limit and in `krbot_commands_total` like typed commands, on the real adapters.
 */
describe("one door: every inbound path is rate limited, counted and answered", () => {
  let store: SqliteStore;
  let metrics: Metrics;
  let fakeSlack: FakeSlack;
  let fakeDiscord: FakeDiscord;
  let slack: SlackAdapter;
  let discord: DiscordAdapter;
  let slackUrl: string;

  beforeAll(async () => {
    store = openSqliteStore(":memory:");
    metrics = new Metrics({ commands: commands.map((c) => c.name), processMetrics: false });
    const core = new Core({
      store,
      commands,
      forms,
      settings: { staleDays: 7, rateLimitPerMinute: LIMIT, admins: ["slack:U0ALICE"], charts: false },
      log: silentLogger,
      now: () => MID_PLAN,
      resolveWorkspace: workspaceSeeder(store, BUNDLED_PLAN_PATH, silentLogger),
      observe: (e) => metrics.observeCommand(e),
    });
    fakeSlack = await startFakeSlack();
    slack = new SlackAdapter({
      botToken: "xoxb-test-token",
      signingSecret: SECRET,
      apiUrl: fakeSlack.apiUrl,
      port: 0,
      host: "127.0.0.1",
      log: silentLogger,
      retryConfig: { retries: 0 },
    });
    await slack.start(core);
    slackUrl = `http://127.0.0.1:${slack.port}/slack/events`;
    fakeDiscord = await startFakeDiscord();
    discord = new DiscordAdapter({
      token: "fake-bot-token",
      applicationId: fakeDiscord.applicationId,
      guildId: fakeDiscord.guildId,
      apiUrl: fakeDiscord.apiUrl,
      log: silentLogger,
      restRetries: 0,
    });
    await discord.start(core);
  });
  afterEach(() => {
    fakeSlack.reset();
    fakeDiscord.reset();
  });
  afterAll(async () => {
    await slack.stop();
    await discord.stop();
    await fakeSlack.close();
    await fakeDiscord.close();
    await store.close();
  });

  const counted = async (labels: Record<string, string>): Promise<number> => {
    const metric = metrics.registry.getSingleMetric("krbot_commands_total");
    const { values } = (await metric?.get()) ?? { values: [] };
    const hit = values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x));
    return hit?.value ?? 0;
  };
  const checkIns = async (platform: "slack" | "discord", id: string) => {
    const ws = await store.workspaces.find({ platform, id });
    const kr = (await store.keyResults.list(ws?.id as number)).find((k) => k.code === "IV.KR2");
    return (await store.checkIns.list(ws?.id as number, kr?.id as number, 50)).length;
  };
  const slackUser = (id: string) => ({ id, name: id, username: id, team_id: "T0FAKE" });
  const team = { id: "T0FAKE", domain: "fake-team" };

  it("counts each Slack check-in form submission, and refuses the one over the limit beside the KR field", async () => {
    const submit = async (viewId: string) => {
      const body = interactionBody({
        type: "view_submission",
        team,
        user: slackUser("U0ALICE"),
        api_app_id: "A0FAKE",
        trigger_id: `trig-${viewId}`,
        view: {
          id: viewId,
          team_id: "T0FAKE",
          type: "modal",
          callback_id: CHECKIN_CALLBACK_ID,
          private_metadata: JSON.stringify({ channelId: "C0FAKE" }),
          hash: "h1",
          state: {
            values: {
              ref: { [KR_SELECT_ACTION]: { type: "static_select", selected_option: { value: "IV.KR2" } } },
              note: { value: { type: "plain_text_input", value: `from ${viewId}` } },
            },
          },
        },
      });
      return postToBolt(slackUrl, body, { secret: SECRET });
    };
    for (const id of ["V1", "V2"]) expect((await submit(id)).text).toBe("");
    const before = await checkIns("slack", "T0FAKE");
    const refused = await submit("V3");
    expect(JSON.parse(refused.text)).toMatchObject({
      response_action: "errors",
      errors: { ref: expect.stringContaining(`faster than ${LIMIT} a minute`) },
    });
    expect(await checkIns("slack", "T0FAKE")).toBe(before);
    expect(await counted({ command: "update", outcome: "ok", platform: "slack" })).toBe(2);
    expect(await counted({ command: "update", outcome: "rate_limited", platform: "slack" })).toBe(1);
  });

  it("counts each Slack button press, and answers the one over the limit privately", async () => {
    const press = async (n: number) => {
      const body = interactionBody({
        type: "block_actions",
        team,
        user: slackUser("U0SNOOZER"),
        trigger_id: `trig-snooze-${n}`,
        response_url: fakeSlack.responseUrl(`snooze-${n}`),
        actions: [{ action_id: "snooze:III.KR3", value: "snooze:III.KR3", type: "button", block_id: "b" }],
      });
      expect((await postToBolt(slackUrl, body, { secret: SECRET })).status).toBe(200);
      return (await fakeSlack.waitForResponse(`snooze-${n}`)).body;
    };
    for (const n of [1, 2]) expect(String((await press(n)).text)).toContain("snoozed until");
    const third = await press(3);
    expect(third.response_type).toBe("ephemeral");
    expect(String(third.text)).toContain(`faster than ${LIMIT} a minute`);
    expect(await counted({ command: "snooze", outcome: "ok", platform: "slack" })).toBe(2);
    expect(await counted({ command: "snooze", outcome: "rate_limited", platform: "slack" })).toBe(1);
  });

  it("tells the Slack presser of an Update button for a KR that is gone what went wrong, in the form", async () => {
    const body = interactionBody({
      type: "block_actions",
      team,
      user: slackUser("U0GINA"),
      trigger_id: "trig-gone",
      channel: { id: "C0FAKE" },
      actions: [{ action_id: "update:II.KR9", value: "update:II.KR9", type: "button", block_id: "b" }],
    });
    expect((await postToBolt(slackUrl, body, { secret: SECRET })).status).toBe(200);
    const view = (await fakeSlack.waitForCall("views.open")).body.view as { blocks: unknown[] };
    expect(JSON.stringify(view.blocks)).toContain("Objective II has no key result 9.");
  });

  it("counts each typed Discord check-in, and refuses the one over the limit without saving", async () => {
    const user = { id: "200000000000000001", username: "dana" };
    const send = async (note: string) => {
      const d = fakeDiscord.dispatchInteraction(chatInput("update", { kr: "IV.KR2", note }, { user }));
      return fakeDiscord.waitForCallback(d.id);
    };
    for (const note of ["one", "two"]) expect((await send(note)).type).toBe(4);
    const before = await checkIns("discord", fakeDiscord.guildId);
    const third = await send("three");
    expect(JSON.stringify(third.data)).toContain(`faster than ${LIMIT} a minute`);
    expect(third.data?.flags).toBe(64);
    expect(await checkIns("discord", fakeDiscord.guildId)).toBe(before);
    expect(await counted({ command: "update", outcome: "ok", platform: "discord" })).toBe(2);
    expect(await counted({ command: "update", outcome: "rate_limited", platform: "discord" })).toBe(1);
  });

  it("counts a Discord check-in modal submission and a button press like commands", async () => {
    const user = { id: "200000000000000002", username: "eli" };
    const before = await counted({ command: "update", outcome: "ok", platform: "discord" });
    const modal = fakeDiscord.dispatchInteraction(
      modalSubmit(`${CHECKIN_MODAL_PREFIX}IV.KR2`, { note: "from the modal" }, { user }),
    );
    expect((await fakeDiscord.waitForCallback(modal.id)).type).toBe(4);
    expect(await counted({ command: "update", outcome: "ok", platform: "discord" })).toBe(before + 1);
    const press = fakeDiscord.dispatchInteraction(button("snooze:III.KR3", { user }));
    expect(JSON.stringify((await fakeDiscord.waitForCallback(press.id)).data)).toContain("snoozed until");
    expect(await counted({ command: "snooze", outcome: "ok", platform: "discord" })).toBe(1);
    const over = fakeDiscord.dispatchInteraction(button("update:IV.KR2", { user }));
    expect(JSON.stringify((await fakeDiscord.waitForCallback(over.id)).data)).toContain("faster than");
    expect(await counted({ command: "update", outcome: "rate_limited", platform: "discord" })).toBe(2);
  });

  it("tells the Discord presser of an Update button for a KR that is gone what went wrong", async () => {
    const user = { id: "200000000000000003", username: "fay" };
    const press = fakeDiscord.dispatchInteraction(button("update:II.KR9", { user }));
    const cb = await fakeDiscord.waitForCallback(press.id);
    expect(cb.type).toBe(4);
    expect(cb.data?.flags).toBe(64);
    expect(JSON.stringify(cb.data)).toContain("Objective II has no key result 9.");
  });
});
