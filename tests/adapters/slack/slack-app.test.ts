import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { SlackAdapter } from "../../../src/adapters/slack/index.ts";
import { CHECKIN_CALLBACK_ID, KR_SELECT_ACTION } from "../../../src/adapters/slack/modal.ts";
import { DeliveryError } from "../../../src/core/adapter.ts";
import { Core } from "../../../src/core/dispatch.ts";
import type { InboundEvent, Outcome } from "../../../src/core/inbound.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { reply } from "../../../src/core/reply.ts";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack-api.ts";
import { interactionBody, nowSeconds, postToBolt, slashCommandBody } from "../../fakes/slack-signing.ts";
import { createTestApp, type TestApp } from "../../helpers/app.ts";
import { SLACK_SECRET, useSlackHarness } from "../../helpers/slack-harness.ts";

const SECRET = SLACK_SECRET;

describe("Slack adapter over HTTP", () => {
  const slack = useSlackHarness({ now: new Date("2022-01-01T00:00:00Z"), responseId: "r1" });
  let fake: FakeSlack;
  let app: TestApp;
  let adapter: SlackAdapter;
  let url: string;
  beforeAll(() => {
    ({ fake, app, adapter, url } = slack);
  });

  const slash = (text: string, extra: Record<string, string> = {}) => slack.slash(text, extra);
  const wsId = async () =>
    (await app.store.workspaces.find({ platform: "slack", id: "T0FAKE" }))?.id as number;
  const kr = async (code: string) =>
    (await app.store.keyResults.list(await wsId())).find((k) => k.code === code);
  const sectionTexts = (blocks: { type: string; text?: { text: string } }[]) =>
    blocks.filter((b) => b.type === "section").map((b) => b.text?.text ?? "");

  it("answers /kr status in the ack with Block Kit for all 15 KRs, well inside 3 s", async () => {
    const started = performance.now();
    const res = await slash("status");
    const elapsed = performance.now() - started;
    expect(res.status).toBe(200);
    expect(elapsed).toBeLessThan(3000);
    const body = res.json<{
      response_type: string;
      text: string;
      blocks: { type: string; text?: { text: string } }[];
    }>();
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("15 key results");
    const lines = sectionTexts(body.blocks).filter((t) => /\*[IV]+\.KR\d /.test(t));
    expect(lines).toHaveLength(15);
    expect(lines[10]).toContain("*IV.KR2 Reading Wikipedia in the Classroom expansion*");
    const headers = body.blocks.filter((b) => b.type === "header");
    expect(headers.length).toBe(6);
  });

  it("records /kr update in the channel, with the author's time zone from users.info", async () => {
    const res = await slash("update IV.KR2 on-track trainers=25 teachers_reached=5,200 Cohort 3 certified", {
      trigger_id: "trig-update-1",
    });
    const body = res.json<{ response_type: string; text: string }>();
    expect(body.response_type).toBe("in_channel");
    expect(body.text).toContain("checked in IV.KR2");
    const row = await kr("IV.KR2");
    expect(row?.metrics.find((m) => m.key === "teachers_reached")?.current).toBe(5200);
    expect(fake.callsTo("users.info")[0]?.body.user).toBe("U0ALICE");
    const [member] = await app.store.members.find(await wsId(), { platformUserId: "U0ALICE" });
    expect(member?.timezone).toBe("Europe/Berlin");
  });

  it("answers /kr list and /kr help in the ack", async () => {
    const list = (await slash("list")).json<{ blocks: { type: string; text?: { text: string } }[] }>();
    expect(JSON.stringify(list.blocks)).toContain("V.KR4");
    const help = (await slash("help update")).json<{ text: string }>();
    expect(help.text).toContain("/kr update");
  });

  it("answers an unknown KR with suggestions, ephemerally", async () => {
    const body = (await slash("status IV.KR9")).json<{ response_type: string; text: string }>();
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("no key result 9");
  });

  it("keeps an org-wide install's data under the enterprise, apart from the team's", async () => {
    await slash("update I.KR1 emerging_communities=4", {
      enterprise_id: "E0ORG",
      is_enterprise_install: "true",
      trigger_id: "trig-org",
    });
    const org = await app.store.workspaces.find({ platform: "slack", id: "E0ORG" });
    const inOrg = (await app.store.keyResults.list(org?.id as number)).find((k) => k.code === "I.KR1");
    expect(inOrg?.metrics[0]?.current).toBe(4);
    expect((await kr("I.KR1"))?.metrics[0]?.current).toBeNull();
  });

  it("shows mention syntax in a note literally instead of notifying anyone", async () => {
    const res = await slash("update II.KR1 40% <!channel> <!here> <@U999> please look");
    const json = res.text;
    expect(json).not.toContain("<!channel>");
    expect(json).not.toContain("<!here>");
    expect(json).not.toContain("<@U999>");
    expect(json).toContain("&lt;!channel&gt;");
  });

  describe("refuses requests that are not from Slack, storing nothing", () => {
    const body = () => slashCommandBody({ text: "update II.KR1 90% forged", trigger_id: "trig-forged" });
    it.each([
      [
        "a bad signature",
        { signature: "v0=0000000000000000000000000000000000000000000000000000000000000000" },
      ],
      ["a signature made with another secret", { secret: "someone-elses-secret-000000" }],
      ["a stale timestamp", { timestamp: nowSeconds() - 6 * 60 }],
      ["a timestamp from the future", { timestamp: nowSeconds() + 6 * 60 }],
    ])("with %s: 401", async (_name, opts) => {
      await slash("list");
      const before = app.snapshot();
      const res = await postToBolt(url, body(), { secret: SECRET, ...opts });
      expect(res.status).toBe(401);
      expect(app.snapshot()).toBe(before);
    });

    it("with no signature at all: 401", async () => {
      const before = app.snapshot();
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: body(),
      });
      expect(res.status).toBe(401);
      expect(app.snapshot()).toBe(before);
    });
  });

  describe("the check-in modal", () => {
    const user = { id: "U0ALICE", name: "alice", username: "alice", team_id: "T0FAKE" };
    const team = { id: "T0FAKE", domain: "fake-team" };
    const submission = (viewId: string, values: Record<string, Record<string, unknown>>) =>
      interactionBody({
        type: "view_submission",
        team,
        user,
        api_app_id: "A0FAKE",
        trigger_id: "trig-submit",
        is_enterprise_install: false,
        view: {
          id: viewId,
          team_id: "T0FAKE",
          type: "modal",
          callback_id: CHECKIN_CALLBACK_ID,
          private_metadata: JSON.stringify({ channelId: "C0FAKE" }),
          hash: "h1",
          state: { values },
        },
      });
    const iv2Values = (trainers: string) => ({
      ref: { [KR_SELECT_ACTION]: { type: "static_select", selected_option: { value: "IV.KR2" } } },
      status: { value: { type: "radio_buttons", selected_option: { value: "at-risk" } } },
      "metric:trainers": { value: { type: "plain_text_input", value: trainers } },
      "metric:certificates": { value: { type: "plain_text_input", value: "" } },
      note: { value: { type: "plain_text_input", value: "from the modal" } },
    });

    it("opens from /kr update with the KRs grouped by objective", async () => {
      const res = await slash("update", { trigger_id: "trig-open" });
      expect(res.status).toBe(200);
      expect(res.text).toBe("");
      const call = await fake.waitForCall("views.open");
      expect(call.body.trigger_id).toBe("trig-open");
      const view = call.body.view as {
        callback_id: string;
        blocks: { element?: { option_groups?: { options: unknown[] }[] } }[];
      };
      expect(view.callback_id).toBe(CHECKIN_CALLBACK_ID);
      const groups = view.blocks[0]?.element?.option_groups ?? [];
      expect(groups).toHaveLength(5);
      expect(groups.flatMap((g) => g.options)).toHaveLength(15);
    });

    it("redraws with the chosen KR's metrics, prefilled with current values", async () => {
      const payload = interactionBody({
        type: "block_actions",
        team,
        user,
        trigger_id: "trig-select",
        view: {
          id: "V-select",
          hash: "hash-1",
          private_metadata: JSON.stringify({ channelId: "C0FAKE" }),
          state: {
            values: {
              ref: { [KR_SELECT_ACTION]: { type: "static_select", selected_option: { value: "IV.KR2" } } },
            },
          },
        },
        actions: [
          {
            action_id: KR_SELECT_ACTION,
            block_id: "ref",
            type: "static_select",
            selected_option: { value: "IV.KR2" },
          },
        ],
      });
      expect((await postToBolt(url, payload, { secret: SECRET })).status).toBe(200);
      const call = await fake.waitForCall("views.update");
      expect(call.body.view_id).toBe("V-select");
      expect(call.body.hash).toBe("hash-1");
      const blocks = (
        call.body.view as { blocks: { block_id?: string; element?: { initial_value?: string } }[] }
      ).blocks;
      const ids = blocks.map((b) => b.block_id);
      expect(ids).toContain("metric:trainers");
      expect(ids).toContain("metric:certificates");
      expect(ids).not.toContain("percent");
      const trainers = blocks.find((b) => b.block_id === "metric:trainers");
      expect(trainers?.element?.initial_value).toBe(String((await kr("IV.KR2"))?.metrics[0]?.current ?? ""));
    });

    it("stores a submitted check-in and announces it in the channel", async () => {
      const res = await postToBolt(url, submission("V-ok", iv2Values("31")), { secret: SECRET });
      expect(res.status).toBe(200);
      expect(res.text).toBe("");
      const row = await kr("IV.KR2");
      expect(row?.status).toBe("at_risk");
      expect(row?.metrics.find((m) => m.key === "trainers")?.current).toBe(31);
      expect(row?.lastNote).toBe("from the modal");
      const post = await fake.waitForCall("chat.postMessage");
      expect(post.body.channel).toBe("C0FAKE");
      expect(String(post.body.text)).toContain("checked in IV.KR2");
    });

    it("shows field errors inside the modal and stores nothing", async () => {
      const before = app.snapshot();
      const res = await postToBolt(url, submission("V-bad", iv2Values("lots")), { secret: SECRET });
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({
        response_action: "errors",
        errors: { "metric:trainers": "expected a number like 25, 7,000 or 12.5." },
      });
      expect(app.snapshot()).toBe(before);
    });

    it("stores a submission delivered twice only once", async () => {
      const countCheckIns = () =>
        (app.store.db.$client.prepare("select count(*) n from checkins").get() as { n: number }).n;
      const before = countCheckIns();
      await postToBolt(url, submission("V-twice", iv2Values("33")), { secret: SECRET });
      await postToBolt(url, submission("V-twice", iv2Values("33")), { secret: SECRET });
      expect(countCheckIns()).toBe(before + 1);
    });

    it("opens preselected from an Update button", async () => {
      const payload = interactionBody({
        type: "block_actions",
        team,
        user,
        trigger_id: "trig-button",
        channel: { id: "C0FAKE" },
        actions: [{ action_id: "update:II.KR1:2", value: "update:II.KR1", type: "button", block_id: "b" }],
      });
      expect((await postToBolt(url, payload, { secret: SECRET })).status).toBe(200);
      const call = await fake.waitForCall("views.open");
      const blocks = (
        call.body.view as {
          blocks: { block_id?: string; element?: { initial_option?: { value: string } } }[];
        }
      ).blocks;
      expect(blocks[0]?.element?.initial_option?.value).toBe("II.KR1");
      expect(blocks.map((b) => b.block_id)).toContain("percent");
    });
  });

  it("snoozes a KR for a week from the reminder's button, answering only the clicker", async () => {
    const payload = interactionBody({
      type: "block_actions",
      team: { id: "T0FAKE", domain: "fake-team" },
      user: { id: "U0ALICE", name: "alice", username: "alice", team_id: "T0FAKE" },
      trigger_id: "trig-snooze",
      response_url: fake.responseUrl("snooze"),
      actions: [{ action_id: "snooze:III.KR3", value: "snooze:III.KR3", type: "button", block_id: "b" }],
    });
    expect((await postToBolt(url, payload, { secret: SECRET })).status).toBe(200);
    const answer = await fake.waitForResponse("snooze");
    expect(answer.body.response_type).toBe("ephemeral");
    expect(String(answer.body.text)).toMatch(
      /^Your reminders about III\.KR3 are snoozed until \d{4}-\d{2}-\d{2}\.$/,
    );
    const id = (await kr("III.KR3"))?.id as number;
    const snoozes = (await app.store.snoozes.list(await wsId())).filter((s) => s.krId === id);
    expect(snoozes.map((s) => [s.by.platformUserId, s.forEveryone])).toEqual([["U0ALICE", false]]);
    // A week from the app's own clock (2022-01-01), not the machine's.
    expect(snoozes[0]?.until).toBe("2022-01-08");
  });

  it("publishes the viewer's own KRs on the Home tab", async () => {
    await slash("owner V.KR1 add <@U0HOME|hana>");
    const event = {
      token: "x",
      team_id: "T0FAKE",
      api_app_id: "A0FAKE",
      type: "event_callback",
      event_id: "Ev1",
      event_time: nowSeconds(),
      event: { type: "app_home_opened", user: "U0HOME", channel: "D0HOME", tab: "home", event_ts: "1.2" },
    };
    const res = await postToBolt(url, JSON.stringify(event), {
      secret: SECRET,
      contentType: "application/json",
    });
    expect(res.status).toBe(200);
    const call = await fake.waitForCall("views.publish");
    expect(call.body.user_id).toBe("U0HOME");
    const text = JSON.stringify(call.body.view);
    expect(text).toContain("V.KR1 Better translation support");
    expect(text).toContain("update:V.KR1");
    expect(text).toContain("No channel has a digest yet.");
  });

  describe("sending", () => {
    it("posts to a person's DMs through conversations.open", async () => {
      const sent = await adapter.post("T0FAKE", { userId: "U0BOB" }, reply("Time to check in"));
      expect((await fake.waitForCall("conversations.open")).body.users).toBe("U0BOB");
      const post = await fake.waitForCall("chat.postMessage");
      expect(post.body.channel).toBe("DU0BOB");
      expect(sent).toEqual({ messageId: post.response.body.ts, channelId: "DU0BOB" });
    });

    it("turns not_in_channel into a DeliveryError, not a crash", async () => {
      fake.failNext("chat.postMessage", { error: "not_in_channel" });
      const err = await adapter.post("T0FAKE", { channelId: "C0NOPE" }, reply("hi")).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeliveryError);
      expect((err as DeliveryError).code).toBe("not_in_channel");
      expect((err as DeliveryError).retryable).toBe(false);
    });
  });
});

