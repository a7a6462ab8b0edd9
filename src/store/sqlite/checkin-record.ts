import { and, asc, eq, sql } from "drizzle-orm";
import type { KrStatus } from "../../domain/kr-status.ts";
import { type Comparator, krProgress } from "../../domain/status-math.ts";
import type { Db } from "../db.ts";
import { auditLog, checkins, checkinValues, keyResults, members, metrics } from "../schema.ts";
import type { CheckInInput, CheckInResult, CheckInView } from "../store.ts";

/** Raised when a check-in names a KR or metric that is not in the workspace. */
export class UnknownTargetError extends Error {
  override readonly name = "UnknownTargetError";
}

const p = (name: string) => sql.placeholder(name);

/** The reads a check-in makes before it writes, prepared once. */
function prepareReads(db: Db) {
  const byRequest = db
    .select({ id: checkins.id })
    .from(checkins)
    .where(and(eq(checkins.workspaceId, p("workspaceId")), eq(checkins.requestId, p("requestId"))))
    .prepare();
  const krById = db
    .select()
    .from(keyResults)
    .where(and(eq(keyResults.workspaceId, p("workspaceId")), eq(keyResults.id, p("krId"))))
    .prepare();
  const metricsOfKr = db
    .select()
    .from(metrics)
    .where(and(eq(metrics.workspaceId, p("workspaceId")), eq(metrics.krId, p("krId"))))
    .orderBy(asc(metrics.position))
    .prepare();
  const upsertAuthor = db
    .insert(members)
    .values({
      workspaceId: p("workspaceId"),
      platformUserId: p("platformUserId"),
      displayName: p("displayName"),
      timezone: p("timezone"),
    })
    .onConflictDoUpdate({
      target: [members.workspaceId, members.platformUserId],
      set: {
        displayName: sql`excluded.display_name`,
        timezone: sql`coalesce(excluded.timezone, ${members.timezone})`,
      },
    })
    .returning({ id: members.id })
    .prepare();
  return { byRequest, krById, metricsOfKr, upsertAuthor };
}

/** The writes of a check-in, prepared once. */
function prepareWrites(db: Db) {
  const insertCheckIn = db
    .insert(checkins)
    .values({
      workspaceId: p("workspaceId"),
      krId: p("krId"),
      authorId: p("authorId"),
      status: p("status"),
      previousStatus: p("previousStatus"),
      reportedProgress: p("reportedProgress"),
      progress: p("progress"),
      previousProgress: p("previousProgress"),
      note: p("note"),
      requestId: p("requestId"),
      createdAt: p("createdAt"),
    })
    .returning({ id: checkins.id })
    .prepare();
  const insertValue = db
    .insert(checkinValues)
    .values({
      workspaceId: p("workspaceId"),
      checkinId: p("checkinId"),
      metricId: p("metricId"),
      value: p("value"),
      previousValue: p("previousValue"),
    })
    .prepare();
  const setMetric = db
    .update(metrics)
    .set({ currentValue: sql`${p("value")}`, updatedAt: sql`${p("at")}` })
    .where(and(eq(metrics.workspaceId, p("workspaceId")), eq(metrics.id, p("metricId"))))
    .prepare();
  const setKr = db
    .update(keyResults)
    .set({
      status: sql`${p("status")}`,
      progress: sql`${p("progress")}`,
      reportedProgress: sql`${p("reportedProgress")}`,
      lastCheckinId: sql`${p("checkinId")}`,
      lastCheckinAt: sql`${p("at")}`,
    })
    .where(and(eq(keyResults.workspaceId, p("workspaceId")), eq(keyResults.id, p("krId"))))
    .prepare();
  const insertAudit = db
    .insert(auditLog)
    .values({
      workspaceId: p("workspaceId"),
      actor: p("actor"),
      action: "checkin",
      entity: p("entity"),
      oldValue: sql`${p("oldValue")}`,
      newValue: sql`${p("newValue")}`,
      createdAt: p("atDate"),
    })
    .prepare();
  return { insertCheckIn, insertValue, setMetric, setKr, insertAudit };
}

type Reads = ReturnType<typeof prepareReads>;
type Writes = ReturnType<typeof prepareWrites>;
type KrRow = typeof keyResults.$inferSelect;
type MetricRow = typeof metrics.$inferSelect;

/** The KR and its metrics, or an UnknownTargetError naming what the workspace does not have. */
function loadTarget(
  q: Reads,
  workspaceId: number,
  input: CheckInInput,
): { kr: KrRow; krMetrics: MetricRow[] } {
  const kr = q.krById.get({ workspaceId, krId: input.krId });
  if (!kr) throw new UnknownTargetError(`no key result ${input.krId} in workspace ${workspaceId}`);
  const krMetrics = q.metricsOfKr.all({ workspaceId, krId: kr.id });
  const metricIds = new Set(krMetrics.map((m) => m.id));
  for (const v of input.values) {
    if (!metricIds.has(v.metricId)) throw new UnknownTargetError(`metric ${v.metricId} is not on ${kr.code}`);
  }
  return { kr, krMetrics };
}

