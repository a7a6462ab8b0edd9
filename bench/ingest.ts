/**
 * 2. Check-in ingest through the core — `/kr update <kr> <status> <metric>=<n> … <note>`: parse,
 * resolve the KR, validate the values, authorise the owner, write the check-in with its values,
 * the current state, the audit row and the idempotency key — against the floor: the same rows
 * written by bare prepared better-sqlite3 statements, one transaction per check-in, in the same
 * run on the same database. Target: ≥ 5,000 check-ins/s and ≥ 25% of the floor.
 */
import Database from "better-sqlite3";
import { openSqliteStore } from "../src/store/sqlite/index.ts";
import { benchApp, invocation, perOp, storeMsPerOp, timedCore } from "./app.ts";
import { BENCH_NOW, type OrgInfo, type WorkspaceInfo } from "./generate.ts";
import { intIn, nowMs, type Row, rng, stats } from "./measure.ts";
import { profileLoop } from "./profile.ts";

const BLOCKS = 5;
const CORE_MS_PER_BLOCK = 1600;
const FLOOR_ROWS_PER_BLOCK = 3000;

interface Job {
  ws: WorkspaceInfo;
  kr: string;
  user: string;
  values: [string, number][];
}

/** One check-in to make: a random KR (uniform over the given workspaces' KRs), one of its owners, 1–2 values. */
function jobs(workspaces: WorkspaceInfo[], seed: number): (i: number) => Job {
  const all = workspaces.flatMap((ws) => ws.krCodes.map((kr) => ({ ws, kr })));
  return (i) => {
    const rand = rng(seed + i * 31);
    const { ws, kr } = all[Math.floor(rand() * all.length)] as (typeof all)[number];
    const keys = ws.metrics[kr] ?? [];
    const owners = ws.owners[kr] ?? [];
    const values: [string, number][] = keys
      .slice(0, intIn(rand, 1, Math.min(2, keys.length)))
      .map((k) => [k, intIn(rand, 0, 5000)]);
    return { ws, kr, user: owners[Math.floor(rand() * owners.length)] as string, values };
  };
}

const text = (j: Job) =>
  `update ${j.kr} on-track ${j.values.map(([k, v]) => `${k}=${v}`).join(" ")} weekly numbers from the dashboard`;

/** The floor: the rows one check-in writes, with every value precomputed, one IMMEDIATE transaction each. */
function floorWriter(dbFile: string) {
  const db = new Database(dbFile);
  db.pragma("busy_timeout = 5000");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  const ws = db.prepare("SELECT id, external_id AS ext FROM workspaces").all() as {
    id: number;
    ext: string;
  }[];
  const wsId = new Map(ws.map((w) => [w.ext, w.id]));
  const kr = db.prepare("SELECT id, status, progress FROM key_results WHERE workspace_id = ? AND code = ?");
  const metric = db.prepare("SELECT id, current_value AS cur FROM metrics WHERE kr_id = ? AND key = ?");
  const member = db.prepare("SELECT id FROM members WHERE workspace_id = ? AND platform_user_id = ?");
  const insertCheckin = db.prepare(
    `INSERT INTO checkins (workspace_id, kr_id, author_id, status, previous_status, reported_progress, progress,
       previous_progress, note, request_id, created_at) VALUES (?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?)`,
  );
  const insertValue = db.prepare(
    "INSERT INTO checkin_values (workspace_id, checkin_id, metric_id, value, previous_value) VALUES (?, ?, ?, ?, ?)",
  );
  const setMetric = db.prepare(
    "UPDATE metrics SET current_value = ?, updated_at = ? WHERE workspace_id = ? AND id = ?",
  );
  const setKr = db.prepare(
    `UPDATE key_results SET status = ?, progress = ?, reported_progress = NULL, last_checkin_id = ?,
       last_checkin_at = ? WHERE workspace_id = ? AND id = ?`,
  );
  const insertAudit = db.prepare(
    "INSERT INTO audit_log (workspace_id, actor, action, entity, old_value, new_value, created_at) VALUES (?, ?, 'checkin', ?, ?, ?, ?)",
  );
  type Prepared = {
    w: number;
    kr: number;
    author: number;
    status: string;
    prev: string;
    progress: number;
    prevProgress: number | null;
    values: [number, number, number | null][];
    entity: string;
    actor: string;
    oldJson: string;
    newJson: string;
    requestId: string;
  };
  const at = BENCH_NOW.getTime();
  const write = db.transaction((p: Prepared) => {
    const id = insertCheckin.run(
      p.w,
      p.kr,
      p.author,
      p.status,
      p.prev,
      p.progress,
      p.prevProgress,
      "weekly numbers from the dashboard",
      p.requestId,
      at,
    ).lastInsertRowid as number;
    for (const [m, v, prev] of p.values) {
      insertValue.run(p.w, id, m, v, prev);
      setMetric.run(v, at, p.w, m);
    }
    setKr.run(p.status, p.progress, id, at, p.w, p.kr);
    insertAudit.run(p.w, p.actor, p.entity, p.oldJson, p.newJson, at);
  });
  return {
    /** Looks everything up outside the timed loop. */
    prepare(j: Job, requestId: string): Prepared {
      const w = wsId.get(j.ws.externalId) as number;
      const k = kr.get(w, j.kr) as { id: number; status: string; progress: number | null };
      const values = j.values.map(([key, v]): [number, number, number | null] => {
        const m = metric.get(k.id, key) as { id: number; cur: number | null };
        return [m.id, v, m.cur];
      });
      return {
        w,
        kr: k.id,
        author: (member.get(w, j.user) as { id: number }).id,
        status: "on_track",
        prev: k.status,
        progress: 0.5,
        prevProgress: k.progress,
        values,
        entity: `kr:${j.kr}`,
        actor: j.user,
        oldJson: JSON.stringify({ status: k.status, progress: k.progress, values: {} }),
        newJson: JSON.stringify({ status: "on_track", progress: 0.5, values: {}, checkinId: 0 }),
        requestId,
      };
    },
    write: (p: Prepared) => write.immediate(p),
    close: () => db.close(),
  };
}

