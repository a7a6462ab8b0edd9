/**
 * The synthetic organisation every benchmark runs against, in a file database:
 *
 * - 200 workspaces (Slack teams and Discord guilds). One large one has 10 objectives of 100 KRs
 *   (1,000 KRs, 250 people, 25 teams); the other 199 share the remaining 9,000 KRs (45–46 each).
 * - 10,000 KRs with 1–6 metrics each, 1–3 owners and 1–2 teams.
 * - 1,000,000 historical check-ins over the year before BENCH_NOW (~100 per KR, from 40 to 160),
 *   with their metric values, in time order; the KR and metric current-state columns hold the
 *   latest check-in, exactly as the app's check-in transaction leaves them.
 * - 1,000 weekly digest schedules (Monday morning, in zones from São Paulo to Berlin), spread
 *   across the workspaces with "all", objective and team scopes.
 *
 * The plans go in through `store.plans.import` (the app's own import); check-ins, being a million,
 * are written with raw prepared better-sqlite3 statements in big transactions. The finished
 * database is cached under the OS temp folder, keyed by GENERATOR_VERSION (bump it whenever the
 * shape below changes) and by a hash of the migrations.
 */
import { createHash } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plan } from "../src/domain/plan.ts";
import { type Comparator, krProgress } from "../src/domain/status-math.ts";
import { openSqliteStore, type SqliteStore } from "../src/store/sqlite/index.ts";
import { intIn, nowMs, pick, rng } from "./measure.ts";

export const GENERATOR_VERSION = 3;

/** The instant the benchmarks pretend it is: Monday 23 Nov 2026, 15:00 UTC (every digest is due). */
export const BENCH_NOW = new Date("2026-11-23T15:00:00Z");

export const SIZES = {
  workspaces: 200,
  krs: 10_000,
  largeObjectives: 10,
  largeKrsPerObjective: 100,
  checkins: 1_000_000,
  schedules: 1_000,
};

const DAY = 86_400_000;
const HISTORY_DAYS = 365;
const STATUSES = ["on_track", "at_risk", "off_track", "done"] as const;
const METRIC_NAMES = [
  "signups",
  "trainers",
  "articles",
  "editors",
  "events",
  "partners",
  "downloads",
  "latency_ms",
  "tickets",
  "revenue_k",
];
const NOTES = [
  "Weekly sync: on plan",
  "Cohort 3 certified, two more in review",
  "Blocked on legal review of the partner agreement",
  "Shipped the onboarding change; watching the numbers",
  "Slower week, two people out",
  "Hiring closed, new trainer starts Monday",
  "Numbers from the dashboard, see the thread",
  "",
];
/** Zones whose Monday 08:30–09:30 all fall within the 12 h grace window before BENCH_NOW. */
const DIGEST_ZONES = [
  "UTC",
  "Europe/London",
  "Europe/Berlin",
  "Europe/Madrid",
  "America/New_York",
  "America/Sao_Paulo",
];
const DIGEST_TIMES = ["08:30", "09:00", "09:30"];

export interface WorkspaceInfo {
  platform: "slack" | "discord";
  externalId: string;
  workspaceId: number;
  objectiveCodes: string[];
  krCodes: string[];
  /** Platform user ids of the people in the workspace. */
  people: string[];
  teams: string[];
  /** KR code → platform user ids of its owners. */
  owners: Record<string, string[]>;
  /** KR code → metric keys. */
  metrics: Record<string, string[]>;
}

export interface OrgInfo {
  version: number;
  /** The cached database file; never written by a benchmark (they work on copies). */
  dbFile: string;
  large: WorkspaceInfo & {
    /** Someone in the large workspace who owns many KRs, for `/kr status mine`. */
    mineUser: string;
    mineCount: number;
  };
  /** The first Discord guild, for the process benchmark. */
  discord: WorkspaceInfo;
  /** A few small Slack workspaces, for mixed traffic. */
  smallSlack: WorkspaceInfo[];
  counts: Record<string, number>;
  generatedMs: number;
}