describe("Slack adapter retries and slow commands", () => {
  let fake: FakeSlack;
  afterEach(async () => {
    await fake?.close();
  });

  it("retries chat.postMessage after a 429, honouring Retry-After", async () => {
    fake = await startFakeSlack();
    const app = createTestApp();
    const adapter = new SlackAdapter({
      botToken: "xoxb-test-token",
      signingSecret: SECRET,
      apiUrl: fake.apiUrl,
      port: 0,
      host: "127.0.0.1",
      log: silentLogger,
      retryConfig: { retries: 2, factor: 1, minTimeout: 10, maxTimeout: 20 },
    });
    await adapter.start(app.core);
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const started = Date.now();
    const sent = await adapter.post("T0FAKE", { channelId: "C0FAKE" }, reply("digest"));
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    const calls = fake.callsTo("chat.postMessage");
    expect(calls.map((c) => c.response.status)).toEqual([429, 200]);
    expect(sent.messageId).toBe(calls[1]?.response.body.ts);
    await adapter.stop();
    await app.close();
  });

  it("acks at once and answers through response_url when a command is slow", async () => {
    fake = await startFakeSlack();
    const app = createTestApp();
    class SlowCore extends Core {
      override async handle<E extends InboundEvent>(event: E): Promise<Outcome<E>> {
        if (event.kind === "command") await new Promise((r) => setTimeout(r, 300));
        return super.handle(event);
      }
    }
    const slow = new SlowCore({ store: app.store, commands: app.core.commands, settings: { staleDays: 7 } });
    const adapter = new SlackAdapter({
      botToken: "xoxb-test-token",
      signingSecret: SECRET,
      apiUrl: fake.apiUrl,
      port: 0,
      host: "127.0.0.1",
      log: silentLogger,
      retryConfig: { retries: 0 },
      ackBudgetMs: 50,
    });
    await adapter.start(slow);
    const url = `http://127.0.0.1:${adapter.port}/slack/events`;
    const res = await postToBolt(
      url,
      slashCommandBody({ text: "help", response_url: fake.responseUrl("slow") }),
      {
        secret: SECRET,
      },
    );
    expect(res.status).toBe(200);
    expect(res.text).toBe("");
    const late = await fake.waitForResponse("slow");
    expect(late.body.response_type).toBe("ephemeral");
    expect(String(late.body.text)).toBe("krbot commands");
    await adapter.stop();
    await app.close();
  });
});