export async function benchIngest(org: OrgInfo, dbFile: string): Promise<Row[]> {
  const rows: Row[] = [];
  const variants = [
    {
      id: "2a",
      label: "all 200 workspaces (KR drawn from 10,000)",
      workspaces: null as WorkspaceInfo[] | null,
    },
    { id: "2b", label: "large workspace only (KR drawn from 1,000)", workspaces: [org.large] },
  ];
  // The org file describes only a few workspaces; the uniform mix needs all of them.
  const allWorkspaces = await loadAllWorkspaces(dbFile);
  const { core, store } = benchApp(dbFile);
  const floor = floorWriter(dbFile);
  try {
    for (const [vi, v] of variants.entries()) {
      const job = jobs(v.workspaces ?? allWorkspaces, 1000 * (vi + 1));
      // Warm up both paths.
      for (let i = 0; i < 50; i++) {
        const j = job(i);
        await core.dispatch(invocation(j.ws, j.user, text(j), `warm-${v.id}-${i}`));
        floor.write(floor.prepare(j, `warm-floor-${v.id}-${i}`));
      }
      const coreSamples: number[] = [];
      let coreMs = 0;
      let floorMs = 0;
      let floorRows = 0;
      let seq = 0;
      let failures = 0;
      for (let b = 0; b < BLOCKS; b++) {
        const prepared = Array.from({ length: FLOOR_ROWS_PER_BLOCK }, (_, i) =>
          floor.prepare(job(1_000_000 + b * FLOOR_ROWS_PER_BLOCK + i), `floor-${v.id}-${b}-${i}`),
        );
        let t = nowMs();
        for (const p of prepared) floor.write(p);
        floorMs += nowMs() - t;
        floorRows += prepared.length;
        const blockStart = nowMs();
        while (nowMs() - blockStart < CORE_MS_PER_BLOCK) {
          const j = job(seq);
          const inv = invocation(j.ws, j.user, text(j), `ingest-${v.id}-${seq++}`);
          t = nowMs();
          const reply = await core.dispatch(inv);
          coreSamples.push(nowMs() - t);
          if (reply.tone !== "success") failures++;
        }
        coreMs += nowMs() - blockStart;
      }
      if (failures) throw new Error(`bench: ${failures} check-ins through the core were refused`);
      const coreRate = (coreSamples.length / coreMs) * 1000;
      const floorRate = (floorRows / floorMs) * 1000;
      const s = stats(coreSamples);
      const pass = coreRate >= 5000 && coreRate / floorRate >= 0.25;
      const detail: Record<string, unknown> = {
        checkIns: coreSamples.length,
        floorRows,
        floorPerSec: floorRate,
        shareOfFloor: coreRate / floorRate,
        breakdown: await breakdown(dbFile, job, v.id),
      };
      if (!pass) {
        let i = 0;
        detail.profile = await profileLoop(async () => {
          const j = job(2_000_000 + i);
          await core.dispatch(invocation(j.ws, j.user, text(j), `profile-${v.id}-${i++}`));
        });
      }
      rows.push({
        id: v.id,
        label: `check-in ingest via core, ${v.label}`,
        unit: "ms",
        median: s.median,
        p99: s.p99,
        opsPerSec: coreRate,
        target: "≥ 5,000/s and ≥ 25% of floor",
        pass,
        detail,
      });
      rows.push({
        id: `${v.id}-floor`,
        label: `  floor: bare prepared better-sqlite3, same rows (core = ${((100 * coreRate) / floorRate).toFixed(1)}% of it)`,
        unit: "ms",
        median: floorMs / floorRows,
        opsPerSec: floorRate,
      });
    }
  } finally {
    floor.close();
    await store.close();
  }
  return rows;
}