const CACHE_DIR = join(tmpdir(), "krbot-bench-cache");
const MIGRATIONS = fileURLToPath(new URL("../drizzle/", import.meta.url));

/**
 * The cache key: the generator version and a hash of the committed migrations, so that a schema
 * change (a new index, say) regenerates the organisation instead of every benchmark migrating a
 * stale copy, which would time the migration instead of the app.
 */
function cacheKey(): string {
  const hash = createHash("sha256");
  for (const f of readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith(".sql"))
    .sort())
    hash.update(f).update(readFileSync(join(MIGRATIONS, f)));
  return `org-v${GENERATOR_VERSION}-${hash.digest("hex").slice(0, 10)}`;
}

function cachePaths() {
  const base = join(CACHE_DIR, cacheKey());
  return { db: `${base}.db`, meta: `${base}.json` };
}

/** The cached organisation, generating it first if this generator version has none yet. */
export async function ensureOrg(log: (line: string) => void = console.log): Promise<OrgInfo> {
  const paths = cachePaths();
  if (existsSync(paths.db) && existsSync(paths.meta)) {
    const info = JSON.parse(readFileSync(paths.meta, "utf8")) as OrgInfo;
    if (info.version === GENERATOR_VERSION) {
      log(
        `organisation: cached ${paths.db} (generated in ${(info.generatedMs / 1000).toFixed(1)} s, not timed now)`,
      );
      return info;
    }
  }
  mkdirSync(CACHE_DIR, { recursive: true });
  // Older organisations (another version or schema) are ~270 MB each: keep only the new one.
  for (const f of readdirSync(CACHE_DIR))
    if (f.startsWith("org-")) rmSync(join(CACHE_DIR, f), { force: true });
  const tmp = `${paths.db}.${process.pid}.tmp`;
  rmSync(tmp, { force: true });
  const info = await generate(tmp, log);
  renameSync(tmp, paths.db);
  info.dbFile = paths.db;
  writeFileSync(paths.meta, JSON.stringify(info));
  return info;
}

