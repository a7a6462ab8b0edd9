import { runShell, ShellOutbox } from "./adapters/shell/index.ts";
import { commands } from "./commands/index.ts";
import type { Config } from "./config.ts";
import type { ChatAdapter } from "./core/adapter.ts";
import { Core } from "./core/dispatch.ts";
import type { Logger } from "./core/logger.ts";
import { BUNDLED_PLAN_PATH, readPlanFile } from "./plan/plan-file.ts";
import { workspaceSeeder } from "./plan/seed.ts";
import { startScheduling } from "./scheduler/runner.ts";
import type { SchedulerSettings } from "./scheduler/scheduler.ts";
import { SqliteStore } from "./store/sqlite/index.ts";

/** How long a graceful stop may take before the process exits anyway. */
export const SHUTDOWN_GRACE_MS = 8000;

/** The scheduler's settings from the configuration. */
export function schedulerSettings(config: Config): SchedulerSettings {
  return {
    defaultTimezone: config.DEFAULT_TIMEZONE,
    graceMs: config.KRBOT_GRACE_HOURS * 3_600_000,
    staleDays: config.KRBOT_STALE_DAYS,
  };
}

/** The store plus a core wired to it, for the CLI and tests. */
export function createApp(config: Config, log: Logger, now?: () => Date) {
  const store = SqliteStore.open(config.DATABASE_URL);
  const resolveWorkspace = workspaceSeeder(store, config.KRBOT_PLAN ?? BUNDLED_PLAN_PATH, log);
  const core = new Core({
    store,
    commands,
    settings: {
      staleDays: config.KRBOT_STALE_DAYS,
      defaultTimezone: config.DEFAULT_TIMEZONE,
      rateLimitPerMinute: config.KRBOT_RATE_LIMIT,
      admins: config.KRBOT_ADMINS,
    },
    log,
    resolveWorkspace,
    ...(now ? { now } : {}),
  });
  return { store, core, resolveWorkspace };
}

/**
 * The platform adapters the configuration enables (none: the shell runs instead). Each SDK is
 * imported only when its platform is configured, so the shell starts without loading Bolt or
 * discord.js (~0.3 s).
 */
export async function platformAdapters(config: Config, log: Logger): Promise<ChatAdapter[]> {
  const adapters: ChatAdapter[] = [];
  if (config.SLACK_BOT_TOKEN) {
    const { SlackAdapter } = await import("./adapters/slack/index.ts");
    adapters.push(
      new SlackAdapter({
        botToken: config.SLACK_BOT_TOKEN,
        ...(config.SLACK_SIGNING_SECRET ? { signingSecret: config.SLACK_SIGNING_SECRET } : {}),
        ...(config.SLACK_APP_TOKEN ? { appToken: config.SLACK_APP_TOKEN } : {}),
        ...(config.SLACK_API_URL ? { apiUrl: config.SLACK_API_URL } : {}),
        port: config.PORT,
        log,
      }),
    );
  }
  if (config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID) {
    const { DiscordAdapter } = await import("./adapters/discord/index.ts");
    adapters.push(
      new DiscordAdapter({
        token: config.DISCORD_TOKEN,
        applicationId: config.DISCORD_APPLICATION_ID,
        ...(config.DISCORD_GUILD_ID ? { guildId: config.DISCORD_GUILD_ID } : {}),
        ...(config.DISCORD_API_URL ? { apiUrl: config.DISCORD_API_URL } : {}),
        log,
      }),
    );
  }
  return adapters;
}

/**
 * `krbot start`: the platform adapters when their tokens are set (and no REPL: the process stays
 * up with stdin closed until SIGTERM or SIGINT), else the local shell.
 */
export async function start(config: Config, log: Logger, opts: { forceShell?: boolean } = {}): Promise<void> {
  // A custom plan is checked now, not when the first new workspace appears hours later.
  if (config.KRBOT_PLAN) readPlanFile(config.KRBOT_PLAN);
  const adapters = opts.forceShell ? [] : await platformAdapters(config, log);
  const { store, core } = createApp(config, log);
  const scheduling = schedulerSettings(config);
  if (adapters.length === 0) {
    // Interactive: digests and reminders for the shell workspace print in the terminal. Piped
    // (one command per line): no scheduler, so the output is exactly the replies.
    const stopScheduling = process.stdin.isTTY
      ? startScheduling(store, new Map([["shell", new ShellOutbox(process.stdout)]]), scheduling, log)
      : undefined;
    try {
      await runShell(core, { input: process.stdin, output: process.stdout });
    } finally {
      await stopScheduling?.();
      await store.close();
    }
    return;
  }
  for (const adapter of adapters) await adapter.start(core);
  const stopScheduling = startScheduling(
    store,
    new Map(adapters.map((a) => [a.platform, a])),
    scheduling,
    log,
  );
  log.info({ platforms: adapters.map((a) => a.platform) }, "krbot is running");
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    process.once("SIGTERM", () => resolve("SIGTERM"));
    process.once("SIGINT", () => resolve("SIGINT"));
  });
  log.info({ signal }, "stopping");
  const forced = setTimeout(() => {
    log.error({}, "stop took too long; exiting");
    process.exit(1);
  }, SHUTDOWN_GRACE_MS);
  forced.unref();
  await stopScheduling();
  await Promise.allSettled(adapters.map((a) => a.stop()));
  await store.close();
  clearTimeout(forced);
}
