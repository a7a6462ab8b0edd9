import { existsSync } from "node:fs";
import { parseArgs } from "node:util";
import { start } from "./app.ts";
import { CliError, parseCli } from "./cli/args.ts";
import { describeFsError } from "./cli/files.ts";
import { planCommand } from "./cli/plan.ts";
import { backup, exportCheckIns, remindersLog, scheduleSimulate } from "./cli/reports.ts";
import { openStore } from "./cli/store.ts";
import { commands } from "./commands/index.ts";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./log.ts";
import { PlanFileError } from "./plan/plan-file.ts";
import { PlanExistsError } from "./store/sqlite/plan-repo.ts";

const USAGE = `Usage: krbot <command> [options]

Commands:
  start                          run the bot (the shell when no platform tokens are set)
  shell                          run the interactive shell adapter
  migrate                        apply database migrations and exit
  plan import FILE|- [--workspace ID] [--replace]
                                 load a plan file (- reads standard input)
  plan export [--workspace ID] [--output FILE [--force]]
                                 write the workspace's plan as YAML
  backup FILE [--force]          copy the database with SQLite's online backup
  discord register               register /kr with Discord now (start does it when it changed)
  schedule simulate --from DATE --to DATE [--workspace ID]
                                 list every digest and reminder that would fire, local and UTC
  reminders log [--workspace ID] recent reminder decisions: sent, or skipped and why
  export checkins [--since DATE] [--format csv|json] [--workspace ID]
                                 every check-in with KR, author, time, status, values and note

Commands that only read (plan export, schedule simulate, reminders log, export checkins, backup)
never create a database or a workspace. Files are not overwritten without --force.
Workspace IDs look like shell:local (the default), slack:T0123ABC or discord:123456789012345678.
Configuration comes from the environment or .env; see .env.example.`;

/** Subcommands that take no arguments or flags of their own. */
const bare = (usage: string) => ({ usage, positionals: [], shape: {} });

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: "string", short: "w" },
      output: { type: "string", short: "o" },
      replace: { type: "boolean" },
      force: { type: "boolean" },
      from: { type: "string" },
      since: { type: "string" },
      format: { type: "string" },
      to: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command = "start", sub, ...rest] = positionals;
  if (values.help || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { help: _help, ...flags } = values;
  if (existsSync(".env")) process.loadEnvFile(".env");
  const config: Config = loadConfig();
  const url = config.DATABASE_URL;
  const expect = (wanted: string) => {
    if (sub !== wanted)
      throw new CliError(`${command}: expected \`krbot ${command} ${wanted}\`; see krbot help`);
  };

  switch (command) {
    case "start":
    case "shell": {
      parseCli(bare(command), positionals.slice(1), flags);
      const log = createLogger(config.LOG_LEVEL ?? "warn");
      const result = await start(config, log, { forceShell: command === "shell" });
      const failed = result.failedLines ?? [];
      if (failed.length === 0) return 0;
      // A script must not look successful when some of its lines were refused or failed.
      const shown =
        failed.slice(0, 10).join(", ") + (failed.length > 10 ? ` and ${failed.length - 10} more` : "");
      process.stderr.write(
        failed.length === 1
          ? `krbot: 1 line failed or was refused (line ${shown}); exit code 1\n`
          : `krbot: ${failed.length} lines failed or were refused (line ${shown}); exit code 1\n`,
      );
      return 1;
    }
    case "migrate": {
      parseCli(bare("migrate"), positionals.slice(1), flags);
      const store = openStore(url);
      await store.close();
      process.stderr.write(`Database ${url} is up to date.\n`);
      return 0;
    }
    case "backup":
      return backup(positionals.slice(1), flags, url);
    case "plan":
      return planCommand(sub, rest, flags, url);
    case "schedule":
      expect("simulate");
      return scheduleSimulate(rest, flags, url, config.DEFAULT_TIMEZONE);
    case "reminders":
      expect("log");
      return remindersLog(rest, flags, url);
    case "export":
      expect("checkins");
      return exportCheckIns(rest, flags, url);
    case "discord":
      expect("register");
      parseCli(bare("discord register"), rest, flags);
      return discordRegister(config);
    default:
      throw new CliError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

/** `krbot discord register`: PUT the /kr command now (startup only does it when it changed). */
async function discordRegister(config: Config): Promise<number> {
  if (!config.DISCORD_TOKEN || !config.DISCORD_APPLICATION_ID) {
    throw new CliError("discord register: set DISCORD_TOKEN and DISCORD_APPLICATION_ID first (see README)");
  }
  const { REST } = await import("discord.js");
  const { krCommand } = await import("./adapters/discord/commands.ts");
  const { registerCommands } = await import("./adapters/discord/register.ts");
  const rest = new REST({ ...(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}) }).setToken(
    config.DISCORD_TOKEN,
  );
  const target = {
    applicationId: config.DISCORD_APPLICATION_ID,
    ...(config.DISCORD_GUILD_ID ? { guildId: config.DISCORD_GUILD_ID } : {}),
  };
  await registerCommands(rest, target, [krCommand(commands)], { force: true });
  const where = config.DISCORD_GUILD_ID
    ? `in guild ${config.DISCORD_GUILD_ID}`
    : "globally (may take up to an hour to appear)";
  process.stderr.write(`Registered /kr ${where}.\n`);
  return 0;
}

/** Prints one line for anything that reaches the top: never a stack trace unless LOG_LEVEL=debug. */
function report(err: unknown): number {
  const known =
    err instanceof ConfigError ||
    err instanceof PlanFileError ||
    err instanceof CliError ||
    err instanceof PlanExistsError;
  if (known) {
    process.stderr.write(`krbot: ${err.message}\n`);
    return err instanceof ConfigError ? 78 : err instanceof CliError ? err.exitCode : 1;
  }
  if (err instanceof Error && /adapter yet|is required for HTTP mode/.test(err.message)) {
    process.stderr.write(`krbot: ${err.message}\n`);
    return 78;
  }
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_")) {
    process.stderr.write(`krbot: ${(err as Error).message}; see krbot help\n`);
    return 2;
  }
  const path = (err as NodeJS.ErrnoException | undefined)?.path;
  if (typeof code === "string" && typeof path === "string") {
    process.stderr.write(`krbot: ${describeFsError(err, path)}\n`);
    return 1;
  }
  const debug = process.env.LOG_LEVEL === "debug" || process.env.LOG_LEVEL === "trace";
  const detail = err instanceof Error ? (debug ? (err.stack ?? err.message) : err.message) : String(err);
  process.stderr.write(`krbot: ${detail}${debug ? "" : " (LOG_LEVEL=debug shows where)"}\n`);
  return 1;
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (err) {
  process.exitCode = report(err);
}
