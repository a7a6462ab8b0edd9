import { objectiveCodeMatches } from "../../domain/kr-ref.ts";
import type { DigestScope, KrView } from "../../domain/model.ts";
import { previousOccurrence, type WeeklyRule } from "../../domain/occurrences.ts";
import type { Store } from "../../store/store.ts";
import { buildDigest, type Digest } from "./render.ts";

/** A channel's digests form one series as long as they are at most this far apart. */
const SERIES_GAP_MS = 14 * 24 * 60 * 60 * 1000;

/**
 * Where the digest that ends at `end` starts counting: at the previous digest of the same channel
 * (`last`, the latest claim, sent or skipped) when there is one in the two weeks before, so that a
 * moved schedule neither drops nor repeats a check-in; else at the rule's previous occurrence. With
 * [start, end) windows every check-in belongs to exactly one digest of a schedule.
 */
export function digestWindowStart(
  rule: WeeklyRule,
  end: Date,
  last: { scheduledFor: Date } | undefined,
): Date {
  const since = last ? end.getTime() - last.scheduledFor.getTime() : Number.POSITIVE_INFINITY;
  if (last && since > 0 && since <= SERIES_GAP_MS) return last.scheduledFor;
  return previousOccurrence(rule, end).at;
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
 * Reads what a digest needs from the store and builds it: the KRs in scope, their check-ins in the
 * window [from, to) (see `digestWindowStart`), and the previous digest's snapshot for "change since".
 * Undefined when the workspace has no plan.
 */
export async function gatherDigest(
  store: Store,
  workspaceId: number,
  opts: {
    scope: DigestScope;
    timezone: string;
    /** The window counted, [from, to): from the previous digest to this one. */
    from: Date;
    to: Date;
    now: Date;
    staleDays: number;
    previous?: Record<string, number | null>;
  },
): Promise<(Digest & { objectiveCodes: string[] }) | undefined> {
  const plan = await store.plans.get(workspaceId);
  if (!plan) return undefined;
  const [objectives, allKrs] = await Promise.all([
    store.plans.listObjectives(workspaceId),
    store.keyResults.list(workspaceId),
  ]);
  const krs = inScope(allKrs, opts.scope);
  const codes = new Set(krs.map((kr) => kr.code));
  const checkIns = (await store.checkIns.between(workspaceId, opts.from, opts.to)).filter((c) =>
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
    weekStart: opts.from,
    weekEnd: opts.to,
    timezone: opts.timezone,
    now: opts.now,
    staleDays: opts.staleDays,
    ...(opts.previous ? { previous: opts.previous } : {}),
    checkIns,
  });
  return { ...digest, objectiveCodes };
}
