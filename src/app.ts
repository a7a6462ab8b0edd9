import { ShellAdapter } from "./adapters/shell/index.ts";
import { renderChartRequests } from "./charts/chart-service.ts";
import { forms } from "./commands/forms/index.ts";
import { commands } from "./commands/index.ts";
import type { Config } from "./config.ts";
import type { ChatAdapter } from "./core/adapter.ts";
import { Core, type CoreOptions } from "./core/dispatch.ts";
import type { Logger } from "./core/logger.ts";
import type { Routes } from "./ops/health.ts";
import { BUNDLED_PLAN_PATH, readPlanFile } from "./plan/plan-file.ts";
import { workspaceSeeder } from "./plan/seed.ts";
import { type SchedulingHooks, startScheduling } from "./scheduler/runner.ts";
import type { SchedulerSettings } from "./scheduler/scheduler.ts";
import { openSqliteStore, type SqliteStore } from "./store/sqlite/index.ts";

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

/** The store plus a core wired to it, for the CLI and tests; `observe` sees every dispatch (metrics). */
export function createApp(
  config: Config,
  log: Logger,
  now?: () => Date,
  hooks: { observe?: CoreOptions["observe"] } = {},
) {
  const store = openSqliteStore(config.DATABASE_URL);
  const resolveWorkspace = workspaceSeeder(store, config.KRBOT_PLAN ?? BUNDLED_PLAN_PATH, log);
  const core = new Core({
    store,
    commands,
    forms,
    settings: {
      staleDays: config.KRBOT_STALE_DAYS,
      defaultTimezone: config.DEFAULT_TIMEZONE,
      rateLimitPerMinute: config.KRBOT_RATE_LIMIT,
      admins: config.KRBOT_ADMINS,
    },
    log,
    resolveWorkspace,
    charts: renderChartRequests,
    ...(now ? { now } : {}),
    ...(hooks.observe ? { observe: hooks.observe } : {}),
  });
  return { store, core, resolveWorkspace };
}

/**
 * The platform adapters the configuration enables (none: the shell runs instead). Each SDK is
 * imported only when its platform is configured, so the shell starts without loading Bolt or
 * discord.js (~0.3 s).
 */
