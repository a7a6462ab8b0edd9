import { and, asc, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { KrStatus } from "../../domain/kr-status.ts";
import { type Comparator, krProgress } from "../../domain/status-math.ts";
import type { Db } from "../db.ts";
import { auditLog, checkins, checkinValues, keyResults, members, metrics } from "../schema.ts";
import type { CheckInExportRow, CheckInInput, CheckInResult, CheckInView } from "../store.ts";

/** Raised when a check-in names a KR or metric that is not in the workspace. */
export class UnknownTargetError extends Error {
  override readonly name = "UnknownTargetError";
}

const p = (name: string) => sql.placeholder(name);

/**
 * Records check-ins exactly once per (workspace, request id). Each check-in is one IMMEDIATE
 * transaction that takes the write lock first, so two processes racing on the same request cannot
 * both insert; the KR's current status, progress and metric values change in that same
 * transaction. Every statement is prepared once: this is the hottest write path.
 */
export function prepareCheckIns(db: Db) {
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

  const record = (workspaceId: number, input: CheckInInput): CheckInResult => {
    const existing = byRequest.get({ workspaceId, requestId: input.requestId });
    if (existing)
      return { checkIn: getCheckIns(db, workspaceId, [existing.id])[0] as CheckInView, duplicate: true };

    const kr = krById.get({ workspaceId, krId: input.krId });
    if (!kr) throw new UnknownTargetError(`no key result ${input.krId} in workspace ${workspaceId}`);
    const krMetrics = metricsOfKr.all({ workspaceId, krId: kr.id });
    const metricById = new Map(krMetrics.map((m) => [m.id, m]));
    for (const v of input.values) {
      if (!metricById.has(v.metricId))
        throw new UnknownTargetError(`metric ${v.metricId} is not on ${kr.code}`);
    }

    const authorId = (
      upsertAuthor.get({
        workspaceId,
        platformUserId: input.author.platformUserId,
        displayName: input.author.displayName,
        timezone: input.author.timezone ?? null,
      }) as { id: number }
    ).id;
    const newValues = new Map(input.values.map((v) => [v.metricId, v.value]));
    const reported = input.reportedProgress ?? kr.reportedProgress;
    const progress = krProgress(
      krMetrics.map((m) => ({
        baseline: m.baseline,
        target: m.target,
        comparator: m.comparator as Comparator,
        current: newValues.has(m.id) ? (newValues.get(m.id) as number) : m.currentValue,
      })),
      reported,
    );
    const status = input.status ?? (kr.status as KrStatus);
    // Column-typed placeholders take a Date; the sql`` ones in SET clauses take epoch ms.
    const at = input.at.getTime();

    const checkinId = (
      insertCheckIn.get({
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
      insertValue.run({ workspaceId, checkinId, metricId: m.id, value, previousValue: m.currentValue });
      setMetric.run({ workspaceId, metricId: m.id, value, at });
      values.push({ key: m.key, label: m.label, value, previous: m.currentValue });
    }
    setKr.run({ workspaceId, krId: kr.id, status, progress, reportedProgress: reported, checkinId, at });
    const changed = (pick: (v: CheckInView["values"][number]) => number | null) =>
      JSON.stringify(Object.fromEntries(values.map((v) => [v.key, pick(v)])));
    insertAudit.run({
      workspaceId,
      actor: input.author.platformUserId,
      entity: `kr:${kr.code}`,
      oldValue: `{"status":${JSON.stringify(kr.status)},"progress":${JSON.stringify(kr.progress)},"values":${changed((v) => v.previous)}}`,
      newValue: `{"status":${JSON.stringify(status)},"progress":${JSON.stringify(progress)},"values":${changed((v) => v.value)},"checkinId":${checkinId}}`,
      atDate: input.at,
    });
    return {
      checkIn: {
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
      },
      duplicate: false,
    };
  };
  // better-sqlite3's own transaction wrapper: BEGIN IMMEDIATE, COMMIT or ROLLBACK on throw.
  const tx = db.$client.transaction(record);
  return (workspaceId: number, input: CheckInInput): CheckInResult => tx.immediate(workspaceId, input);
}

/** The latest check-ins of one KR, newest first (uses the (kr_id, created_at) index). */
export function listCheckIns(db: Db, workspaceId: number, krId: number, limit: number): CheckInView[] {
  const ids = db
    .select({ id: checkins.id })
    .from(checkins)
    .where(and(eq(checkins.workspaceId, workspaceId), eq(checkins.krId, krId)))
    .orderBy(desc(checkins.createdAt), desc(checkins.id))
    .limit(limit)
    .all()
    .map((r) => r.id);
  return getCheckIns(db, workspaceId, ids);
}

function getCheckIns(db: Db, workspaceId: number, ids: number[]): CheckInView[] {
  if (ids.length === 0) return [];
  const rows = db
    .select({
      id: checkins.id,
      workspaceId: checkins.workspaceId,
      krId: checkins.krId,
      author: members.displayName,
      status: checkins.status,
      previousStatus: checkins.previousStatus,
      progress: checkins.progress,
      previousProgress: checkins.previousProgress,
      reportedProgress: checkins.reportedProgress,
      note: checkins.note,
      at: checkins.createdAt,
      undoneAt: checkins.undoneAt,
    })
    .from(checkins)
    .innerJoin(members, eq(members.id, checkins.authorId))
    // By primary key; the workspace is checked on the rows (a workspace_id term here made the
    // planner walk the workspace's history instead of looking the ids up).
    .where(inArray(checkins.id, ids))
    .all()
    .filter((r) => r.workspaceId === workspaceId);
  const values = db
    .select({
      checkinId: checkinValues.checkinId,
      key: metrics.key,
      label: metrics.label,
      value: checkinValues.value,
      previous: checkinValues.previousValue,
    })
    .from(checkinValues)
    .innerJoin(metrics, eq(metrics.id, checkinValues.metricId))
    .where(and(eq(checkinValues.workspaceId, workspaceId), inArray(checkinValues.checkinId, ids)))
    .orderBy(sql`${metrics.position}`)
    .all();
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    return [
      {
        ...withoutWorkspace(r),
        status: r.status as KrStatus,
        previousStatus: r.previousStatus as KrStatus,
        values: values.filter((v) => v.checkinId === id).map(({ checkinId: _, ...v }) => v),
      },
    ];
  });
}

/** Every check-in of a workspace (since a date), oldest first, with metric values by key. */
export function exportCheckIns(db: Db, workspaceId: number, since?: Date): CheckInExportRow[] {
  const conds = [eq(checkins.workspaceId, workspaceId)];
  if (since) conds.push(gte(checkins.createdAt, since));
  const rows = db
    .select({
      id: checkins.id,
      at: checkins.createdAt,
      kr: keyResults.code,
      authorId: members.platformUserId,
      author: members.displayName,
      status: checkins.status,
      progress: checkins.progress,
      reportedProgress: checkins.reportedProgress,
      note: checkins.note,
      undoneAt: checkins.undoneAt,
    })
    .from(checkins)
    .innerJoin(keyResults, eq(keyResults.id, checkins.krId))
    .innerJoin(members, eq(members.id, checkins.authorId))
    .where(and(...conds))
    .orderBy(asc(checkins.createdAt), asc(checkins.id))
    .all();
  const values = db
    .select({ checkinId: checkinValues.checkinId, key: metrics.key, value: checkinValues.value })
    .from(checkinValues)
    .innerJoin(metrics, eq(metrics.id, checkinValues.metricId))
    .where(eq(checkinValues.workspaceId, workspaceId))
    .all();
  const byCheckIn = new Map<number, Record<string, number>>();
  for (const v of values) {
    const rec = byCheckIn.get(v.checkinId) ?? {};
    rec[v.key] = v.value;
    byCheckIn.set(v.checkinId, rec);
  }
  return rows.map(({ id, undoneAt, ...r }) => ({
    ...r,
    values: byCheckIn.get(id) ?? {},
    undone: undoneAt !== null,
  }));
}

function withoutWorkspace<T extends { workspaceId: number }>(r: T): Omit<T, "workspaceId"> {
  const { workspaceId: _, ...rest } = r;
  return rest;
}
