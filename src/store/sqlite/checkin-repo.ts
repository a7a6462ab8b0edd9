import { and, desc, eq, inArray, sql } from "drizzle-orm";
import type { KrStatus } from "../../core/reply.ts";
import { type Comparator, krProgress } from "../../core/status-math.ts";
import type { Db } from "../db.ts";
import { checkins, checkinValues, keyResults, members, metrics } from "../schema.ts";
import type { CheckInInput, CheckInResult, CheckInView } from "../store.ts";
import { audit, upsertMember } from "./member-repo.ts";

/** Raised when a check-in names a KR or metric that is not in the workspace. */
export class UnknownTargetError extends Error {
  override readonly name = "UnknownTargetError";
}

/**
 * Records a check-in exactly once per (workspace, request id). One IMMEDIATE transaction takes
 * the write lock first, so two processes racing on the same request cannot both insert; the KR's
 * current status, progress and metric values change in that same transaction.
 */
export function recordCheckIn(db: Db, workspaceId: number, input: CheckInInput): CheckInResult {
  return db.transaction(
    (txn) => {
      const tx = txn as unknown as Db;
      const existing = tx
        .select({ id: checkins.id })
        .from(checkins)
        .where(and(eq(checkins.workspaceId, workspaceId), eq(checkins.requestId, input.requestId)))
        .get();
      if (existing)
        return { checkIn: getCheckIns(tx, workspaceId, [existing.id])[0] as CheckInView, duplicate: true };

      const kr = tx
        .select()
        .from(keyResults)
        .where(and(eq(keyResults.workspaceId, workspaceId), eq(keyResults.id, input.krId)))
        .get();
      if (!kr) throw new UnknownTargetError(`no key result ${input.krId} in workspace ${workspaceId}`);
      const krMetrics = tx
        .select()
        .from(metrics)
        .where(and(eq(metrics.workspaceId, workspaceId), eq(metrics.krId, kr.id)))
        .all();
      const metricById = new Map(krMetrics.map((m) => [m.id, m]));
      for (const v of input.values) {
        if (!metricById.has(v.metricId))
          throw new UnknownTargetError(`metric ${v.metricId} is not on ${kr.code}`);
      }

      const authorId = upsertMember(tx, workspaceId, input.author);
      const newValues = new Map(input.values.map((v) => [v.metricId, v.value]));
      const reported = input.reportedProgress ?? kr.reportedProgress;
      const progress = krProgress(
        krMetrics.map((m) => ({
          baseline: m.baseline,
          target: m.target,
          comparator: m.comparator as Comparator,
          current: newValues.get(m.id) ?? m.currentValue,
        })),
        reported,
      );
      const status = input.status ?? kr.status;

      const checkinId = tx
        .insert(checkins)
        .values({
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
        })
        .returning({ id: checkins.id })
        .get().id;
      for (const v of input.values) {
        const previous = metricById.get(v.metricId)?.currentValue ?? null;
        tx.insert(checkinValues)
          .values({ workspaceId, checkinId, metricId: v.metricId, value: v.value, previousValue: previous })
          .run();
        tx.update(metrics)
          .set({ currentValue: v.value, updatedAt: input.at })
          .where(and(eq(metrics.workspaceId, workspaceId), eq(metrics.id, v.metricId)))
          .run();
      }
      tx.update(keyResults)
        .set({
          status,
          progress,
          reportedProgress: reported,
          lastCheckinId: checkinId,
          lastCheckinAt: input.at,
        })
        .where(and(eq(keyResults.workspaceId, workspaceId), eq(keyResults.id, kr.id)))
        .run();
      audit(tx, workspaceId, {
        actor: input.author.platformUserId,
        action: "checkin",
        entity: `kr:${kr.code}`,
        oldValue: {
          status: kr.status,
          progress: kr.progress,
          values: Object.fromEntries(
            input.values.map((v) => [
              metricById.get(v.metricId)?.key,
              metricById.get(v.metricId)?.currentValue ?? null,
            ]),
          ),
        },
        newValue: {
          status,
          progress,
          values: Object.fromEntries(input.values.map((v) => [metricById.get(v.metricId)?.key, v.value])),
          checkinId,
        },
        at: input.at,
      });
      return { checkIn: getCheckIns(tx, workspaceId, [checkinId])[0] as CheckInView, duplicate: false };
    },
    { behavior: "immediate" },
  );
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
      krId: checkins.krId,
      author: members.displayName,
      status: checkins.status,
      previousStatus: checkins.previousStatus,
      progress: checkins.progress,
      previousProgress: checkins.previousProgress,
      reportedProgress: checkins.reportedProgress,
      note: checkins.note,
      at: checkins.createdAt,
    })
    .from(checkins)
    .innerJoin(members, eq(members.id, checkins.authorId))
    .where(and(eq(checkins.workspaceId, workspaceId), inArray(checkins.id, ids)))
    .all();
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
        ...r,
        status: r.status as KrStatus,
        previousStatus: r.previousStatus as KrStatus,
        values: values.filter((v) => v.checkinId === id).map(({ checkinId: _, ...v }) => v),
      },
    ];
  });
}
