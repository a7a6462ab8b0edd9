import { existsSync, writeFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { SHELL_WORKSPACE } from "./adapters/shell/parse.ts";
import { commands } from "./commands/index.ts";
import { checkInsCsv } from "./commands/shared/csv.ts";
import { plural } from "./commands/shared/plural.ts";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import type { Platform, WorkspaceRef } from "./core/invocation.ts";
import { createLogger } from "./log.ts";
import { createApp, start } from "./main.ts";
import { PlanFileError, planToYaml, readPlanFile } from "./plan/plan-file.ts";
import { simulate } from "./scheduler/simulate.ts";
import { SqliteStore } from "./store/sqlite/index.ts";
import { PlanExistsError } from "./store/sqlite/plan-repo.ts";

const USAGE = `Usage: krbot <command> [options]

Commands:
  start                          run the bot (the shell when no platform tokens are set)
  shell                          run the interactive shell adapter
  migrate                        apply database migrations and exit
  plan import FILE|- [--workspace ID] [--replace]
                                 load a plan file (- reads standard input)
  plan export [--workspace ID] [--output FILE]
                                 write the workspace's plan as YAML
  backup FILE                    copy the database with SQLite's online backup
  discord register               register /kr with Discord now (start does it when it changed)
  schedule simulate --from DATE --to DATE [--workspace ID]
                                 list every digest and reminder that would fire, local and UTC
  reminders log [--workspace ID] recent reminder decisions: sent, or skipped and why
  export checkins [--since DATE] [--format csv|json] [--workspace ID]
                                 every check-in with KR, author, time, status, values and note

Workspace IDs look like shell:local (the default), slack:T0123ABC or discord:123456789012345678.
Configuration comes from the environment or .env; see .env.example.`;

class CliError extends Error {}

function parseWorkspace(raw: string | undefined): WorkspaceRef {
  if (!raw) return SHELL_WORKSPACE;
  const m = /^(slack|discord|shell):([A-Za-z0-9_-]+)$/.exec(raw);
  if (!m)
    throw new CliError(
      `--workspace: expected platform:id, like shell:local or slack:T0123ABC (got "${raw}")`,
    );
  return { platform: m[1] as Platform, id: m[2] as string };
}

async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      workspace: { type: "string", short: "w" },
      output: { type: "string", short: "o" },
      replace: { type: "boolean" },
      from: { type: "string" },
      since: { type: "string" },
      format: { type: "string" },
      to: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  const [command = "start", sub, arg] = positionals;
  if (values.help || command === "help") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (existsSync(".env")) process.loadEnvFile(".env");
  const config: Config = loadConfig();
  const log = createLogger(
    config.LOG_LEVEL ?? (command === "start" || command === "shell" ? "warn" : "info"),
  );

  switch (command) {
    case "start":
    case "shell":
      await start(config, log, { forceShell: command === "shell" });
      return 0;
    case "migrate": {
      const store = SqliteStore.open(config.DATABASE_URL);
      await store.close();
      process.stderr.write(`Database ${config.DATABASE_URL} is up to date.\n`);
      return 0;
    }
    case "backup": {
      if (!sub)
        throw new CliError("backup: name the file to write, like `krbot backup backups/krbot-2026-11-28.db`");
      const store = SqliteStore.open(config.DATABASE_URL);
      try {
        await store.backup(sub);
      } finally {
        await store.close();
      }
      process.stderr.write(`Backed up ${config.DATABASE_URL} to ${sub}.\n`);
      return 0;
    }
    case "plan":
      return planCommand(sub, arg, values, config, log);
    case "schedule":
      if (sub !== "simulate")
        throw new CliError("schedule: expected `schedule simulate --from <date> --to <date>`");
      return scheduleSimulate(values, config);
    case "reminders":
      if (sub !== "log") throw new CliError("reminders: expected `reminders log`");
      return remindersLog(values, config);
    case "export":
      if (sub !== "checkins")
        throw new CliError("export: expected `export checkins [--since DATE] [--format csv|json]`");
      return exportCheckIns(values, config);
    case "discord":
      if (sub !== "register") throw new CliError("discord: expected `discord register`");
      return discordRegister(config);
    default:
      throw new CliError(`unknown command "${command}"\n\n${USAGE}`);
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `krbot schedule simulate`: every occurrence in a date range, local and UTC; sends nothing. */
async function scheduleSimulate(
  values: { workspace?: string; from?: string; to?: string },
  config: Config,
): Promise<number> {
  if (!values.from || !values.to || !DATE.test(values.from) || !DATE.test(values.to)) {
    throw new CliError(
      "schedule simulate: give --from and --to as YYYY-MM-DD, like --from 2027-03-01 --to 2027-04-15",
    );
  }
  const ref = parseWorkspace(values.workspace);
  const store = SqliteStore.open(config.DATABASE_URL);
  try {
    const ws = await store.findWorkspace(ref);
    if (!ws) throw new CliError(`no workspace ${ref.platform}:${ref.id} in ${config.DATABASE_URL}`);
    const from = new Date(`${values.from}T00:00:00Z`);
    const to = new Date(new Date(`${values.to}T00:00:00Z`).getTime() + 86_400_000);
    const rows = await simulate(store, ws.id, from, to, config.DEFAULT_TIMEZONE);
    for (const r of rows) {
      const weekday = new Intl.DateTimeFormat("en-US", { weekday: "short", timeZone: r.timezone }).format(
        r.at,
      );
      const utc = r.at.toISOString().slice(0, 16).replace("T", " ");
      process.stdout.write(
        `${weekday} ${r.localDate} ${r.localTime} ${r.timezone}  =  ${utc} UTC  ${r.what}\n`,
      );
    }
    if (rows.length === 0) process.stderr.write("Nothing is scheduled in that range.\n");
  } finally {
    await store.close();
  }
  return 0;
}

/** `krbot reminders log`: every recent reminder decision, sent or skipped with its reason. */
async function remindersLog(values: { workspace?: string }, config: Config): Promise<number> {
  const ref = parseWorkspace(values.workspace);
  const store = SqliteStore.open(config.DATABASE_URL);
  try {
    const ws = await store.findWorkspace(ref);
    if (!ws) throw new CliError(`no workspace ${ref.platform}:${ref.id} in ${config.DATABASE_URL}`);
    const names = new Map((await store.listMembers(ws.id)).map((m) => [m.platformUserId, m.displayName]));
    const claims = await store.listClaims(ws.id, "reminder", 200);
    for (const c of claims) {
      const at = c.scheduledFor.toISOString().slice(0, 16).replace("T", " ");
      process.stdout.write(
        `${at} UTC  ${c.periodKey}  ${names.get(c.target) ?? c.target}  ${c.outcome}  ${c.reason}\n`,
      );
    }
    if (claims.length === 0) process.stderr.write("No reminder decisions yet.\n");
  } finally {
    await store.close();
  }
  return 0;
}

/** `krbot export checkins`: every check-in (since a date) as CSV or JSON on standard output. */
async function exportCheckIns(
  values: { workspace?: string; since?: string; format?: string },
  config: Config,
): Promise<number> {
  const format = values.format ?? "csv";
  if (format !== "csv" && format !== "json") throw new CliError("export: --format is csv or json");
  if (values.since && !DATE.test(values.since))
    throw new CliError("export: give --since as YYYY-MM-DD, like 2022-01-01");
  const ref = parseWorkspace(values.workspace);
  const store = SqliteStore.open(config.DATABASE_URL);
  try {
    const ws = await store.findWorkspace(ref);
    if (!ws) throw new CliError(`no workspace ${ref.platform}:${ref.id} in ${config.DATABASE_URL}`);
    const rows = await store.exportCheckIns(
      ws.id,
      values.since ? new Date(`${values.since}T00:00:00Z`) : undefined,
    );
    process.stdout.write(format === "csv" ? checkInsCsv(rows) : `${JSON.stringify(rows, null, 2)}\n`);
    process.stderr.write(`Exported ${plural(rows.length, "check-in")}.\n`);
  } finally {
    await store.close();
  }
  return 0;
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

async function planCommand(
  sub: string | undefined,
  file: string | undefined,
  values: { workspace?: string; output?: string; replace?: boolean },
  config: Config,
  log: ReturnType<typeof createLogger>,
): Promise<number> {
  const ref = parseWorkspace(values.workspace);
  if (sub === "import") {
    if (!file) throw new CliError("plan import: name a plan file, or - to read standard input");
    const plan = readPlanFile(file);
    const store = SqliteStore.open(config.DATABASE_URL);
    try {
      const ws = await store.ensureWorkspace(ref);
      await store.importPlan(ws.id, plan, { actor: "cli", ...(values.replace ? { replace: true } : {}) });
    } finally {
      await store.close();
    }
    const krs = plan.objectives.reduce((n, o) => n + o.key_results.length, 0);
    process.stderr.write(
      `Imported "${plan.title}" into ${ref.platform}:${ref.id}: ${plural(plan.objectives.length, "objective")}, ${plural(krs, "key result")}.\n`,
    );
    return 0;
  }
  if (sub === "export") {
    const { store, resolveWorkspace } = createApp(config, log);
    try {
      const ws = await resolveWorkspace(ref);
      const plan = await store.exportPlan(ws.id);
      if (!plan) throw new CliError(`workspace ${ref.platform}:${ref.id} has no plan`);
      const yaml = planToYaml(plan);
      if (values.output) writeFileSync(values.output, yaml);
      else process.stdout.write(yaml);
    } finally {
      await store.close();
    }
    return 0;
  }
  throw new CliError("plan: expected `plan import FILE` or `plan export`");
}

try {
  process.exitCode = await run(process.argv.slice(2));
} catch (err) {
  if (
    err instanceof ConfigError ||
    err instanceof PlanFileError ||
    err instanceof CliError ||
    err instanceof PlanExistsError
  ) {
    process.stderr.write(`krbot: ${err.message}\n`);
    process.exitCode = err instanceof ConfigError ? 78 : 1;
  } else if (err instanceof Error && /adapter yet|is required for HTTP mode/.test(err.message)) {
    process.stderr.write(`krbot: ${err.message}\n`);
    process.exitCode = 78;
  } else if (err instanceof Error && "code" in err && err.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    process.stderr.write(`krbot: ${err.message}\n\n${USAGE}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`krbot: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  }
}
