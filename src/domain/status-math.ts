/** How a metric's value is judged against its target. */
export type Comparator = "at_least" | "at_most" | "exactly";

/** The numbers status math needs about one metric. */
export interface MetricProgressInput {
  baseline: number;
  target: number;
  comparator: Comparator;
  /** The latest reported value; `null` until someone reports one (counts as the baseline). */
  current: number | null;
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

/** Progress of one metric in [0, 1], capped at 100% whatever the overshoot. */
export function metricProgress(m: MetricProgressInput): number {
  const value = m.current ?? m.baseline;
  switch (m.comparator) {
    case "at_least":
      if (m.target <= m.baseline) return value >= m.target ? 1 : 0;
      return clamp01((value - m.baseline) / (m.target - m.baseline));
    case "at_most":
      if (m.target >= m.baseline) return value <= m.target ? 1 : 0;
      return clamp01((m.baseline - value) / (m.baseline - m.target));
    case "exactly": {
      if (value === m.target) return 1;
      const span = Math.abs(m.target - m.baseline);
      if (span === 0) return 0;
      // Closer to the target is better, from either side; overshooting by the whole span is 0.
      return clamp01(1 - Math.abs(m.target - value) / span);
    }
  }
}

/**
 * A KR's progress in [0, 1]: the mean of its metrics' progress, or the last reported share
 * for KRs tracked by %. `null` when a %-tracked KR has never been reported.
 */
export function krProgress(metrics: MetricProgressInput[], reported: number | null): number | null {
  if (metrics.length === 0) return reported;
  return metrics.reduce((sum, m) => sum + metricProgress(m), 0) / metrics.length;
}

/** A plan period as calendar dates (YYYY-MM-DD), both inclusive. */
export interface Period {
  start: string;
  end: string;
}

/** The share of the plan period that has elapsed at `now`, in [0, 1]. */
export function elapsedShare(period: Period, now: Date): number {
  const start = Date.parse(`${period.start}T00:00:00Z`);
  const endExclusive = Date.parse(`${period.end}T00:00:00Z`) + 86_400_000;
  if (endExclusive <= start) return 1;
  return clamp01((now.getTime() - start) / (endExclusive - start));
}

/** Where the calendar stands against a plan period: before it, inside it, or past its last day. */
export type PlanPhase = "not_started" | "running" | "ended";

/** The phase of the plan period at `now`, with the same day boundaries (UTC) as `elapsedShare`. */
export function planPhase(period: Period, now: Date): PlanPhase {
  const start = Date.parse(`${period.start}T00:00:00Z`);
  const endExclusive = Date.parse(`${period.end}T00:00:00Z`) + 86_400_000;
  if (now.getTime() < start) return "not_started";
  if (now.getTime() >= endExclusive) return "ended";
  return "running";
}

/**
 * Whether progress keeps up with the calendar. Only a running period has a pace: before it starts
 * nothing can be behind, and after it ends only the final result counts.
 */
export type PaceVerdict = "ahead" | "on_pace" | "behind" | "not_started" | "done" | "ended";

/** Progress compared with the elapsed share of the period. */
export interface Pace {
  verdict: PaceVerdict;
  /** The progress a KR would have if it moved evenly through the period. */
  expected: number;
  /** progress − expected, in percentage points (negative = behind). */
  points: number;
  /** The progress judged (null: never reported), and whether the KR reached or was marked done. */
  progress: number | null;
  done: boolean;
  period: Period;
}

/** Within this many points of the expected progress a KR counts as on pace. */
export const ON_PACE_TOLERANCE_POINTS = 10;

/**
 * Compares progress with the elapsed share of the plan period. A KR its owners marked done
 * (`opts.done`) is done whatever its progress, so it is never "behind".
 */
export function pace(
  progress: number | null,
  period: Period,
  now: Date,
  opts: { done?: boolean } = {},
): Pace {
  const expected = elapsedShare(period, now);
  const p = progress ?? 0;
  const points = Math.round((p - expected) * 100);
  const done = p >= 1 || Boolean(opts.done);
  const base = { expected, points, progress, done, period };
  const phase = planPhase(period, now);
  if (phase === "ended") return { verdict: "ended", ...base };
  if (phase === "not_started" || expected === 0) return { verdict: "not_started", ...base };
  if (done) return { verdict: "done", ...base };
  if (points > ON_PACE_TOLERANCE_POINTS) return { verdict: "ahead", ...base };
  if (points < -ON_PACE_TOLERANCE_POINTS) return { verdict: "behind", ...base };
  return { verdict: "on_pace", ...base };
}

/** True when the last check-in is older than `staleDays` (or there has never been one). */
export function isStale(lastCheckInAt: Date | null, now: Date, staleDays: number): boolean {
  if (!lastCheckInAt) return true;
  return now.getTime() - lastCheckInAt.getTime() > staleDays * 86_400_000;
}
