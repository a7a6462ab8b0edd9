/**
 * One Discord test harness: the fake Discord (gateway and REST), a test app, and the real DiscordAdapter
 * (discord.js) between them. Interactions are made with the builders of tests/fakes/discord (`chatInput`,
 * `button`, `modalSubmit`, …) and `plainMember` here, sent over the fake gateway, and answered through
 * the fake REST API.
 *
 * `useDiscordHarness()` registers the vitest hooks (start before all, reset the fake after each, stop after
 * all) and returns getters; `startDiscordAdapter()` starts one more adapter inside a test.
 */
import { DiscordAdapter, type DiscordAdapterOptions } from "../../src/adapters/discord/index.ts";
import type { Core } from "../../src/core/dispatch.ts";
import { silentLogger } from "../../src/core/logger.ts";
import {
  type FakeDiscord,
  type FakeInteractionCallback,
  type InteractionInput,
  startFakeDiscord,
} from "../fakes/discord/index.ts";
import { createTestApp, MID_PLAN, type TestApp } from "./app.ts";
import { useStarted } from "./use-started.ts";

/** A DiscordAdapter for `fake`: its token, application, guild and API URL, a silent log, no REST retries. */
export function discordAdapterFor(
  fake: FakeDiscord,
  extra: Partial<DiscordAdapterOptions> = {},
): DiscordAdapter {
  return new DiscordAdapter({
    token: "fake-bot-token",
    applicationId: fake.applicationId,
    guildId: fake.guildId,
    apiUrl: fake.apiUrl,
    log: silentLogger,
    restRetries: 0,
    ...extra,
  });
}

/** Starts a real DiscordAdapter against `fake`, serving `core`. */
export async function startDiscordAdapter(
  fake: FakeDiscord,
  core: Core,
  extra: Partial<DiscordAdapterOptions> = {},
): Promise<DiscordAdapter> {
  const adapter = discordAdapterFor(fake, extra);
  await adapter.start(core);
  return adapter;
}

/** The environment that points `npm start` at `fake`, with this bot token. */
export function discordEnv(fake: FakeDiscord, token: string): Record<string, string> {
  return {
    DISCORD_TOKEN: token,
    DISCORD_APPLICATION_ID: fake.applicationId,
    DISCORD_GUILD_ID: fake.guildId,
    DISCORD_API_URL: fake.apiUrl,
  };
}

/** A guild member without Manage Server (no admin), as a raw interaction carries them. */
export function plainMember(id: string, username: string) {
  return {
    user: { id, username, global_name: null, discriminator: "0", avatar: null },
    roles: [],
    permissions: "0",
    joined_at: "2024-01-01T00:00:00.000000+00:00",
    deaf: false,
    mute: false,
    flags: 0,
  };
}

/** How to set up a Discord harness; every field is optional. */
export interface DiscordHarnessOptions {
  /** The app's clock (default the test app's MID_PLAN). */
  now?: Date;
  /** Adapter options over the defaults of `discordAdapterFor`. */
  adapter?: Partial<DiscordAdapterOptions>;
}

/** A running fake Discord, test app and DiscordAdapter. */
export interface DiscordHarness {
  readonly fake: FakeDiscord;
  readonly app: TestApp;
  readonly adapter: DiscordAdapter;
  /** Sends an interaction over the gateway and resolves with the bot's first answer to it. */
  send(input: InteractionInput): Promise<FakeInteractionCallback>;
  /** The fake guild's workspace row id (after the first interaction seeded it). */
  workspaceId(): Promise<number>;
  /** Stops the adapter, the fake and the app. */
  stop(): Promise<void>;
}

/** Starts a fake Discord, a test app and a real DiscordAdapter between them. */
export async function startDiscordHarness(opts: DiscordHarnessOptions = {}): Promise<DiscordHarness> {
  const fake = await startFakeDiscord();
  const app = createTestApp({ now: opts.now ?? MID_PLAN });
  const adapter = await startDiscordAdapter(fake, app.core, opts.adapter);
  return {
    fake,
    app,
    adapter,
    send: (input) => fake.waitForCallback(fake.dispatchInteraction(input).id),
    async workspaceId() {
      return (await app.store.workspaces.find({ platform: "discord", id: fake.guildId }))?.id as number;
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
 * cleared after each (unless `reset: false`), everything stopped after all.
 */
export function useDiscordHarness(opts: DiscordHarnessOptions & { reset?: boolean } = {}): DiscordHarness {
  const reset = opts.reset === false ? undefined : (h: DiscordHarness) => h.fake.reset();
  return useStarted("Discord harness", () => startDiscordHarness(opts), reset);
}
