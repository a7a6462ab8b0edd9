import { resolve } from "node:path";
import { z } from "zod";
import { checkInsCsv, checkInsJson } from "../domain/csv.ts";
import { simulate } from "../scheduler/simulate.ts";
import { CliError, cliSpec, dateFlag, parseCli, pathArg, workspaceFlag } from "./args.ts";
import { prepareOutput, writeAtomically } from "./files.ts";
import { existingWorkspace, openExistingStore, withExistingStore } from "./store.ts";

type Flags = Record<string, unknown>;

const simulateSpec = cliSpec({
  usage: "schedule simulate --from DATE --to DATE [--workspace ID]",
  positionals: [],
  shape: {
    from: dateFlag.optional(),
    to: dateFlag.optional(),
    workspace: workspaceFlag,
  },
  check: (a: { from?: string; to?: string }) =>
    !a.from || !a.to
      ? "give both --from and --to as YYYY-MM-DD, like --from 2027-03-01 --to 2027-04-15"
      : a.from > a.to
        ? `the dates are reversed: --from ${a.from} is after --to ${a.to}; swap them`
        : undefined,
});

/** `krbot schedule simulate`: every occurrence in a date range, local and UTC; sends nothing. */
export async function scheduleSimulate(
  positionals: readonly string[],
  flags: Flags,
  url: string,
  defaultTimezone: string,
): Promise<number> {
  const args = parseCli(simulateSpec, positionals, flags);
  return withExistingStore(url, async (store) => {
    const ws = await existingWorkspace(store, args.workspace, url);
    const from = new Date(`${args.from}T00:00:00Z`);
    const to = new Date(new Date(`${args.to}T00:00:00Z`).getTime() + 86_400_000);
    const rows = await simulate(store, ws.id, from, to, defaultTimezone);
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
    return 0;
  });
}

const remindersSpec = cliSpec({
  usage: "reminders log [--workspace ID]",
  positionals: [],
  shape: { workspace: workspaceFlag },
});

/** `krbot reminders log`: every recent reminder decision, sent or skipped with its reason. */
export async function remindersLog(
  positionals: readonly string[],
  flags: Flags,
  url: string,
): Promise<number> {
  const args = parseCli(remindersSpec, positionals, flags);
  return withExistingStore(url, async (store) => {
    const ws = await existingWorkspace(store, args.workspace, url);
    const names = new Map((await store.members.list(ws.id)).map((m) => [m.platformUserId, m.displayName]));
    const claims = await store.claims.list(ws.id, "reminder", 200);
    for (const c of claims) {
      const at = c.scheduledFor.toISOString().slice(0, 16).replace("T", " ");
      process.stdout.write(
        `${at} UTC  ${c.periodKey}  ${names.get(c.target) ?? c.target}  ${c.outcome}  ${c.reason}\n`,
      );
    }
    if (claims.length === 0) process.stderr.write("No reminder decisions yet.\n");
    return 0;
  });
}

const exportSpec = cliSpec({
  usage: "export checkins [--since DATE] [--format csv|json] [--workspace ID]",
  positionals: [],
  shape: {
    since: dateFlag.optional(),
    format: z.enum(["csv", "json"], { error: "expected csv or json" }).optional(),
    workspace: workspaceFlag,
  },
});

/** `krbot export checkins`: every check-in (since a date) as CSV or JSON on standard output. */
export async function exportCheckIns(
  positionals: readonly string[],
  flags: Flags,
  url: string,
): Promise<number> {
  const args = parseCli(exportSpec, positionals, flags);
  return withExistingStore(url, async (store) => {
    const ws = await existingWorkspace(store, args.workspace, url);
    const rows = await store.checkIns.export(
      ws.id,
      args.since ? new Date(`${args.since}T00:00:00Z`) : undefined,
    );
    process.stdout.write((args.format ?? "csv") === "csv" ? checkInsCsv(rows) : checkInsJson(rows));
    process.stderr.write(`Exported ${rows.length} check-ins.\n`);
    return 0;
  });
}

const backupSpec = cliSpec({
  usage: "backup FILE [--force]",
  positionals: ["file"],
  shape: {
    file: pathArg("the file to write, like `krbot backup backups/krbot-2026-11-28.db`"),
    force: z.boolean().optional(),
  },
});

/**
 * `krbot backup FILE`: SQLite's online backup into a new file (folders created as needed); an
 * existing file is replaced only with --force, and only once the backup is complete.
 */
export async function backup(positionals: readonly string[], flags: Flags, url: string): Promise<number> {
  const args = parseCli(backupSpec, positionals, flags);
  if (url !== ":memory:" && resolve(args.file) === resolve(url))
    throw new CliError(`${args.file} is the database itself; back it up to another file`);
  prepareOutput(args.file, { force: args.force ?? false, createFolders: true });
  const store = openExistingStore(url);
  try {
    await writeAtomically(args.file, (tmp) => store.health.backup(tmp));
  } finally {
    await store.close();
  }
  process.stderr.write(`Backed up ${url} to ${args.file}.\n`);
  return 0;
}
