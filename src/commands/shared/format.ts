import { encodeAction } from "../../core/actions.ts";
import type { Block } from "../../core/reply.ts";
import { isStale, type Pace, type Period, pace, planPhase } from "../../core/status-math.ts";
import { formatNumber } from "../../core/words.ts";
import type { KrView, MetricView, PlanInfo } from "../../store/store.ts";
import { plural, unitFor } from "./plural.ts";
import { statusLabel } from "./status-words.ts";

/** 0.456 → "46%"; null → "—". */
export function percent(ratio: number | null): string {
  return ratio === null ? "—" : `${Math.round(ratio * 100)}%`;
}

/** "25 / 40 trainers", "0 / 1 implementation" (or "≤ 3", "= 3" for other comparators). */
export function metricValue(m: MetricView): string {
  const current = m.current === null ? "—" : formatNumber(m.current);
  const sign = m.comparator === "at_most" ? "≤ " : m.comparator === "exactly" ? "= " : "";
  return `${current} / ${sign}${formatNumber(m.target)}${m.unit ? ` ${unitFor(m.target, m.unit)}` : ""}`;
}

/** "today", "yesterday", "3 days ago", "never". */
export function age(at: Date | null, now: Date): string {
  if (!at) return "never";
  const days = Math.floor((now.getTime() - at.getTime()) / 86_400_000);
  if (days <= 0) return "today";
  if (days === 1) return "yesterday";
  return `${plural(days, "day")} ago`;
}

/** "12 pts behind (expected 62%)"; "period ended 2022-06-30: final 40% of target" once it is over. */
export function paceText(p: Pace): string {
  const expected = `expected ${percent(p.expected)}`;
  switch (p.verdict) {
    case "ended": {
      const result = p.done ? doneText(p) : `final ${percent(p.progress ?? 0)} of target`;
      return `period ended ${p.period.end}: ${result}`;
    }
    case "not_started":
      return `period starts ${p.period.start}`;
    case "done":
      return doneText(p);
    case "ahead":
      return `${p.points} pts ahead (${expected})`;
    case "behind":
      return `${-p.points} pts behind (${expected})`;
    case "on_pace":
      return `on pace (${expected})`;
  }
}

/** "target reached" at 100%, "marked done" when the owners called it done short of that. */
function doneText(p: Pace): string {
  return (p.progress ?? 0) >= 1 ? "target reached" : "marked done";
}

/** A KR's pace in its plan's period: its status counts, so a KR marked done is never behind. */
export function krPace(kr: Pick<KrView, "progress" | "status">, plan: PlanInfo, now: Date): Pace {
  return pace(kr.progress, planPeriod(plan), now, { done: kr.status === "done" });
}

/** The plan's period as status math takes it. */
export function planPeriod(plan: PlanInfo): Period {
  return { start: plan.periodStart, end: plan.periodEnd };
}

/** Whether to flag a KR as stale: only while the period runs (nobody owes a check-in before or after). */
export function isStaleNow(kr: KrView, plan: PlanInfo, now: Date, staleDays: number): boolean {
  return planPhase(planPeriod(plan), now) === "running" && isStale(kr.lastCheckInAt, now, staleDays);
}

/** Display names of a KR's owners, or "no owner". */
export function ownersText(kr: KrView): string {
  return kr.owners.length ? kr.owners.map((o) => o.displayName).join(", ") : "no owner";
}

/** The one-line status of a KR: code, short title, status, progress, pace, check-in age, owners. */
export function statusLine(kr: KrView, plan: PlanInfo, now: Date, staleDays: number): Block {
  const p = krPace(kr, plan, now);
  const stale = isStaleNow(kr, plan, now, staleDays) ? " (stale)" : "";
  return {
    kind: "progress",
    label: `${kr.code} ${kr.title}`,
    ratio: kr.progress ?? 0,
    status: kr.status,
    action: { id: encodeAction({ kind: "update", kr: kr.code }), label: "Update" },
    note: [
      statusLabel(kr.status),
      percent(kr.progress),
      paceText(p),
      kr.lastCheckInAt ? `checked in ${age(kr.lastCheckInAt, now)}${stale}` : "no check-ins yet",
      ownersText(kr),
    ].join(" · "),
  };
}