/** The KR's progress once the new values apply. */
function progressAfter(
  kr: KrRow,
  krMetrics: MetricRow[],
  input: CheckInInput,
  newValues: Map<number, number>,
) {
  return krProgress(
    krMetrics.map((m) => ({
      baseline: m.baseline,
      target: m.target,
      comparator: m.comparator as Comparator,
      current: newValues.has(m.id) ? (newValues.get(m.id) as number) : m.currentValue,
    })),
    input.reportedProgress ?? kr.reportedProgress,
  );
}

/** Inserts the check-in and its values and moves the KR's current state; returns the stored view. */
function writeCheckIn(
  w: Writes,
  workspaceId: number,
  input: CheckInInput,
  target: { kr: KrRow; krMetrics: MetricRow[]; authorId: number },
): CheckInView {
  const { kr, krMetrics, authorId } = target;
  const newValues = new Map(input.values.map((v) => [v.metricId, v.value]));
  const reported = input.reportedProgress ?? kr.reportedProgress;
  const progress = progressAfter(kr, krMetrics, input, newValues);
  const status = input.status ?? (kr.status as KrStatus);
  // Column-typed placeholders take a Date; the sql`` ones in SET clauses take epoch ms.
  const at = input.at.getTime();
  const checkinId = (
    w.insertCheckIn.get({
      workspaceId,
      krId: kr.id,
      authorId,
      status,
      previousStatus: kr.status,
      reportedProgress: input.reportedProgress ?? null,
      progress,
      previousProgress: kr.progress,
      note: input.note,
      requestId: input.requestId,
      createdAt: input.at,
    }) as { id: number }
  ).id;
  const values: CheckInView["values"] = [];
  for (const m of krMetrics) {
    if (!newValues.has(m.id)) continue;
    const value = newValues.get(m.id) as number;
    w.insertValue.run({ workspaceId, checkinId, metricId: m.id, value, previousValue: m.currentValue });
    w.setMetric.run({ workspaceId, metricId: m.id, value, at });
    values.push({ key: m.key, label: m.label, value, previous: m.currentValue });
  }
  w.setKr.run({ workspaceId, krId: kr.id, status, progress, reportedProgress: reported, checkinId, at });
  const changed = (pick: (v: CheckInView["values"][number]) => number | null) =>
    JSON.stringify(Object.fromEntries(values.map((v) => [v.key, pick(v)])));
  w.insertAudit.run({
    workspaceId,
    actor: input.author.platformUserId,
    entity: `kr:${kr.code}`,
    oldValue: `{"status":${JSON.stringify(kr.status)},"progress":${JSON.stringify(kr.progress)},"values":${changed((v) => v.previous)}}`,
    newValue: `{"status":${JSON.stringify(status)},"progress":${JSON.stringify(progress)},"values":${changed((v) => v.value)},"checkinId":${checkinId}}`,
    atDate: input.at,
  });
  return {
    id: checkinId,
    krId: kr.id,
    author: input.author.displayName,
    status,
    previousStatus: kr.status as KrStatus,
    progress,
    previousProgress: kr.progress,
    reportedProgress: input.reportedProgress ?? null,
    note: input.note,
    at: input.at,
    values,
    undoneAt: null,
  };
}

/**
 * Records check-ins exactly once per (workspace, request id). Each check-in is one IMMEDIATE
 * transaction that takes the write lock first, so two processes racing on the same request cannot
 * both insert; the KR's current status, progress and metric values change in that same
 * transaction. Every statement is prepared once: this is the hottest write path. `byId` reads a
 * stored check-in back (for a repeated request).
 */
export function prepareCheckIns(db: Db, byId: (workspaceId: number, id: number) => CheckInView) {
  const q = prepareReads(db);
  const w = prepareWrites(db);
  const record = (workspaceId: number, input: CheckInInput): CheckInResult => {
    const existing = q.byRequest.get({ workspaceId, requestId: input.requestId });
    if (existing) return { checkIn: byId(workspaceId, existing.id), duplicate: true };
    const { kr, krMetrics } = loadTarget(q, workspaceId, input);
    const authorId = (
      q.upsertAuthor.get({
        workspaceId,
        platformUserId: input.author.platformUserId,
        displayName: input.author.displayName,
        timezone: input.author.timezone ?? null,
      }) as { id: number }
    ).id;
    return { checkIn: writeCheckIn(w, workspaceId, input, { kr, krMetrics, authorId }), duplicate: false };
  };
  // better-sqlite3's own transaction wrapper: BEGIN IMMEDIATE, COMMIT or ROLLBACK on throw.
  const tx = db.$client.transaction(record);
  return (workspaceId: number, input: CheckInInput): CheckInResult => tx.immediate(workspaceId, input);
}