/** A private copy of the organisation's database for one benchmark to write to. */
export function copyOrg(org: OrgInfo, dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${name}.db`);
  copyFileSync(org.dbFile, file);
  return file;
}

interface WsPlan {
  info: WorkspaceInfo;
  plan: Plan;
  tz: string;
}

function workspacePlans(): WsPlan[] {
  const rand = rng(7);
  const out: WsPlan[] = [];
  const smallCount = SIZES.workspaces - 1;
  const smallKrs = SIZES.krs - SIZES.largeObjectives * SIZES.largeKrsPerObjective;
  for (let w = 0; w < SIZES.workspaces; w++) {
    const large = w === 0;
    const platform: "slack" | "discord" = w % 4 === 3 ? "discord" : "slack";
    const externalId =
      platform === "slack" ? `T${String(w).padStart(8, "0")}` : String(100_000_000_000_000_000n + BigInt(w));
    const userId = (p: number) =>
      platform === "slack"
        ? `U${String(w).padStart(3, "0")}${String(p).padStart(5, "0")}`
        : String(300_000_000_000_000_000n + BigInt(w * 100_000 + p));
    const peopleCount = large ? 250 : intIn(rand, 8, 20);
    const teamCount = large ? 25 : intIn(rand, 3, 6);
    const people = Array.from({ length: peopleCount }, (_, p) => userId(p));
    const teams = Array.from(
      { length: teamCount },
      (_, t) => `Team ${String.fromCharCode(65 + (t % 26))}${t >= 26 ? t : ""}`,
    );
    const krTotal = large
      ? SIZES.largeObjectives * SIZES.largeKrsPerObjective
      : Math.floor(smallKrs / smallCount) + (w - 1 < smallKrs % smallCount ? 1 : 0);
    const objectiveCount = large ? SIZES.largeObjectives : intIn(rand, 3, 6);
    const info: WorkspaceInfo = {
      platform,
      externalId,
      workspaceId: 0,
      objectiveCodes: [],
      krCodes: [],
      people,
      teams,
      owners: {},
      metrics: {},
    };
    const objectives: Plan["objectives"] = [];
    let made = 0;
    for (let o = 0; o < objectiveCount; o++) {
      const code = `O${o + 1}`;
      const n = Math.floor(krTotal / objectiveCount) + (o < krTotal % objectiveCount ? 1 : 0);
      info.objectiveCodes.push(code);
      const keyResults: Plan["objectives"][number]["key_results"] = [];
      for (let k = 0; k < n; k++) {
        const krCode = `KR${k + 1}`;
        const full = `${code}.${krCode}`;
        const metricCount = intIn(rand, 1, 6);
        const start = intIn(rand, 0, METRIC_NAMES.length - 1);
        const metrics = Array.from({ length: metricCount }, (_, m) => {
          const key = METRIC_NAMES[(start + m) % METRIC_NAMES.length] as string;
          const down = key === "latency_ms" || key === "tickets";
          const baseline = down ? intIn(rand, 500, 2000) : intIn(rand, 0, 200);
          const target = down ? Math.round(baseline * 0.4) : baseline + intIn(rand, 50, 5000);
          return {
            key,
            label: key.replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase()),
            unit: down ? (key === "latency_ms" ? "ms" : "tickets") : "things",
            baseline,
            target,
            comparator: (down ? "at_most" : "at_least") as Comparator,
          };
        });
        const owners = [...new Set(Array.from({ length: intIn(rand, 1, 3) }, () => pick(rand, people)))];
        const krTeams = [...new Set(Array.from({ length: intIn(rand, 1, 2) }, () => pick(rand, teams)))];
        keyResults.push({
          code: krCode,
          title: `Key result ${w}.${o + 1}.${k + 1}: grow the thing by a measurable amount`,
          text: "",
          programs: [],
          teams: krTeams,
          owners,
          metrics,
        });
        info.krCodes.push(full);
        info.owners[full] = owners;
        info.metrics[full] = metrics.map((m) => m.key);
        made++;
      }
      objectives.push({
        code,
        goal: "g1",
        title: `Objective ${o + 1} of workspace ${w}`,
        key_results: keyResults,
      });
    }
    if (made !== krTotal) throw new Error("bench generator: KR count mismatch");
    out.push({
      info,
      tz: pick(rand, DIGEST_ZONES),
      plan: {
        id: `bench-${w}`,
        title: large ? "Large organisation plan 2026" : `Plan of workspace ${w}`,
        period: { start: "2026-01-01", end: "2026-12-31" },
        goals: [{ key: "g1", title: "Grow", description: "" }],
        objectives,
      },
    });
  }
  return out;
}

async function generate(file: string, log: (line: string) => void): Promise<OrgInfo> {
  const started = nowMs();
  log(`organisation: generating v${GENERATOR_VERSION} into ${file} …`);
  const store = openSqliteStore(file);
  const db = store.db.$client;
  db.pragma("cache_size = -400000");
  const plans = workspacePlans();

  // ---- structure, through the app's own plan import ----
  let t = nowMs();
  for (const p of plans) {
    const ws = await store.workspaces.ensure({ platform: p.info.platform, id: p.info.externalId });
    p.info.workspaceId = ws.id;
    await store.plans.import(ws.id, p.plan, { actor: "bench" });
  }
  const setTz = db.prepare("UPDATE workspaces SET timezone = ?, name = ? WHERE id = ?");
  const nameMembers = db.prepare(
    "UPDATE members SET display_name = 'Person ' || substr(platform_user_id, -5) WHERE workspace_id = ?",
  );
  db.transaction(() => {
    for (const p of plans) {
      setTz.run(p.tz, p.plan.title, p.info.workspaceId);
      nameMembers.run(p.info.workspaceId);
    }
  })();
  log(`  plans imported (store.plans.import) in ${((nowMs() - t) / 1000).toFixed(1)} s`);

  // ---- people who never owned anything still check in and exist as members ----
  const addMember = db.prepare(
    "INSERT OR IGNORE INTO members (workspace_id, platform_user_id, display_name, created_at) VALUES (?, ?, ?, ?)",
  );
  db.transaction(() => {
    for (const p of plans)
      for (const u of p.info.people)
        addMember.run(p.info.workspaceId, u, `Person ${u.slice(-5)}`, 1_735_689_600_000);
  })();

  // ---- check-in history, raw ----
  t = nowMs();
  db.pragma("foreign_keys = OFF");
  db.pragma("journal_mode = OFF");
  db.pragma("synchronous = OFF");
  const counts = writeHistory(db, plans);
  log(
    `  ${counts.checkins.toLocaleString("en-US")} check-ins, ${counts.checkinValues.toLocaleString("en-US")} values in ${((nowMs() - t) / 1000).toFixed(1)} s`,
  );
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");

  // ---- digest schedules, through the store (each writes its audit row, as /kr digest does) ----
  t = nowMs();
  const rand = rng(99);
  let schedules = 0;
  for (let w = 0; w < plans.length; w++) {
    const p = plans[w] as WsPlan;
    const n =
      w === 0
        ? 20
        : Math.floor((SIZES.schedules - 20) / (plans.length - 1)) +
          (w - 1 < (SIZES.schedules - 20) % (plans.length - 1) ? 1 : 0);
    for (let s = 0; s < n; s++) {
      const scope =
        s === 0
          ? ({ kind: "all" } as const)
          : s % 3 === 0
            ? ({ kind: "team", value: pick(rand, p.info.teams) } as const)
            : ({
                kind: "objective",
                value: p.info.objectiveCodes[s % p.info.objectiveCodes.length] as string,
              } as const);
      await store.schedules.upsertDigest(p.info.workspaceId, {
        channelId:
          p.info.platform === "slack"
            ? `C${String(w).padStart(4, "0")}${s}`
            : String(200_000_000_000_000_000n + BigInt(w * 100 + s)),
        weekday: 1,
        time: pick(rand, DIGEST_TIMES),
        timezone: s % 2 === 0 ? null : pick(rand, DIGEST_ZONES),
        scope,
        createdBy: p.info.people[0] as string,
        activeFrom: new Date("2026-01-01T00:00:00Z"),
      });
      schedules++;
    }
  }
  log(`  ${schedules} digest schedules in ${((nowMs() - t) / 1000).toFixed(1)} s`);

  const count = (table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  const large = plans[0]?.info as WorkspaceInfo;
  const owned = new Map<string, number>();
  for (const os of Object.values(large.owners)) for (const u of os) owned.set(u, (owned.get(u) ?? 0) + 1);
  const [mineUser, mineCount] = [...owned].sort((a, b) => b[1] - a[1])[0] as [string, number];
  const info: OrgInfo = {
    version: GENERATOR_VERSION,
    dbFile: file,
    large: { ...large, mineUser, mineCount },
    discord: plans.find((p) => p.info.platform === "discord")?.info as WorkspaceInfo,
    smallSlack: plans
      .filter((p, i) => i > 0 && p.info.platform === "slack")
      .slice(0, 5)
      .map((p) => p.info),
    counts: {
      workspaces: count("workspaces"),
      objectives: count("objectives"),
      keyResults: count("key_results"),
      metrics: count("metrics"),
      members: count("members"),
      checkins: count("checkins"),
      checkinValues: count("checkin_values"),
      digestSchedules: count("digest_schedules"),
    },
    generatedMs: 0,
  };
  db.pragma("wal_checkpoint(TRUNCATE)");
  await store.close();
  info.generatedMs = nowMs() - started;
  log(`organisation: generated in ${(info.generatedMs / 1000).toFixed(1)} s: ${JSON.stringify(info.counts)}`);
  return info;
}

interface KrRow {
  id: number;
  workspaceId: number;
  metricIds: number[];
  baseline: number[];
  target: number[];
  comparator: Comparator[];
  authors: number[];
  owners: number[];
}

/** Writes the check-in history and the current state it implies; returns row counts. */
function writeHistory(db: SqliteStore["db"]["$client"], plans: WsPlan[]) {
  const rand = rng(12345);
  const krRows = db.prepare("SELECT id, workspace_id AS workspaceId FROM key_results ORDER BY id").all() as {
    id: number;
    workspaceId: number;
  }[];
  const metricRows = db
    .prepare("SELECT id, kr_id AS krId, baseline, target, comparator FROM metrics ORDER BY kr_id, position")
    .all() as { id: number; krId: number; baseline: number; target: number; comparator: Comparator }[];
  const memberRows = db.prepare("SELECT id, workspace_id AS workspaceId FROM members").all() as {
    id: number;
    workspaceId: number;
  }[];
  const ownerRows = db.prepare("SELECT kr_id AS krId, member_id AS memberId FROM kr_owners").all() as {
    krId: number;
    memberId: number;
  }[];
  const membersOf = new Map<number, number[]>();
  for (const m of memberRows) {
    const list = membersOf.get(m.workspaceId) ?? [];
    list.push(m.id);
    membersOf.set(m.workspaceId, list);
  }
  const krs = new Map<number, KrRow>();
  for (const k of krRows) {
    krs.set(k.id, {
      id: k.id,
      workspaceId: k.workspaceId,
      metricIds: [],
      baseline: [],
      target: [],
      comparator: [],
      authors: membersOf.get(k.workspaceId) ?? [],
      owners: [],
    });
  }
  for (const m of metricRows) {
    const kr = krs.get(m.krId) as KrRow;
    kr.metricIds.push(m.id);
    kr.baseline.push(m.baseline);
    kr.target.push(m.target);
    kr.comparator.push(m.comparator);
  }
  for (const o of ownerRows) krs.get(o.krId)?.owners.push(o.memberId);
  const list = [...krs.values()];
  if (list.length !== SIZES.krs || plans.length !== SIZES.workspaces)
    throw new Error("bench generator: unexpected size");

  // How many check-ins each KR gets (40–160, exactly 1,000,000 in all) and over which span.
  const n = list.map(() => intIn(rand, 40, 160));
  let diff = SIZES.checkins - n.reduce((s, x) => s + x, 0);
  for (let i = 0; diff !== 0; i = (i + 1) % n.length) {
    const step = diff > 0 ? 1 : -1;
    if ((n[i] as number) + step >= 20) {
      n[i] = (n[i] as number) + step;
      diff -= step;
    }
  }
  const end = BENCH_NOW.getTime();
  const start = end - HISTORY_DAYS * DAY;
  // 70% checked in within the last week, 20% 8–30 days ago (stale), 10% 1–4 months ago.
  const lastAt = list.map(() => {
    const r = rand();
    const ago = r < 0.7 ? rand() * 6.5 * DAY : r < 0.9 ? (8 + rand() * 22) * DAY : (30 + rand() * 90) * DAY;
    return end - 3_600_000 - ago;
  });

  // Bucket every (kr, j) by day so that ids grow with time, as they do in a real database.
  const dayOf = (ms: number) => Math.floor((ms - start) / DAY);
  const buckets: number[][] = Array.from({ length: HISTORY_DAYS + 1 }, () => []);
  const times = list.map((_, k) => {
    const span = (lastAt[k] as number) - start;
    const count = n[k] as number;
    const ts = new Float64Array(count);
    for (let j = 0; j < count; j++) ts[j] = Math.floor(start + ((j + rand()) * span) / count);
    ts[count - 1] = Math.floor(lastAt[k] as number);
    ts.sort();
    for (let j = 0; j < count; j++) buckets[dayOf(ts[j] as number)]?.push(k * 1000 + j);
    return ts;
  });

  const perf = list.map(() => 0.3 + rand() * 0.9);
  const tendency = list.map(() => {
    const r = rand();
    return r < 0.6 ? 0 : r < 0.85 ? 1 : r < 0.95 ? 2 : 3;
  });
  const current = list.map((kr) => kr.metricIds.map(() => null as number | null));
  const currentAt = list.map((kr) => kr.metricIds.map(() => null as number | null));
  const status = list.map(() => "none" as string);
  const progress = list.map(() => null as number | null);
  const lastId = list.map(() => 0);

  const insertCheckin = db.prepare(
    `INSERT INTO checkins (id, workspace_id, kr_id, author_id, status, previous_status, reported_progress,
       progress, previous_progress, note, request_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
  );
  const insertValue = db.prepare(
    "INSERT INTO checkin_values (workspace_id, checkin_id, metric_id, value, previous_value) VALUES (?, ?, ?, ?, ?)",
  );
  let id = 0;
  let values = 0;
  const flushEvery = 100_000;
  let pending: number[] = [];
  const writeBatch = db.transaction((events: number[]) => {
    for (const e of events) {
      const k = Math.floor(e / 1000);
      const j = e % 1000;
      const kr = list[k] as KrRow;
      const at = (times[k] as Float64Array)[j] as number;
      const frac = (at - start) / (end - start);
      const cur = current[k] as (number | null)[];
      const curAt = currentAt[k] as (number | null)[];
      id++;
      const checkinId = id;
      const vals: [number, number, number | null][] = [];
      for (let m = 0; m < kr.metricIds.length; m++) {
        if (vals.length > 0 && rand() < 0.5) continue;
        const base = kr.baseline[m] as number;
        const goal = (kr.target[m] as number) - base;
        const v = Math.max(
          0,
          Math.round(base + goal * Math.min(1.1, (perf[k] as number) * frac) * (0.95 + rand() * 0.1)),
        );
        vals.push([kr.metricIds[m] as number, v, cur[m] as number | null]);
        cur[m] = v;
        curAt[m] = at;
      }
      const p = krProgress(
        kr.metricIds.map((_, m) => ({
          baseline: kr.baseline[m] as number,
          target: kr.target[m] as number,
          comparator: kr.comparator[m] as Comparator,
          current: cur[m] as number | null,
        })),
        null,
      );
      const s = rand() < 0.8 ? (STATUSES[tendency[k] as number] as string) : pick(rand, STATUSES.slice(0, 3));
      const author = rand() < 0.8 && kr.owners.length ? pick(rand, kr.owners) : pick(rand, kr.authors);
      insertCheckin.run(
        checkinId,
        kr.workspaceId,
        kr.id,
        author,
        s,
        status[k],
        p,
        progress[k],
        pick(rand, NOTES),
        `hist-${checkinId}`,
        at,
      );
      for (const [metricId, v, prev] of vals) {
        insertValue.run(kr.workspaceId, checkinId, metricId, v, prev);
        values++;
      }
      status[k] = s;
      progress[k] = p;
      lastId[k] = checkinId;
    }
  });
  for (const bucket of buckets) {
    bucket.sort((a, b) => {
      const ta = (times[Math.floor(a / 1000)] as Float64Array)[a % 1000] as number;
      const tb = (times[Math.floor(b / 1000)] as Float64Array)[b % 1000] as number;
      return ta - tb || a - b;
    });
    pending = pending.concat(bucket);
    if (pending.length >= flushEvery) {
      writeBatch(pending);
      pending = [];
    }
  }
  if (pending.length) writeBatch(pending);

  const setKr = db.prepare(
    "UPDATE key_results SET status = ?, progress = ?, reported_progress = NULL, last_checkin_id = ?, last_checkin_at = ? WHERE id = ?",
  );
  const setMetric = db.prepare("UPDATE metrics SET current_value = ?, updated_at = ? WHERE id = ?");
  db.transaction(() => {
    list.forEach((kr, k) => {
      const ts = times[k] as Float64Array;
      setKr.run(status[k], progress[k], lastId[k], ts[ts.length - 1], kr.id);
      kr.metricIds.forEach((metricId, m) => {
        const v = (current[k] as (number | null)[])[m];
        if (v === null || v === undefined) return;
        // updated_at is when this metric was last reported, which may be before the KR's last check-in.
        setMetric.run(v, (currentAt[k] as (number | null)[])[m] ?? null, metricId);
      });
    });
  })();
  return { checkins: id, checkinValues: values };
}

// `tsx bench/generate.ts` builds (or finds) the cached organisation and prints where it is.
if (import.meta.url === `file://${process.argv[1]}`) {
  const org = await ensureOrg();
  console.log(org.dbFile, org.counts);
}
