import { objectiveCodeMatches } from "../core/kr-ref.ts";
import type { DigestScope, KrView, Store } from "../store/store.ts";
import { buildDigest, type Digest } from "./digest.ts";

const WEEK_MS = 7 * 24 * 60 * 60 * 1000;

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
 * Reads what a digest needs from the store and builds it: the seven days before `weekEnd`, the
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
): Promise<Digest | undefined> {
  const plan = await store.getPlan(workspaceId);
  if (!plan) return undefined;
  const [objectives, allKrs] = await Promise.all([
    store.listObjectives(workspaceId),
    store.listKeyResults(workspaceId),
  ]);
  const krs = inScope(allKrs, opts.scope);
  const codes = new Set(krs.map((kr) => kr.code));
  const weekStart = new Date(opts.weekEnd.getTime() - WEEK_MS);
  const checkIns = (await store.checkInsBetween(workspaceId, weekStart, opts.weekEnd)).filter((c) =>
    codes.has(c.krCode),
  );
  const label = scopeLabel(opts.scope);
  return buildDigest({
    plan,
    objectives,
    krs,
    ...(label ? { scopeLabel: label } : {}),
    weekStart,
    weekEnd: opts.weekEnd,
    timezone: opts.timezone,
    now: opts.now,
    staleDays: opts.staleDays,
    ...(opts.previous ? { previous: opts.previous } : {}),
    checkIns,
  });
}
