/**
 * `npm run bench`: the hot paths at the scale of a large organisation, on a file database in WAL mode.
 * Prints one line per measurement; BENCHMARKS.md records the figures and the machine.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { commands } from "../src/commands/index.ts";
import { parseUpdate } from "../src/commands/shared/update-grammar.ts";
import { Core } from "../src/core/dispatch.ts";
import type { Plan } from "../src/plan/schema.ts";
import { SqliteStore } from "../src/store/sqlite/index.ts";

const OBJECTIVES = Number(process.env.BENCH_OBJECTIVES ?? 20);
const KRS_PER_OBJECTIVE = Number(process.env.BENCH_KRS ?? 50);
const CHECKINS = Number(process.env.BENCH_CHECKINS ?? 50_000);

function syntheticPlan(): Plan {
  return {
    id: "bench",
    title: "Bench plan",
    period: { start: "2026-01-01", end: "2026-12-31" },
    goals: [{ key: "g", title: "Goal", description: "" }],
    objectives: Array.from({ length: OBJECTIVES }, (_, o) => ({
      code: `O${o + 1}`,
      goal: "g",
      title: `Objective ${o + 1}`,
      key_results: Array.from({ length: KRS_PER_OBJECTIVE }, (_, k) => ({
        code: `KR${k + 1}`,
        title: `Key result ${o + 1}.${k + 1}`,
        text: "",
        programs: [],
        teams: [`Team ${k % 12}`],
        owners: [`U${k % 40}`],
        metrics: [
          { key: "a", label: "A", unit: "things", baseline: 0, target: 100, comparator: "at_least" as const },
          { key: "b", label: "B", unit: "things", baseline: 50, target: 10, comparator: "at_most" as const },
        ],
      })),
    })),
  };
}

/** Runs `fn` `iterations` times after a short warm-up and prints throughput and p50/p99 latency. */
async function measure(label: string, iterations: number, fn: (i: number) => unknown): Promise<void> {
  for (let i = 0; i < Math.min(50, iterations); i++) await fn(i);
  const samples: number[] = [];
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) {
    const t = process.hrtime.bigint();
    await fn(i);
    samples.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  const total = Number(process.hrtime.bigint() - start) / 1e9;
  samples.sort((a, b) => a - b);
  const q = (p: number) => (samples[Math.floor(p * (samples.length - 1))] ?? 0).toFixed(3);
  console.log(
    `${label.padEnd(46)} ${String(iterations).padStart(7)} ops  ${(iterations / total).toFixed(0).padStart(8)} ops/s  p50 ${q(0.5)} ms  p99 ${q(0.99)} ms`,
  );
}

const dir = mkdtempSync(join(tmpdir(), "krbot-bench-"));
try {
  const store = SqliteStore.open(join(dir, "bench.db"));
  const ws = await store.ensureWorkspace({ platform: "slack", id: "TBENCH" });
  const t0 = performance.now();
  await store.importPlan(ws.id, syntheticPlan(), { actor: "bench" });
  const krs = await store.listKeyResults(ws.id);
  console.log(
    `node ${process.version}; ${krs.length} KRs, ${krs.length * 2} metrics; plan import ${(performance.now() - t0).toFixed(0)} ms`,
  );

  const at = new Date("2026-06-01T00:00:00Z");
  await measure("check-in (transaction: insert + current state)", CHECKINS, async (i) => {
    const kr = krs[i % krs.length];
    if (!kr) return;
    await store.recordCheckIn(ws.id, {
      krId: kr.id,
      author: { platformUserId: `U${i % 40}`, displayName: `User ${i % 40}` },
      values: [{ metricId: kr.metrics[0]?.id as number, value: i % 120 }],
      note: "progress",
      requestId: `bench-${i}`,
      at,
    });
  });
  await measure("store.listKeyResults (all KRs, current state)", 200, () => store.listKeyResults(ws.id));

  const core = new Core({ store, commands, settings: { staleDays: 7 }, now: () => at });
  const inv = (text: string, i: number) => ({
    workspace: { platform: "slack" as const, id: "TBENCH" },
    actor: { id: "U1", name: "User 1" },
    channel: { id: "C1", isDirect: false },
    command: "",
    text,
    requestId: `r-${text}-${i}`,
  });
  await measure(`/kr status (all ${krs.length} KRs, reply built)`, 200, (i) =>
    core.dispatch(inv("status", i)),
  );
  await measure("/kr status O7.KR13 (one KR)", 2000, (i) => core.dispatch(inv("status O7.KR13", i)));
  await measure("/kr history O7.KR13 20", 2000, (i) => core.dispatch(inv("history O7.KR13 20", i)));
  await measure("/kr update (parse, resolve, record, reply)", 5000, (i) =>
    core.dispatch(inv(`update O3.KR9 on-track a=${i % 100} b=40 weekly note`, i)),
  );
  await measure("update grammar only", 100_000, () =>
    parseUpdate("IV.KR2 on-track trainers=25 teachers_reached=5,200 Cohort 3 certified", () => {}),
  );
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
