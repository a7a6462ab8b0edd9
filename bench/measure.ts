/**
 * Timing helpers shared by the benchmarks: sample collection, percentiles, and the result rows
 * that `bench/run.ts` prints as a table and writes to `bench/results.json`.
 */

/** Summary statistics of a list of samples (milliseconds unless the row says otherwise). */
export interface Stats {
  n: number;
  median: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

/** One line of the results table. */
export interface Row {
  /** Stable key, e.g. `status.objective`. */
  id: string;
  /** What was measured, as printed. */
  label: string;
  /** Unit of `median` and `p99`. */
  unit: "ms" | "s" | "MB" | "ratio" | "count";
  median: number;
  p99?: number;
  opsPerSec?: number;
  /** Human-readable target, e.g. `median ≤ 2 ms, p99 ≤ 10 ms`. */
  target?: string;
  /** Undefined for informational rows. */
  pass?: boolean;
  /** Anything else worth keeping in results.json (sample counts, breakdowns). */
  detail?: Record<string, unknown>;
}

/** Linear-interpolated-free percentile: the sample at rank ⌈p·n⌉ (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] as number;
}

export function stats(samples: readonly number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const sum = sorted.reduce((s, x) => s + x, 0);
  return {
    n: sorted.length,
    median: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    mean: sorted.length ? sum / sorted.length : Number.NaN,
    min: sorted[0] ?? Number.NaN,
    max: sorted.at(-1) ?? Number.NaN,
  };
}

/** Milliseconds since an arbitrary origin, high resolution. */
export const nowMs = (): number => performance.now();

export interface LoopOptions {
  /** Untimed calls first (JIT, caches). */
  warmup?: number;
  /** Stop after this many timed calls… */
  maxIterations: number;
  /** …or once this much time has passed, whichever comes first (but never fewer than minIterations). */
  maxMs?: number;
  minIterations?: number;
}

export interface LoopResult extends Stats {
  /** Completed calls per second over the whole timed loop. */
  opsPerSec: number;
  totalMs: number;
}

/** Calls `fn(i)` sequentially and times each call. */
export async function timeLoop(opts: LoopOptions, fn: (i: number) => unknown): Promise<LoopResult> {
  const warmup = opts.warmup ?? 20;
  for (let i = 0; i < warmup; i++) await fn(-1 - i);
  const samples: number[] = [];
  const started = nowMs();
  const minIterations = opts.minIterations ?? 100;
  for (let i = 0; i < opts.maxIterations; i++) {
    const t = nowMs();
    await fn(i);
    samples.push(nowMs() - t);
    if (opts.maxMs !== undefined && i + 1 >= minIterations && nowMs() - started > opts.maxMs) break;
  }
  const totalMs = nowMs() - started;
  return { ...stats(samples), opsPerSec: (samples.length / totalMs) * 1000, totalMs };
}

/** Deterministic pseudo-random numbers (mulberry32), so every run builds the same organisation. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A whole number in [lo, hi]. */
export function intIn(rand: () => number, lo: number, hi: number): number {
  return lo + Math.floor(rand() * (hi - lo + 1));
}

export function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

/** `1.234` → "1.23", `1234.5` → "1,235": 3 significant figures below 100, whole numbers above. */
export function fmt(x: number | undefined): string {
  if (x === undefined || Number.isNaN(x)) return "—";
  if (Number.isInteger(x)) return x.toLocaleString("en-US");
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString("en-US");
  if (Math.abs(x) >= 10) return x.toFixed(1);
  return x.toFixed(2);
}

/** The results table as fixed-width text. */
export function table(rows: readonly Row[]): string {
  const head = ["#", "measurement", "median", "p99", "ops/s", "target", "result"];
  const body = rows.map((r) => [
    r.id,
    r.label,
    r.unit === "count" ? fmt(r.median) : `${fmt(r.median)} ${r.unit}`,
    r.p99 === undefined ? "" : `${fmt(r.p99)} ${r.unit}`,
    r.opsPerSec === undefined ? "" : fmt(r.opsPerSec),
    r.target ?? "",
    r.pass === undefined ? "info" : r.pass ? "PASS" : "MISS",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] as string).length)));
  const line = (cells: string[]) =>
    cells.map((c, i) => (i >= 2 && i <= 4 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number)));
  return [line(head), widths.map((w) => "-".repeat(w)), ...body.map(line)]
    .map((cells) => cells.join("  ").trimEnd())
    .join("\n");
}

/** Resident set size of a process in MB, from /proc (Linux). */
export async function rssOf(pid: number): Promise<{ rssMb: number; peakMb: number } | undefined> {
  const { readFile } = await import("node:fs/promises");
  try {
    const status = await readFile(`/proc/${pid}/status`, "utf8");
    const kb = (key: string) =>
      Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
    return { rssMb: kb("VmRSS") / 1024, peakMb: kb("VmHWM") / 1024 };
  } catch {
    return undefined;
  }
}
