import { describe, expect, it } from "vitest";
import { elapsedShare, isStale, krProgress, metricProgress, pace } from "../../src/domain/status-math.ts";

const period = { start: "2021-07-01", end: "2022-06-30" };

describe("metric progress", () => {
  it("measures at_least targets from the baseline", () => {
    expect(metricProgress({ baseline: 0, target: 40, comparator: "at_least", current: 25 })).toBe(0.625);
    expect(metricProgress({ baseline: 10, target: 30, comparator: "at_least", current: 20 })).toBe(0.5);
  });

  it("caps overshoot at 100% and floors regressions at 0%", () => {
    expect(metricProgress({ baseline: 0, target: 40, comparator: "at_least", current: 80 })).toBe(1);
    expect(metricProgress({ baseline: 10, target: 30, comparator: "at_least", current: 5 })).toBe(0);
  });

  it("measures at_most targets as the way down from the baseline", () => {
    expect(metricProgress({ baseline: 100, target: 20, comparator: "at_most", current: 60 })).toBe(0.5);
    expect(metricProgress({ baseline: 100, target: 20, comparator: "at_most", current: 10 })).toBe(1);
    expect(metricProgress({ baseline: 100, target: 20, comparator: "at_most", current: 120 })).toBe(0);
  });

  it("rewards exactly targets only for closeness, from either side", () => {
    expect(metricProgress({ baseline: 0, target: 3, comparator: "exactly", current: 3 })).toBe(1);
    expect(metricProgress({ baseline: 0, target: 4, comparator: "exactly", current: 2 })).toBe(0.5);
    expect(metricProgress({ baseline: 0, target: 4, comparator: "exactly", current: 6 })).toBe(0.5);
  });

  it("counts a metric nobody reported as its baseline", () => {
    expect(metricProgress({ baseline: 0, target: 40, comparator: "at_least", current: null })).toBe(0);
  });

  it("handles a target equal to the baseline without dividing by zero", () => {
    expect(metricProgress({ baseline: 5, target: 5, comparator: "at_least", current: 5 })).toBe(1);
    expect(metricProgress({ baseline: 5, target: 5, comparator: "at_least", current: 4 })).toBe(0);
  });
});

describe("KR progress", () => {
  it("is the mean of its metrics' capped progress", () => {
    const m = (current: number, target: number) => ({
      baseline: 0,
      target,
      comparator: "at_least" as const,
      current,
    });
    expect(krProgress([m(80, 40), m(0, 10)], null)).toBe(0.5);
  });

  it("is the reported share for a KR without metrics, null before any report", () => {
    expect(krProgress([], 0.4)).toBe(0.4);
    expect(krProgress([], null)).toBeNull();
  });
});

describe("pace", () => {
  it("measures the elapsed share of the whole plan period, end day included", () => {
    expect(elapsedShare(period, new Date("2021-07-01T00:00:00Z"))).toBe(0);
    expect(elapsedShare(period, new Date("2022-07-01T00:00:00Z"))).toBe(1);
    expect(elapsedShare(period, new Date("2022-01-01T00:00:00Z"))).toBeCloseTo(184 / 365, 10);
    expect(elapsedShare(period, new Date("2030-01-01T00:00:00Z"))).toBe(1);
  });

  it("calls a KR behind when it trails the calendar by more than 10 points", () => {
    const p = pace(0.3, period, new Date("2022-01-01T00:00:00Z"));
    expect(p.verdict).toBe("behind");
    expect(p.points).toBe(-20);
  });

  it("calls a KR on pace within 10 points, ahead beyond", () => {
    expect(pace(0.55, period, new Date("2022-01-01T00:00:00Z")).verdict).toBe("on_pace");
    expect(pace(0.7, period, new Date("2022-01-01T00:00:00Z")).verdict).toBe("ahead");
  });

  it("says not started before the period and done at 100%", () => {
    expect(pace(0, period, new Date("2021-01-01T00:00:00Z")).verdict).toBe("not_started");
    expect(pace(1, period, new Date("2022-01-01T00:00:00Z")).verdict).toBe("done");
  });
});

describe("staleness", () => {
  const now = new Date("2022-01-10T12:00:00Z");
  it("is stale after more than 7 days without a check-in", () => {
    expect(isStale(new Date("2022-01-03T11:59:00Z"), now, 7)).toBe(true);
    expect(isStale(new Date("2022-01-03T12:01:00Z"), now, 7)).toBe(false);
  });
  it("is stale when there has never been a check-in", () => {
    expect(isStale(null, now, 7)).toBe(true);
  });
});
