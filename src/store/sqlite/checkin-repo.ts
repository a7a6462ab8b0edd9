import { and, asc, desc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import type { KrStatus } from "../../domain/kr-status.ts";
import type { Db } from "../db.ts";
import { checkins, checkinValues, keyResults, members, metrics } from "../schema.ts";
import type {
  CheckInBrief,
  CheckInExportRow,
  CheckInInput,
  CheckInRepository,
  CheckInResult,
  CheckInView,
  UndoResult,
} from "../store.ts";
import { prepareCheckIns } from "./checkin-record.ts";
import { undoLastCheckIn } from "./undo-repo.ts";

/** Check-ins in SQLite: the prepared, exactly-once record path, history, undo and export. */
export class SqliteCheckIns implements CheckInRepository {
  private readonly recordNow: ReturnType<typeof prepareCheckIns>;

  constructor(private readonly db: Db) {
    this.recordNow = prepareCheckIns(db, (ws, id) => getCheckIns(db, ws, [id])[0] as CheckInView);
  }

  async record(workspaceId: number, input: CheckInInput): Promise<CheckInResult> {
    return this.recordNow(workspaceId, input);
  }

  async list(workspaceId: number, krId: number, limit: number): Promise<CheckInView[]> {
    return listCheckIns(this.db, workspaceId, krId, limit);
  }

  /** Check-ins in [from, to), via the (workspace_id, created_at) index. */
  async between(workspaceId: number, from: Date, to: Date): Promise<CheckInBrief[]> {
    return this.db
      .select({ krCode: keyResults.code, author: members.displayName, at: checkins.createdAt })
      .from(checkins)
      .innerJoin(keyResults, eq(keyResults.id, checkins.krId))
      .innerJoin(members, eq(members.id, checkins.authorId))
      .where(
        and(
          eq(checkins.workspaceId, workspaceId),
          gte(checkins.createdAt, from),
          lt(checkins.createdAt, to),
          isNull(checkins.undoneAt),
        ),
      )
      .orderBy(asc(checkins.createdAt), sql`${checkins.id}`)
      .all();
  }

  async export(workspaceId: number, since?: Date): Promise<CheckInExportRow[]> {
    return exportCheckIns(this.db, workspaceId, since);
  }

  async undoLast(workspaceId: number, author: string, now: Date, windowMs: number): Promise<UndoResult> {
    return undoLastCheckIn(this.db, workspaceId, author, now, windowMs);
  }
}

/** The latest check-ins of one KR, newest first (uses the (kr_id, created_at) index). */
function listCheckIns(db: Db, workspaceId: number, krId: number, limit: number): CheckInView[] {
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
function exportCheckIns(db: Db, workspaceId: number, since?: Date): CheckInExportRow[] {
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
