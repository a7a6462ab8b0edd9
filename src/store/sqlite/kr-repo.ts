import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { KrStatus } from "../../domain/kr-status.ts";
import type { Comparator } from "../../domain/status-math.ts";
import type { Db } from "../db.ts";
import { checkins, keyResults, krOwners, krTeams, members, metrics, objectives, teams } from "../schema.ts";
import type { KeyResultRepository, KrFilter, KrRef, KrView, MemberView, MetricView } from "../store.ts";

const ws = sql.placeholder("workspaceId");
const krId = sql.placeholder("krId");

/** Groups rows by their `krId`. */
function byKr<T extends { krId: number }>(rows: T[]): Map<number, T[]> {
  const map = new Map<number, T[]>();
  for (const r of rows) {
    const list = map.get(r.krId);
    if (list) list.push(r);
    else map.set(r.krId, [r]);
  }
  return map;
}

/** Builds a query's WHERE clause from its workspace and KR id columns. */
type Scope = (workspaceCol: SQLiteColumn, krCol: SQLiteColumn) => SQL | undefined;

/** The owners and teams of the KRs in scope, prepared once. */
function prepareKrPeopleQueries(db: Db, scope: Scope) {
  const ownerRows = db
    .select({
      krId: krOwners.krId,
      id: members.id,
      platformUserId: members.platformUserId,
      displayName: members.displayName,
      timezone: members.timezone,
    })
    .from(krOwners)
    .innerJoin(members, eq(members.id, krOwners.memberId))
    .where(scope(krOwners.workspaceId, krOwners.krId))
    // rowid is the order owners were added; created_at ties for owners imported together.
    .orderBy(asc(krOwners.krId), sql`${krOwners}.rowid`)
    .prepare();
  const teamRows = db
    .select({ krId: krTeams.krId, name: teams.name })
    .from(krTeams)
    .innerJoin(teams, eq(teams.id, krTeams.teamId))
    .where(scope(krTeams.workspaceId, krTeams.krId))
    .orderBy(asc(krTeams.krId), asc(krTeams.position))
    .prepare();
  return { ownerRows, teamRows };
}

/**
 * The queries behind a KrView, over current-state columns only, prepared once. `scope`
 * builds the WHERE clause: the whole workspace, or one KR in it.
 */
function prepareKrViewQueries(db: Db, scope: Scope) {
  const krs = db
    .select({
      id: keyResults.id,
      code: keyResults.code,
      title: keyResults.title,
      text: keyResults.text,
      objectiveCode: objectives.code,
      programs: keyResults.programs,
      status: keyResults.status,
      progress: keyResults.progress,
      reportedProgress: keyResults.reportedProgress,
      lastCheckInAt: keyResults.lastCheckinAt,
      lastNote: checkins.note,
    })
    .from(keyResults)
    .innerJoin(objectives, eq(objectives.id, keyResults.objectiveId))
    .leftJoin(checkins, eq(checkins.id, keyResults.lastCheckinId))
    .where(scope(keyResults.workspaceId, keyResults.id))
    .orderBy(asc(keyResults.position))
    .prepare();
  const metricRows = db
    .select({
      id: metrics.id,
      krId: metrics.krId,
      key: metrics.key,
      label: metrics.label,
      unit: metrics.unit,
      baseline: metrics.baseline,
      target: metrics.target,
      comparator: metrics.comparator,
      current: metrics.currentValue,
    })
    .from(metrics)
    .where(scope(metrics.workspaceId, metrics.krId))
    .orderBy(asc(metrics.krId), asc(metrics.position))
    .prepare();
  const { ownerRows, teamRows } = prepareKrPeopleQueries(db, scope);

  return (params: {
    workspaceId: number;
    krId?: number;
    objectiveCode?: string;
    owner?: string;
    team?: string;
  }): KrView[] => {
    const metricMap = byKr(metricRows.all(params));
    const ownerMap = byKr(ownerRows.all(params));
    const teamMap = byKr(teamRows.all(params));
    return krs.all(params).map((kr) => ({
      ...kr,
      status: kr.status as KrStatus,
      metrics: (metricMap.get(kr.id) ?? []).map(
        ({ krId: _, comparator, ...m }): MetricView => ({ ...m, comparator: comparator as Comparator }),
      ),
      owners: (ownerMap.get(kr.id) ?? []).map(({ krId: _, ...m }): MemberView => m),
      teams: (teamMap.get(kr.id) ?? []).map((t) => t.name),
    }));
  };
}

