/**
 * The query plans of every statement krbot runs on its command paths, collected from the real
 * code: each command (and the scheduler's tick, the delivery worker, the check-in form and the
 * KR autocomplete) runs once against the large database while every better-sqlite3 statement
 * execution is recorded with its arguments; each distinct statement is then run again under
 * `EXPLAIN QUERY PLAN`. A step that reads check-in history (checkins, checkin_values, audit_log)
 * without an index search is flagged as a full scan.
 *
 * `npx tsx bench/explain.ts` prints the plans as Markdown (pasted into BENCHMARKS.md);
 * `bench/run.ts` stores them in results.json and fails the run if any full scan shows up.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { Database, Statement } from "better-sqlite3";
import { buildCheckInForm } from "../src/commands/forms/check-in-form.ts";
import { suggestKrs } from "../src/commands/forms/kr-suggestions.ts";
import type { ChatAdapter } from "../src/core/adapter.ts";
import type { Invocation } from "../src/core/invocation.ts";
import { silentLogger } from "../src/core/logger.ts";
import { DeliveryWorker } from "../src/scheduler/delivery.ts";
import { Scheduler } from "../src/scheduler/scheduler.ts";
import { benchApp, invocation } from "./app.ts";
import { BENCH_NOW, copyOrg, ensureOrg, type OrgInfo } from "./generate.ts";
import { nowMs, stats } from "./measure.ts";

/** Tables that grow with every check-in: reading them without an index search is a history scan. */
const HISTORY = ["checkins", "checkin_values", "audit_log"];

export interface PlanStep {
  depth: number;
  detail: string;
}
export interface QueryPlan {
  sql: string;
  steps: PlanStep[];
  /** Steps that scan check-in history without an index search. */
  historyScans: string[];
  /** Steps that search history by workspace alone: they walk the whole workspace's history. */
  workspaceWalks: string[];
  /** Executions of this statement on the path, and the slowest one (ms). */
  calls: number;
  maxMs: number;
  /** The same statement after `ANALYZE` (what-if), when it walks or scans history. */
  afterAnalyze?: { steps: PlanStep[]; medianMs: number; beforeMedianMs: number };
}
export interface PathPlans {
  path: string;
  queries: QueryPlan[];
}

interface Recorded {
  sql: string;
  args: unknown[];
  ms: number;
}

/** Runs `work` while recording every statement execution on any better-sqlite3 connection. */
async function recordStatements(proto: Statement, work: () => Promise<void>): Promise<Recorded[]> {
  const seen: Recorded[] = [];
  const methods = ["run", "get", "all", "iterate"] as const;
  const originals = methods.map((m) => proto[m]);
  methods.forEach((m, i) => {
    const original = originals[i] as (...a: unknown[]) => unknown;
    (proto as unknown as Record<string, unknown>)[m] = function (this: Statement, ...args: unknown[]) {
      const t = nowMs();
      const result = original.apply(this, args);
      seen.push({ sql: this.source, args, ms: nowMs() - t });
      return result;
    };
  });
  try {
    await work();
  } finally {
    methods.forEach((m, i) => {
      (proto as unknown as Record<string, unknown>)[m] = originals[i];
    });
  }
  return seen;
}

/** A plan step that reads a history table without an index search. */
function isHistoryScan(detail: string): boolean {
  const m = /^SCAN (\w+)/.exec(detail);
  return Boolean(m && HISTORY.includes(m[1] as string));
}

/** A plan step that searches a history table by workspace alone: every check-in of the workspace. */
function isWorkspaceWalk(detail: string): boolean {
  const m = /^SEARCH (\w+) .*\((workspace_id=\?)\)$/.exec(detail);
  return Boolean(m && HISTORY.includes(m[1] as string));
}

/**
 * SQLite plans a foreign-key lookup in the child tables for every INSERT into a parent table
 * (members, occurrence_claims); it runs only while deferred FK violations are pending, which
 * krbot never has. Such SCANs are shown but not counted.
 */
function isParentInsert(sql: string): boolean {
  return /^\s*insert into "(members|occurrence_claims)"/i.test(sql);
}

function explain(db: Database, sql: string, args: unknown[]): PlanStep[] {
  let rows: { id: number; parent: number; detail: string }[];
  try {
    rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as typeof rows;
  } catch (err) {
    rows = [{ id: 0, parent: 0, detail: `(could not explain: ${(err as Error).message})` }];
  }
  const depth = new Map<number, number>([[0, -1]]);
  return rows.map((row) => {
    const d = (depth.get(row.parent) ?? -1) + 1;
    depth.set(row.id, d);
    return { depth: d, detail: row.detail };
  });
}

/** Median time of running a read statement with its recorded arguments. */
function timeRead(db: Database, sql: string, args: unknown[], runs = 5): number {
  const stmt = db.prepare(sql);
  if (!stmt.reader) return Number.NaN;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = nowMs();
    stmt.all(...args);
    samples.push(nowMs() - t);
  }
  return stats(samples).median;
}

