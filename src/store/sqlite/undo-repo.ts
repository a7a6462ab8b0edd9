import { and, desc, eq, isNotNull, isNull, lt, or } from "drizzle-orm";
import type { Conn, Db } from "../db.ts";
import { checkins, checkinValues, keyResults, members, metrics } from "../schema.ts";
import type { UndoResult } from "../store.ts";
import { audit } from "./member-repo.ts";

/** The latest check-in on a KR that is still in effect, before a given one. */
function previousInEffect(tx: Conn, workspaceId: number, krId: number, before: { id: number; at: Date }) {
  return tx
    .select({ id: checkins.id, at: checkins.createdAt })
    .from(checkins)
    .where(
      and(
        eq(checkins.workspaceId, workspaceId),
        eq(checkins.krId, krId),
        isNull(checkins.undoneAt),
        or(
          lt(checkins.createdAt, before.at),
          and(eq(checkins.createdAt, before.at), lt(checkins.id, before.id)),
        ),
      ),
    )
    .orderBy(desc(checkins.createdAt), desc(checkins.id))
    .limit(1)
    .get();
}

/** The author's latest check-in still in effect, with the KR it was on. */
function latestOfAuthor(tx: Conn, workspaceId: number, author: string) {
  // The author's member id first, so their latest check-in comes from the (author_id, created_at) index.
  const authorId = tx
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.platformUserId, author)))
    .get()?.id;
  if (authorId === undefined) return undefined;
  const last = tx
    .select({
      id: checkins.id,
      krId: checkins.krId,
      at: checkins.createdAt,
      previousStatus: checkins.previousStatus,
      previousProgress: checkins.previousProgress,
      status: checkins.status,
      progress: checkins.progress,
    })
    .from(checkins)
    .where(and(eq(checkins.authorId, authorId), isNull(checkins.undoneAt)))
    .orderBy(desc(checkins.createdAt), desc(checkins.id))
    .limit(1)
    .get();
  if (!last) return undefined;
  const kr = tx
    .select({ code: keyResults.code, lastCheckinId: keyResults.lastCheckinId })
    .from(keyResults)
    .where(and(eq(keyResults.workspaceId, workspaceId), eq(keyResults.id, last.krId)))
    .get();
  return kr ? { last, kr } : undefined;
}

type Latest = NonNullable<ReturnType<typeof latestOfAuthor>>;

/** Puts the KR's metrics, status and progress back to what `last` replaced, and marks it undone. */
function revert(tx: Conn, workspaceId: number, { last }: Latest, now: Date) {
  const values = tx
    .select({
      metricId: checkinValues.metricId,
      key: metrics.key,
      value: checkinValues.value,
      previous: checkinValues.previousValue,
    })
    .from(checkinValues)
    .innerJoin(metrics, eq(metrics.id, checkinValues.metricId))
    .where(and(eq(checkinValues.workspaceId, workspaceId), eq(checkinValues.checkinId, last.id)))
    .all();
  for (const v of values) {
    tx.update(metrics)
      .set({ currentValue: v.previous, updatedAt: now })
      .where(and(eq(metrics.workspaceId, workspaceId), eq(metrics.id, v.metricId)))
      .run();
  }
  const before = previousInEffect(tx, workspaceId, last.krId, last);
  const reported = tx
    .select({ p: checkins.reportedProgress })
    .from(checkins)
    .where(
      and(
        eq(checkins.workspaceId, workspaceId),
        eq(checkins.krId, last.krId),
        isNull(checkins.undoneAt),
        isNotNull(checkins.reportedProgress),
        lt(checkins.createdAt, last.at),
      ),
    )
    .orderBy(desc(checkins.createdAt), desc(checkins.id))
    .limit(1)
    .get();
  tx.update(keyResults)
    .set({
      status: last.previousStatus,
      progress: last.previousProgress,
      reportedProgress: reported?.p ?? null,
      lastCheckinId: before?.id ?? null,
      lastCheckinAt: before?.at ?? null,
    })
    .where(and(eq(keyResults.workspaceId, workspaceId), eq(keyResults.id, last.krId)))
    .run();
  tx.update(checkins).set({ undoneAt: now }).where(eq(checkins.id, last.id)).run();
  return values;
}

/**
 * Takes back an author's latest check-in if it is recent enough and still the KR's latest: the
 * KR's status, progress and metric values return to what that check-in replaced, the check-in is
 * marked undone, and the audit log records the revision. One IMMEDIATE transaction.
 */
export function undoLastCheckIn(
  db: Db,
  workspaceId: number,
  author: string,
  now: Date,
  windowMs: number,
): UndoResult {
  return db.transaction(
    (tx): UndoResult => {
      const latest = latestOfAuthor(tx, workspaceId, author);
      if (!latest) return { ok: false, reason: "none" };
      const { last, kr } = latest;
      const ageMs = now.getTime() - last.at.getTime();
      if (ageMs > windowMs) return { ok: false, reason: "too_old", krCode: kr.code, ageMs };
      if (kr.lastCheckinId !== last.id) return { ok: false, reason: "superseded", krCode: kr.code };
      const values = revert(tx, workspaceId, latest, now);
      audit(tx, workspaceId, {
        actor: author,
        action: "checkin.undo",
        entity: `kr:${kr.code}`,
        oldValue: {
          checkinId: last.id,
          status: last.status,
          progress: last.progress,
          values: Object.fromEntries(values.map((v) => [v.key, v.value])),
        },
        newValue: {
          status: last.previousStatus,
          progress: last.previousProgress,
          values: Object.fromEntries(values.map((v) => [v.key, v.previous])),
        },
        at: now,
      });
      return {
        ok: true,
        krCode: kr.code,
        checkInId: last.id,
        restored: {
          status: last.previousStatus,
          progress: last.previousProgress,
          values: values.map((v) => ({ key: v.key, value: v.previous })),
        },
      };
    },
    { behavior: "immediate" },
  );
}
