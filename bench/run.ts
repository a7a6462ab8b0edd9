/**
 * `npm run bench`: krbot at the scale of a large organisation (bench/generate.ts), against the
 * floors it stands on. Runs every benchmark, prints one table with each figure against its target
 * (PASS/MISS), a profile of every MISS, and writes bench/results.json. BENCHMARKS.md records a run.
 *
 * `npm run bench -- status digests` runs only the named benchmarks (status, ingest, digests,
 * slack, process, charts, explain).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import Database from "better-sqlite3";
import { benchDigests } from "./digests.ts";
import { collectPlans, flaggedSteps, type PathPlans } from "./explain.ts";
import { copyOrg, ensureOrg, GENERATOR_VERSION, type OrgInfo } from "./generate.ts";
import { benchIngest } from "./ingest.ts";
import { fmt, nowMs, type Row, table } from "./measure.ts";
import { benchProcess } from "./process.ts";
import { type ProfileSummary, printProfile } from "./profile.ts";
import { benchSlackRoundTrip } from "./slack-roundtrip.ts";
import { benchStatus } from "./status.ts";

const HERE = fileURLToPath(new URL(".", import.meta.url));
const started = nowMs();
const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);

/** The optional chart benchmark (bench/charts.ts, `benchCharts()`), as table rows. */
async function benchChartsIfPresent(): Promise<Row[]> {
  const file = join(HERE, "charts.ts");
  if (!existsSync(file)) return [];
  const mod = (await import(pathToFileURL(file).href)) as { benchCharts?: () => Promise<unknown> };
  if (typeof mod.benchCharts !== "function") return [];
  const result = await mod.benchCharts();
  if (Array.isArray(result)) return result as Row[];
  const r = (result ?? {}) as Record<string, unknown>;
  const rows: Row[] = [];
  if (typeof r.warmMedianMs === "number")
    rows.push({
      id: "6a",
      label: "KR chart spec → PNG, warm (bench/charts.ts)",
      unit: "ms",
      median: r.warmMedianMs,
    });
  if (typeof r.coldMs === "number")
    rows.push({
      id: "6b",
      label: "KR chart spec → PNG, first render in the process",
      unit: "ms",
      median: r.coldMs,
    });
  for (const [k, v] of Object.entries(r))
    if (typeof v === "number" && k !== "warmMedianMs" && k !== "coldMs")
      rows.push({ id: `6-${k}`, label: `chart: ${k}`, unit: k.endsWith("Ms") ? "ms" : "ratio", median: v });
  return rows;
}

function machine(org: OrgInfo | undefined) {
  const db = new Database(":memory:");
  const sqlite = (db.prepare("select sqlite_version() AS v").get() as { v: string }).v;
  db.close();
  const cpu = cpus();
  return {
    cpu: `${cpu.length} × ${cpu[0]?.model ?? "unknown"}`,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    sqlite,
    generator: GENERATOR_VERSION,
    organisation: org?.counts,
  };
}

const log = (line: string) => console.log(line);
const rows: Row[] = [];
const errors: string[] = [];
let plans: PathPlans[] = [];
const loadAtStart = loadavg();
const org = await ensureOrg(log);
const info = machine(org);
log(
  `${info.cpu}, ${info.memoryGb} GB, Node ${info.node}, SQLite ${info.sqlite}; load ${loadAtStart.map((l) => l.toFixed(2)).join(" ")}`,
);
const dir = mkdtempSync(join(tmpdir(), "krbot-bench-"));

async function step(name: string, fn: () => Promise<Row[]>): Promise<void> {
  if (!wanted(name)) return;
  const t = nowMs();
  log(`\n▶ ${name} …`);
  try {
    const got = await fn();
    rows.push(...got);
    for (const r of got)
      log(
        `  ${r.id.padEnd(8)} ${r.label}: ${fmt(r.median)} ${r.unit}${r.p99 === undefined ? "" : ` (p99 ${fmt(r.p99)})`}${r.opsPerSec === undefined ? "" : `, ${fmt(r.opsPerSec)}/s`}${r.pass === undefined ? "" : r.pass ? "  PASS" : "  MISS"}`,
      );
  } catch (err) {
    errors.push(`${name}: ${(err as Error).stack ?? String(err)}`);
    log(`  FAILED: ${(err as Error).message}`);
  }
  log(`  (${((nowMs() - t) / 1000).toFixed(1)} s)`);
}

try {
  await step("status", () => benchStatus(org, copyOrg(org, dir, "status")));
  await step("ingest", () => benchIngest(org, copyOrg(org, dir, "ingest")));
  await step("digests", () => benchDigests(org, copyOrg(org, dir, "digests")));
  await step("slack", () => benchSlackRoundTrip(org, copyOrg(org, dir, "slack")));
  await step("process", () => benchProcess(org, org.dbFile, dir));
  await step("charts", benchChartsIfPresent);
  await step("explain", async () => {
    plans = await collectPlans(org, copyOrg(org, dir, "explain"));
    const { scans, walks } = flaggedSteps(plans);
    const statements = new Set(plans.flatMap((p) => p.queries.map((q) => q.sql))).size;
    return [
      {
        id: "7",
        label: `EXPLAIN QUERY PLAN: full scans of check-in history (${plans.length} paths, ${statements} statements)`,
        unit: "count",
        median: scans.length,
        target: "0",
        pass: scans.length === 0,
        detail: { scans, walks },
      },
      {
        id: "7-walk",
        label: "  statements that walk one workspace's whole history (index on workspace_id alone)",
        unit: "count",
        median: walks.length,
        detail: { walks },
      },
    ];
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const totalMs = nowMs() - started;
log(`\n${table(rows)}`);
for (const r of rows) {
  const profile = r.detail?.profile as ProfileSummary | undefined;
  if (r.pass === false) {
    log(`\nMISS ${r.id} ${r.label}`);
    if (r.detail?.breakdown) log(`  breakdown: ${JSON.stringify(r.detail.breakdown)}`);
    if (profile) printProfile(r.label, profile, log);
    const second = r.detail?.firstTickProfile as ProfileSummary | undefined;
    if (second) printProfile("the first scheduler tick", second, log);
    if (r.detail?.layers) log(`  memory by layer: ${JSON.stringify(r.detail.layers)}`);
    if (r.detail?.scans) log(`  ${(r.detail.scans as string[]).join("\n  ")}`);
  }
}
const loadAtEnd = loadavg();
log(
  `\ntotal ${(totalMs / 1000).toFixed(0)} s; load average at start ${loadAtStart[0]?.toFixed(2)}, at end ${loadAtEnd[0]?.toFixed(2)} (other processes on this machine add noise, mostly to p99)`,
);
writeFileSync(
  join(HERE, "results.json"),
  `${JSON.stringify(
    {
      date: new Date().toISOString(),
      machine: { ...info, loadAverageAtStart: loadAtStart, loadAverageAtEnd: loadAtEnd },
      totalSeconds: totalMs / 1000,
      rows,
      plans,
      errors,
    },
    null,
    2,
  )}\n`,
);
// Formatted as Biome formats JSON, so that `npm run check` stays clean after a bench run.
spawnSync(join(HERE, "../node_modules/.bin/biome"), ["format", "--write", join(HERE, "results.json")], {
  stdio: "ignore",
});
log("wrote bench/results.json");
if (errors.length) {
  console.error(`\n${errors.length} benchmark(s) failed:\n${errors.join("\n\n")}`);
  process.exitCode = 1;
}
