/**
 * One Slack test harness: the fake Slack Web API, a test app, and the real SlackAdapter (Bolt over HTTP)
 * between them, driven by signed requests exactly as Slack sends them.
 *
 * `useSlackHarness()` registers the vitest hooks (start before all, reset the fake after each, stop after
 * all) and returns getters; `startSlackHarness()` starts one inside a test, to be stopped with `stop()`.
 */
import { SlackAdapter, type SlackAdapterOptions } from "../../src/adapters/slack/index.ts";
import type { Core } from "../../src/core/dispatch.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { type DeliveryOptions, DeliveryWorker } from "../../src/scheduler/delivery.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { type FakeSlack, type FakeSlackOptions, startFakeSlack } from "../fakes/slack-api.ts";
import {
  type BoltResponse,
  interactionBody,
  type PostToBoltOptions,
  postToBolt,
  type SlashCommandFields,
  slashCommandBody,
} from "../fakes/slack-signing.ts";
import { createTestApp, MID_PLAN, type TestApp } from "./app.ts";
import { useStarted } from "./use-started.ts";

/** The signing secret the harness's adapter verifies unless a test picks another. */
export const SLACK_SECRET = "test-signing-secret-0123456789";

/** A Slack user as the tests name them: id and user name (what a slash command carries). */
export interface SlackUser {
  id: string;
  name: string;
}

/** How to set up a Slack harness; every field is optional. */
export interface SlackHarnessOptions {
  /** The app's clock at start (default the test app's MID_PLAN); move it with `at()`. */
  now?: Date;
  /** Other `createTestApp` options (store URL, platform, admins, charts). */
  app?: Omit<Parameters<typeof createTestApp>[0], "now">;
  /** Options for the fake Slack Web API (users, team). */
  fake?: FakeSlackOptions;
  /** Adapter options over the harness's defaults (token, secret, fake API URL, port 0, silent log, no retries). */
  adapter?: Partial<SlackAdapterOptions> | ((app: TestApp) => Partial<SlackAdapterOptions>);
  /** The core the adapter serves, made from the test app's store (default the test app's own core). */
  core?: (app: TestApp) => Core;
  /** Every slash command's `response_url` is the fake's `responseUrl(responseId)` unless a request gives one. */
  responseId?: string;
  /** Every slash command gets a fresh trigger id `${triggerPrefix}-N` unless a request gives one. */
  triggerPrefix?: string;
  /** Runs once the fake and the app are up, before the adapter starts (seed the store, set fake users). */
  before?: (fake: FakeSlack, app: TestApp) => Promise<void> | void;
}

/** A running fake Slack, test app and SlackAdapter, with helpers that send signed requests to it. */
export interface SlackHarness {
  readonly fake: FakeSlack;
  readonly app: TestApp;
  readonly adapter: SlackAdapter;
  /** `http://127.0.0.1:PORT` of the adapter's HTTP server. */
  readonly base: string;
  /** The Bolt events endpoint, `${base}/slack/events`. */
  readonly url: string;
  /** The signing secret requests are signed with. */
  readonly secret: string;
  /** The app's clock. */
  readonly now: Date;
  /** Moves the app's clock to `iso`. */
  at(iso: string): void;
  /** POSTs `rawBody` to the events endpoint, signed (options as postToBolt's, secret defaulted). */
  post(rawBody: string, opts?: Partial<PostToBoltOptions>): Promise<BoltResponse>;
  /** Sends `/kr <text>` as Slack would, with `fields` over the defaults. */
  slash(text: string, fields?: Partial<SlashCommandFields>): Promise<BoltResponse>;
  /** Sends an interaction (block action, view submission, shortcut) with this payload. */
  interaction(payload: unknown): Promise<BoltResponse>;
  /** One scheduler tick (UTC default zone, 1 h grace) and a full drain of the outbox through the adapter, at `now`. */
  tick(delivery?: Partial<DeliveryOptions>): Promise<void>;
  /** The fake team's workspace row id (after the first command seeded it). */
  workspaceId(): Promise<number>;
  /** Stops the adapter, the fake and the app. */
  stop(): Promise<void>;
}

/** The slash command fields that make a request come from `user`. */
export const fromUser = (user: SlackUser): Partial<SlashCommandFields> => ({
  user_id: user.id,
  user_name: user.name,
});

/** Starts a fake Slack, a test app and a real SlackAdapter between them. */
export async function startSlackHarness(opts: SlackHarnessOptions = {}): Promise<SlackHarness> {
  const fake = await startFakeSlack(opts.fake);
  let now = opts.now ?? MID_PLAN;
  const app = createTestApp({ ...opts.app, now });
  await opts.before?.(fake, app);
  const core = opts.core?.(app) ?? app.core;
  const overrides = typeof opts.adapter === "function" ? opts.adapter(app) : opts.adapter;
  const secret = overrides?.signingSecret ?? SLACK_SECRET;
  const adapter = new SlackAdapter({
    botToken: "xoxb-test-token",
    signingSecret: secret,
    apiUrl: fake.apiUrl,
    port: 0,
    host: "127.0.0.1",
    log: silentLogger,
    retryConfig: { retries: 0 },
    ...overrides,
  });
  await adapter.start(core);
  const base = `http://127.0.0.1:${adapter.port}`;
  const url = `${base}/slack/events`;
  let triggers = 0;
  const post = (rawBody: string, post: Partial<PostToBoltOptions> = {}) =>
    postToBolt(url, rawBody, { secret, ...post });
  return {
    fake,
    app,
    adapter,
    base,
    url,
    secret,
    get now() {
      return now;
    },
    at(iso: string) {
      now = new Date(iso);
      app.setNow(now);
    },
    post,
    slash(text, fields = {}) {
      const defaults: Partial<SlashCommandFields> = {};
      if (opts.responseId) defaults.response_url = fake.responseUrl(opts.responseId);
      if (opts.triggerPrefix) defaults.trigger_id = `${opts.triggerPrefix}-${++triggers}`;
      return post(slashCommandBody({ ...defaults, text, ...fields }));
    },
    interaction: (payload) => post(interactionBody(payload)),
    async tick(delivery) {
      const clock = () => now;
      const settings = { defaultTimezone: "UTC", graceMs: 3_600_000, staleDays: 7 };
      await new Scheduler(app.store, settings, clock, silentLogger).tick();
      const adapters = new Map([["slack" as const, adapter]]);
      await new DeliveryWorker(app.store, adapters, clock, silentLogger, delivery).drain();
    },
    async workspaceId() {
      return (await app.store.workspaces.find({ platform: "slack", id: "T0FAKE" }))?.id as number;
    },
    async stop() {
      await adapter.stop();
      await fake.close();
      await app.close();
    },
  };
}

/**
 * Registers vitest hooks in the current suite: a harness started before all tests, the fake's record
 * cleared after each, everything stopped after all. The returned object forwards to the running harness.
 */
export function useSlackHarness(opts: SlackHarnessOptions = {}): SlackHarness {
  return useStarted(
    "Slack harness",
    () => startSlackHarness(opts),
    (h) => h.fake.reset(),
  );
}
