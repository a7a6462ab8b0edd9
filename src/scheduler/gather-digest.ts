import { objectiveCodeMatches } from "../core/kr-ref.ts";
import type { DigestScope, KrView, Store } from "../store/store.ts";
import { buildDigest, type Digest } from "./digest.ts";
import { latestOccurrence, localDateIn } from "./occurrences.ts";

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

/** Local midnight of the day `at` falls on (or the first instant after it, where midnight is skipped). */
export function startOfLocalDay(at: Date, timezone: string): Date {
  const [y, m, d] = localDateIn(at, timezone).split("-").map(Number);
  const isoWeekday = ((new Date(Date.UTC(y as number, (m as number) - 1, d)).getUTCDay() + 6) % 7) + 1;
  return latestOccurrence({ weekday: isoWeekday, time: "00:00", timezone }, at)?.at ?? at;
}

/** Only the KRs a digest's scope covers. */
export function inScope(krs: KrView[], scope: DigestScope): KrView[] {
  if (scope.kind === "objective")
    return krs.filter((kr) => objectiveCodeMatches(scope.value, kr.objectiveCode));
  if (scope.kind === "team")
    return krs.filter((kr) => kr.teams.some((t) => t.toLowerCase() === scope.value.toLowerCase()));
  return krs;
}

/** "objective IV", "team Growth", or undefined for the whole plan. */
export function scopeLabel(scope: DigestScope): string | undefined {
  return scope.kind === "all" ? undefined : `${scope.kind} ${scope.value}`;
}

/**
 * Reads what a digest needs from the store and builds it: the seven local days before the day of
 * `weekEnd`, the
 * KRs in scope, their check-ins, and the previous digest's snapshot for "change since".
 * Undefined when the workspace has no plan.
 */
export async function gatherDigest(
  store: Store,
  workspaceId: number,
  opts: {
    scope: DigestScope;
    timezone: string;
    weekEnd: Date;
    now: Date;
    staleDays: number;
    previous?: Record<string, number | null>;
  },
): Promise<(Digest & { objectiveCodes: string[] }) | undefined> {
  const plan = await store.getPlan(workspaceId);
  if (!plan) return undefined;
  const [objectives, allKrs] = await Promise.all([
    store.listObjectives(workspaceId),
    store.listKeyResults(workspaceId),
  ]);
  const krs = inScope(allKrs, opts.scope);
  const codes = new Set(krs.map((kr) => kr.code));
  // The seven whole local days before the digest's day: a Monday digest covers Monday to Sunday.
  const weekEnd = startOfLocalDay(opts.weekEnd, opts.timezone);
  const weekStart = new Date(weekEnd.getTime() - WEEK_MS);
  const checkIns = (await store.checkInsBetween(workspaceId, weekStart, opts.weekEnd)).filter((c) =>
    codes.has(c.krCode),
  );
  const label = scopeLabel(opts.scope);
  // The objectives in scope, in plan order: the order of `details`, one chart each.
  const objectiveCodes = objectives
    .filter((o) => krs.some((kr) => kr.objectiveCode === o.code))
    .map((o) => o.code);
  const digest = buildDigest({
    plan,
    objectives,
    krs,
    ...(label ? { scopeLabel: label } : {}),
    weekStart,
    weekEnd,
    timezone: opts.timezone,
    now: opts.now,
    staleDays: opts.staleDays,
    ...(opts.previous ? { previous: opts.previous } : {}),
    checkIns,
  });
  return { ...digest, objectiveCodes };
}