/** Collects the plans of every command path on a copy of the organisation's database. */
export async function collectPlans(org: OrgInfo, dbFile: string): Promise<PathPlans[]> {
  const { core, store } = benchApp(dbFile);
  const db = store.db.$client;
  const proto = Object.getPrototypeOf(db.prepare("SELECT 1")) as Statement;
  const ws = org.large;
  const kr = ws.krCodes[417] as string;
  const owner = (ws.owners[kr] ?? [])[0] as string;
  const metric = (ws.metrics[kr] ?? [])[0] as string;
  let n = 0;
  const inv = (text: string, user = owner, admin = false): Invocation => {
    const i = invocation(ws, user, text, `explain-${n++}`);
    if (admin) i.actor.isAdmin = true;
    return i;
  };
  const noop: ChatAdapter = {
    platform: "slack",
    start: async () => {},
    stop: async () => {},
    post: async () => ({ messageId: "1.0", channelId: "C0" }),
  } as unknown as ChatAdapter;
  const paths: [string, () => Promise<unknown>][] = [
    ["/kr status (all 1,000 KRs)", () => core.dispatch(inv("status"))],
    [`/kr status ${ws.objectiveCodes[2]}`, () => core.dispatch(inv(`status ${ws.objectiveCodes[2]}`))],
    ["/kr status mine", () => core.dispatch(inv("status mine", ws.mineUser))],
    [`/kr status <kr> (with its chart)`, () => core.dispatch(inv(`status ${kr}`))],
    [`/kr status team <name>`, () => core.dispatch(inv(`status team ${ws.teams[3]}`))],
    ["/kr list", () => core.dispatch(inv("list"))],
    [`/kr update <kr> …`, () => core.dispatch(inv(`update ${kr} at-risk ${metric}=42 explain`))],
    [`/kr history <kr> 20`, () => core.dispatch(inv(`history ${kr} 20`))],
    [`/kr owners <kr>`, () => core.dispatch(inv(`owners ${kr}`))],
    ["/kr undo (own check-in a moment ago)", () => core.dispatch(inv("undo"))],
    ["/kr undo (someone who never checked in)", () => core.dispatch(inv("undo", "U9NEVER"))],
    [`/kr snooze <kr> until …`, () => core.dispatch(inv(`snooze ${kr} until 2026-12-24`))],
    ["/kr digest (this channel's schedule)", () => core.dispatch(inv("digest"))],
    ["/kr export (admin)", () => core.dispatch(inv("export", owner, true))],
    [
      "check-in form (Slack modal / Discord form)",
      async () => buildCheckInForm(await core.contextFor({ ...inv(""), command: "update" }), kr),
    ],
    [
      "KR autocomplete (Discord)",
      async () => suggestKrs(await core.contextFor({ ...inv(""), command: "status" }), "O3.KR1"),
    ],
    [
      "scheduler tick (1,000 digests, every reminder)",
      () =>
        new Scheduler(
          store,
          { defaultTimezone: "UTC", graceMs: 12 * 3_600_000, staleDays: 7 },
          () => BENCH_NOW,
          silentLogger,
        ).tick(),
    ],
    [
      "delivery worker (outbox drain)",
      () =>
        new DeliveryWorker(store, new Map([["slack", noop]]), () => BENCH_NOW, silentLogger, {
          batch: 20,
        }).drain(),
    ],
  ];
  const out: PathPlans[] = [];
  const args = new Map<QueryPlan, unknown[]>();
  try {
    for (const [path, work] of paths) {
      const recorded = await recordStatements(proto, async () => {
        await work();
      });
      const distinct = new Map<string, Recorded & { calls: number; maxMs: number }>();
      for (const r of recorded) {
        const d = distinct.get(r.sql);
        if (d) {
          d.calls++;
          d.maxMs = Math.max(d.maxMs, r.ms);
        } else distinct.set(r.sql, { ...r, calls: 1, maxMs: r.ms });
      }
      const queries: QueryPlan[] = [];
      for (const r of distinct.values()) {
        if (/^\s*(begin|commit|rollback|savepoint|release|pragma|select 1\b)/i.test(r.sql)) continue;
        const steps = explain(db, r.sql, r.args);
        if (steps.length === 0) continue; // A plain INSERT … VALUES: nothing to plan.
        const counted = isParentInsert(r.sql) ? [] : steps;
        const plan: QueryPlan = {
          sql: r.sql,
          steps,
          historyScans: counted.filter((s) => isHistoryScan(s.detail)).map((s) => s.detail),
          workspaceWalks: counted.filter((s) => isWorkspaceWalk(s.detail)).map((s) => s.detail),
          calls: r.calls,
          maxMs: r.maxMs,
        };
        queries.push(plan);
        args.set(plan, r.args);
      }
      out.push({ path, queries });
    }
    // What-if: the same statements once SQLite has statistics (ANALYZE; krbot never runs it).
    const flagged = out
      .flatMap((p) => p.queries)
      .filter((q) => q.historyScans.length + q.workspaceWalks.length > 0);
    const before = new Map(flagged.map((q) => [q, timeRead(db, q.sql, args.get(q) ?? [])]));
    db.exec("ANALYZE");
    for (const q of flagged) {
      const a = args.get(q) ?? [];
      q.afterAnalyze = {
        steps: explain(db, q.sql, a),
        medianMs: timeRead(db, q.sql, a),
        beforeMedianMs: before.get(q) ?? Number.NaN,
      };
    }
  } finally {
    await store.close();
  }
  return out;
}