export async function platformAdapters(
  config: Config,
  log: Logger,
  opts: { extraRoutes?: Routes } = {},
): Promise<ChatAdapter[]> {
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
        ...(opts.extraRoutes ? { extraRoutes: opts.extraRoutes } : {}),
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

/** True when a platform adapter is configured (else `start` runs the shell). */
export function platformsConfigured(config: Config): boolean {
  return Boolean(config.SLACK_BOT_TOKEN || (config.DISCORD_TOKEN && config.DISCORD_APPLICATION_ID));
}

/** Slack over HTTP serves `/healthz` and `/metrics` on its own port; otherwise a small server does. */
function slackServesHttp(config: Config): boolean {
  return Boolean(config.SLACK_BOT_TOKEN && !config.SLACK_APP_TOKEN);
}

/** How `start` ended; a piped shell script reports the lines that were refused or failed. */
export interface StartResult {
  failedLines?: number[];
}

/** What `start` runs: the adapters, whether and how the scheduler runs, and when the run ends. */
interface Run {
  adapters: ChatAdapter[];
  /** Scheduler hooks, or undefined when no scheduler runs. */
  scheduling: SchedulingHooks | undefined;
  /** Sees every command the core handles (metrics). */
  observe?: CoreOptions["observe"];
  /** Resolves when the run should stop (end of shell input, SIGTERM/SIGINT), with its result. */
  until(): Promise<StartResult>;
  /** Releases what the run holds besides its adapters (the ops server). */
  close(): Promise<void>;
}

/**
 * The shell as the only adapter. Interactive: digests and reminders for the shell workspace print
 * in the terminal. Piped (one command per line): no scheduler, so the output is exactly the replies.
 */
function shellRun(): Run {
  const shell = new ShellAdapter({ input: process.stdin, output: process.stdout });
  return {
    adapters: [shell],
    scheduling: process.stdin.isTTY ? {} : undefined,
    until: async () => {
      const session = await shell.finished();
      return session.interactive ? {} : { failedLines: session.failedLines };
    },
    close: async () => {},
  };
}

/**
 * The platform adapters, with `/healthz` and `/metrics` on PORT (next to `/slack/events` in Slack
 * HTTP mode, else on their own server); runs until SIGTERM or SIGINT.
 */
async function platformRun(config: Config, log: Logger, store: SqliteStore): Promise<Run> {
  // Loaded only here, like the platform SDKs, so the shell starts without prom-client.
  const [{ Metrics }, { healthCheck, opsRoutes }, { outboxDepth }, { startOpsServer }] = await Promise.all([
    import("./ops/metrics.ts"),
    import("./ops/health.ts"),
    import("./ops/outbox-depth.ts"),
    import("./ops/server.ts"),
  ]);
  const metrics = new Metrics({ outboxDepth: outboxDepth(store), commands: commands.map((c) => c.name) });
  const routes = opsRoutes({ metrics, health: () => healthCheck(store) });
  const adapters = await platformAdapters(
    config,
    log,
    slackServesHttp(config) ? { extraRoutes: routes } : {},
  );
  const opsServer = slackServesHttp(config)
    ? undefined
    : await startOpsServer({ routes, port: config.PORT, log });
  // A platform library that rejects outside any handler must not take the bot down with it.
  process.on("unhandledRejection", (err) => log.error({ err }, "unhandled rejection"));
  return {
    adapters,
    scheduling: {
      onTick: (at) => metrics.tickFinished(at),
      onDelivery: (outcome, platform) => metrics.delivery(outcome, platform),
    },
    observe: (event) => metrics.observeCommand(event),
    until: async () => {
      log.info({ platforms: adapters.map((a) => a.platform) }, "krbot is running");
      const signal = await new Promise<NodeJS.Signals>((resolve) => {
        process.once("SIGTERM", () => resolve("SIGTERM"));
        process.once("SIGINT", () => resolve("SIGINT"));
      });
      log.info({ signal }, "stopping");
      return {};
    },
    close: async () => {
      await opsServer?.close();
    },
  };
}

/**
 * `krbot start`: the platform adapters when their tokens are set (and no REPL: the process stays
 * up with stdin closed until SIGTERM or SIGINT), else the local shell, through one path: start the
 * adapters, schedule, wait for the end, stop everything.
 */
export async function start(
  config: Config,
  log: Logger,
  opts: { forceShell?: boolean } = {},
): Promise<StartResult> {
  // A custom plan is checked now, not when the first new workspace appears hours later.
  if (config.KRBOT_PLAN) readPlanFile(config.KRBOT_PLAN);
  const shell = opts.forceShell || !platformsConfigured(config);
  let run: Run | undefined;
  // `run` is assigned on the next line, before any command can arrive.
  const { store, core } = createApp(
    config,
    log,
    undefined,
    shell ? {} : { observe: (e) => run?.observe?.(e) },
  );
  run = shell ? shellRun() : await platformRun(config, log, store);
  const { adapters, scheduling } = run;
  const started: ChatAdapter[] = [];
  try {
    for (const adapter of adapters) {
      await adapter.start(core);
      started.push(adapter);
    }
  } catch (err) {
    // Release what did start (listening sockets would keep the process up), then report the failure.
    await Promise.allSettled([...started.map((a) => a.stop()), run.close()]);
    await store.close();
    throw err;
  }
  const stopScheduling = scheduling
    ? startScheduling(
        store,
        new Map(adapters.map((a) => [a.platform, a])),
        schedulerSettings(config),
        log,
        undefined,
        scheduling,
      )
    : undefined;
  let forced: NodeJS.Timeout | undefined;
  try {
    return await run.until();
  } finally {
    forced = setTimeout(() => {
      log.error({}, "stop took too long; exiting");
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    forced.unref();
    await stopScheduling?.();
    await Promise.allSettled([...adapters.map((a) => a.stop()), run.close()]);
    await store.close();
    clearTimeout(forced);
  }
}
