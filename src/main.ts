import { runShell } from "./adapters/shell/index.ts";
import { commands } from "./commands/index.ts";
import type { Config } from "./config.ts";
import { Core } from "./core/dispatch.ts";
import type { Logger } from "./core/logger.ts";
import { BUNDLED_PLAN_PATH, readPlanFile } from "./plan/plan-file.ts";
import { workspaceSeeder } from "./plan/seed.ts";
import { SqliteStore } from "./store/sqlite/index.ts";

/** The store plus a core wired to it, for the CLI and tests. */
export function createApp(config: Config, log: Logger, now?: () => Date) {
  const store = SqliteStore.open(config.DATABASE_URL);
  const resolveWorkspace = workspaceSeeder(store, config.KRBOT_PLAN ?? BUNDLED_PLAN_PATH, log);
  const core = new Core({
    store,
    commands,
    settings: { staleDays: config.KRBOT_STALE_DAYS },
    log,
    resolveWorkspace,
    ...(now ? { now } : {}),
  });
  return { store, core, resolveWorkspace };
}

/** `krbot start`: platform adapters when their tokens are set, else the local shell. */
export async function start(config: Config, log: Logger, opts: { forceShell?: boolean } = {}): Promise<void> {
  const platforms = [
    config.SLACK_BOT_TOKEN || config.SLACK_APP_TOKEN ? "Slack" : "",
    config.DISCORD_TOKEN ? "Discord" : "",
  ].filter(Boolean);
  if (platforms.length > 0 && !opts.forceShell) {
    // The Slack and Discord adapters are tracked in issues #3 and #4; refuse rather than pretend.
    throw new Error(
      `${platforms.join(" and ")} tokens are set, but this build has no ${platforms.join("/")} adapter yet. Unset them to use the shell, or run \`krbot shell\`.`,
    );
  }
  // A custom plan is checked now, not when the first new workspace appears hours later.
  if (config.KRBOT_PLAN) readPlanFile(config.KRBOT_PLAN);
  const { store, core } = createApp(config, log);
  try {
    await runShell(core, { input: process.stdin, output: process.stdout });
  } finally {
    await store.close();
  }
}
