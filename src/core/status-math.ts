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

/** Whether progress keeps up with the calendar. */
export type PaceVerdict = "ahead" | "on_pace" | "behind" | "not_started" | "done";

/** Progress compared with the elapsed share of the period. */
export interface Pace {
  verdict: PaceVerdict;
  /** The progress a KR would have if it moved evenly through the period. */
  expected: number;
  /** progress − expected, in percentage points (negative = behind). */
  points: number;
}

/** Within this many points of the expected progress a KR counts as on pace. */
export const ON_PACE_TOLERANCE_POINTS = 10;

/** Compares progress with the elapsed share of the plan period. */
export function pace(progress: number | null, period: Period, now: Date): Pace {
  const expected = elapsedShare(period, now);
  const p = progress ?? 0;
  const points = Math.round((p - expected) * 100);
  if (p >= 1) return { verdict: "done", expected, points };
  if (expected === 0) return { verdict: "not_started", expected, points };
  if (points > ON_PACE_TOLERANCE_POINTS) return { verdict: "ahead", expected, points };
  if (points < -ON_PACE_TOLERANCE_POINTS) return { verdict: "behind", expected, points };
  return { verdict: "on_pace", expected, points };
}

/** True when the last check-in is older than `staleDays` (or there has never been one). */
export function isStale(lastCheckInAt: Date | null, now: Date, staleDays: number): boolean {
  if (!lastCheckInAt) return true;
  return now.getTime() - lastCheckInAt.getTime() > staleDays * 86_400_000;
}