/**
 * Key results in SQLite: the status read path. Nothing here reads check-in history except the
 * latest note by primary key; every query is prepared once.
 */
export class SqliteKeyResults implements KeyResultRepository {
  private readonly refs;
  private readonly byCode;
  private readonly all;
  private readonly one;
  private readonly scoped;

  constructor(db: Db) {
    const refColumns = {
      id: keyResults.id,
      code: keyResults.code,
      title: keyResults.title,
      objectiveCode: objectives.code,
    };
    this.refs = db
      .select(refColumns)
      .from(keyResults)
      .innerJoin(objectives, eq(objectives.id, keyResults.objectiveId))
      .where(eq(keyResults.workspaceId, ws))
      .orderBy(asc(keyResults.position))
      .prepare();
    this.byCode = db
      .select(refColumns)
      .from(keyResults)
      .innerJoin(objectives, eq(objectives.id, keyResults.objectiveId))
      .where(and(eq(keyResults.workspaceId, ws), eq(keyResults.code, sql.placeholder("code"))))
      .prepare();
    this.all = prepareKrViewQueries(db, (w) => eq(w, ws));
    this.one = prepareKrViewQueries(db, (w, k) => and(eq(w, ws), eq(k, krId)));
    this.scoped = prepareScopedQueries(db);
  }

  async list(workspaceId: number): Promise<KrView[]> {
    return this.all({ workspaceId });
  }

  async listRefs(workspaceId: number): Promise<KrRef[]> {
    return this.refs.all({ workspaceId });
  }

  async get(workspaceId: number, id: number): Promise<KrView | undefined> {
    return this.one({ workspaceId, krId: id })[0];
  }

  async findByCode(workspaceId: number, code: string): Promise<KrRef | undefined> {
    return this.byCode.get({ workspaceId, code });
  }

  async listWhere(workspaceId: number, filter: KrFilter): Promise<KrView[]> {
    if ("objectiveCode" in filter)
      return this.scoped.byObjective({ workspaceId, objectiveCode: filter.objectiveCode });
    if ("ownerId" in filter) return this.scoped.byOwner({ workspaceId, owner: filter.ownerId });
    return this.scoped.byTeam({ workspaceId, team: filter.team });
  }
}

/**
 * Scoped views read only the KRs asked for, so `/kr status IV` or `status mine` in a 10,000-KR
 * organisation costs what its ~100 KRs cost, not what the whole workspace does.
 */
function prepareScopedQueries(db: Db) {
  const byObjective = prepareKrViewQueries(db, (w, k) =>
    and(
      eq(w, ws),
      inArray(
        k,
        db
          .select({ id: keyResults.id })
          .from(keyResults)
          .innerJoin(objectives, eq(objectives.id, keyResults.objectiveId))
          .where(and(eq(keyResults.workspaceId, ws), eq(objectives.code, sql.placeholder("objectiveCode")))),
      ),
    ),
  );
  const byOwner = prepareKrViewQueries(db, (w, k) =>
    and(
      eq(w, ws),
      inArray(
        k,
        db
          .select({ id: krOwners.krId })
          .from(krOwners)
          .innerJoin(members, eq(members.id, krOwners.memberId))
          .where(and(eq(krOwners.workspaceId, ws), eq(members.platformUserId, sql.placeholder("owner")))),
      ),
    ),
  );
  const byTeam = prepareKrViewQueries(db, (w, k) =>
    and(
      eq(w, ws),
      inArray(
        k,
        db
          .select({ id: krTeams.krId })
          .from(krTeams)
          .innerJoin(teams, eq(teams.id, krTeams.teamId))
          .where(and(eq(krTeams.workspaceId, ws), eq(teams.name, sql.placeholder("team")))),
      ),
    ),
  );
  return { byObjective, byOwner, byTeam };
}