/** Every workspace with its KRs, owners and metric keys, read back from the database. */
async function loadAllWorkspaces(dbFile: string): Promise<WorkspaceInfo[]> {
  const db = new Database(dbFile, { readonly: true });
  try {
    const ws = db.prepare("SELECT id, platform, external_id AS ext FROM workspaces ORDER BY id").all() as {
      id: number;
      platform: "slack" | "discord";
      ext: string;
    }[];
    const krs = db.prepare("SELECT id, workspace_id AS w, code FROM key_results").all() as {
      id: number;
      w: number;
      code: string;
    }[];
    const owners = db
      .prepare(
        "SELECT o.kr_id AS kr, m.platform_user_id AS u FROM kr_owners o JOIN members m ON m.id = o.member_id",
      )
      .all() as { kr: number; u: string }[];
    const metrics = db.prepare("SELECT kr_id AS kr, key FROM metrics ORDER BY kr_id, position").all() as {
      kr: number;
      key: string;
    }[];
    const byId = new Map<number, WorkspaceInfo>();
    for (const w of ws)
      byId.set(w.id, {
        platform: w.platform,
        externalId: w.ext,
        workspaceId: w.id,
        objectiveCodes: [],
        krCodes: [],
        people: [],
        teams: [],
        owners: {},
        metrics: {},
      });
    const codeOf = new Map<number, { w: WorkspaceInfo; code: string }>();
    for (const k of krs) {
      const w = byId.get(k.w) as WorkspaceInfo;
      w.krCodes.push(k.code);
      codeOf.set(k.id, { w, code: k.code });
    }
    const add = (map: Record<string, string[]>, code: string, value: string) => {
      const list = map[code] ?? [];
      list.push(value);
      map[code] = list;
    };
    for (const o of owners) {
      const k = codeOf.get(o.kr);
      if (k) add(k.w.owners, k.code, o.u);
    }
    for (const m of metrics) {
      const k = codeOf.get(m.kr);
      if (k) add(k.w.metrics, k.code, m.key);
    }
    return [...byId.values()].filter((w) => w.krCodes.length > 0);
  } finally {
    db.close();
  }
}

/** Store time per check-in through the core, from 500 more check-ins on a second connection. */
async function breakdown(dbFile: string, job: (i: number) => Job, id: string) {
  const store = openSqliteStore(dbFile);
  try {
    const { core, times } = timedCore(store);
    const n = 500;
    const samples: number[] = [];
    for (let i = -20; i < n; i++) {
      if (i === 0) times.clear();
      const j = job(3_000_000 + i + 20);
      const t = nowMs();
      await core.dispatch(invocation(j.ws, j.user, text(j), `bd-${id}-${i}`));
      if (i >= 0) samples.push(nowMs() - t);
    }
    const storeMs = storeMsPerOp(times, n);
    return {
      dispatchMeanMs: stats(samples).mean,
      storeMsPerCheckIn: storeMs,
      restOfCoreMsPerCheckIn: stats(samples).mean - storeMs,
      store: perOp(times, n),
    };
  } finally {
    await store.close();
  }
}