/** The statement, shortened for reading: the select list becomes `…`. */
function shortSql(sql: string): string {
  return sql.replace(/^select (.+?) from /is, (m, cols: string) => (cols.length > 60 ? "select … from " : m));
}

const flag = (sql: string, detail: string): string => {
  if (isParentInsert(sql) && /^SCAN /.test(detail)) return "   (FK check for a new parent row; not run)";
  if (isHistoryScan(detail)) return "   <-- FULL SCAN OF HISTORY";
  if (isWorkspaceWalk(detail)) return "   <-- WALKS THE WORKSPACE'S HISTORY";
  return "";
};

/** The plans as Markdown: one section per path, each statement with its plan and measured time. */
export function plansMarkdown(paths: PathPlans[]): string {
  const lines: string[] = [];
  const shown = new Set<string>();
  for (const p of paths) {
    lines.push(`#### ${p.path}`, "");
    const fresh = p.queries.filter((q) => !shown.has(q.sql));
    const repeated = p.queries.length - fresh.length;
    const slowRepeats = p.queries.filter(
      (q) => shown.has(q.sql) && (q.maxMs > 5 || q.workspaceWalks.length + q.historyScans.length > 0),
    );
    if (fresh.length === 0) {
      lines.push(`Only statements already shown above (${repeated}).`, ...slowRepeats.map(repeatNote), "");
      continue;
    }
    lines.push("```");
    for (const q of fresh) {
      shown.add(q.sql);
      lines.push(`${shortSql(q.sql)}   -- ${q.calls}× on this path, slowest ${q.maxMs.toFixed(2)} ms`);
      for (const s of q.steps) lines.push(`${"  ".repeat(s.depth + 1)}${s.detail}${flag(q.sql, s.detail)}`);
      if (q.afterAnalyze) {
        lines.push(
          `  after ANALYZE (what-if): ${q.afterAnalyze.beforeMedianMs.toFixed(2)} ms -> ${q.afterAnalyze.medianMs.toFixed(2)} ms`,
        );
        for (const s of q.afterAnalyze.steps) lines.push(`  ${"  ".repeat(s.depth + 1)}${s.detail}`);
      }
      lines.push("");
    }
    if (lines.at(-1) === "") lines.pop();
    lines.push("```");
    if (repeated)
      lines.push(
        "",
        `Plus ${repeated} statement${repeated === 1 ? "" : "s"} shown above.`,
        ...slowRepeats.map(repeatNote),
      );
    lines.push("");
  }
  return lines.join("\n");
}

/** For statements seen on several paths: the slow repeats (the plan is shown at the first path). */
function repeatNote(q: QueryPlan): string {
  const after = q.afterAnalyze
    ? `; after ANALYZE ${q.afterAnalyze.beforeMedianMs.toFixed(2)} -> ${q.afterAnalyze.medianMs.toFixed(2)} ms`
    : "";
  return `- \`${shortSql(q.sql).slice(0, 90)}…\` (plan above): here slowest ${q.maxMs.toFixed(2)} ms${after}`;
}

/** Every flagged step, as "path: step". */
export function flaggedSteps(paths: PathPlans[]): { scans: string[]; walks: string[] } {
  const scans = paths.flatMap((p) => p.queries.flatMap((q) => q.historyScans.map((s) => `${p.path}: ${s}`)));
  const walks = paths.flatMap((p) =>
    p.queries.flatMap((q) => q.workspaceWalks.map((s) => `${p.path}: ${s}`)),
  );
  return { scans, walks };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const org = await ensureOrg((line) => console.error(line));
  const dir = mkdtempSync(join(tmpdir(), "krbot-bench-explain-"));
  try {
    const plans = await collectPlans(org, copyOrg(org, dir, "explain"));
    console.log(plansMarkdown(plans));
    const { scans, walks } = flaggedSteps(plans);
    console.error(
      scans.length ? `full scans of history:\n${scans.join("\n")}` : "no full scan of check-in history",
    );
    if (walks.length) console.error(`walks of a workspace's whole history:\n${walks.join("\n")}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
