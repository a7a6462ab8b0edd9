import { asc, eq, sql } from "drizzle-orm";
import type { KrStatus } from "../../core/reply.ts";
import type { Comparator } from "../../core/status-math.ts";
import type { Db } from "../db.ts";
import {
  checkins,
  goals,
  keyResults,
  krOwners,
  krTeams,
  members,
  metrics,
  objectives,
  teams,
} from "../schema.ts";
import type { KrView, MemberView, MetricView, ObjectiveView } from "../store.ts";

const ws = sql.placeholder("workspaceId");

/**
 * The status read path: five prepared, workspace-scoped queries over current-state columns,
 * stitched in memory. Nothing here reads check-in history except the latest note by primary key.
 */
export function prepareKrQueries(db: Db) {
  const objectivesQ = db
    .select({ id: objectives.id, code: objectives.code, title: objectives.title, goalTitle: goals.title })
    .from(objectives)
    .innerJoin(goals, eq(goals.id, objectives.goalId))
    .where(eq(objectives.workspaceId, ws))
    .orderBy(asc(objectives.position))
    .prepare();
  const krsQ = db
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
    .where(eq(keyResults.workspaceId, ws))
    .orderBy(asc(keyResults.position))
    .prepare();
  const metricsQ = db
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
    .where(eq(metrics.workspaceId, ws))
    .orderBy(asc(metrics.krId), asc(metrics.position))
    .prepare();
  const ownersQ = db
    .select({
      krId: krOwners.krId,
      id: members.id,
      platformUserId: members.platformUserId,
      displayName: members.displayName,
      timezone: members.timezone,
    })
    .from(krOwners)
    .innerJoin(members, eq(members.id, krOwners.memberId))
    .where(eq(krOwners.workspaceId, ws))
    // rowid is the order owners were added; created_at ties for owners imported together.
    .orderBy(asc(krOwners.krId), sql`${krOwners}.rowid`)
    .prepare();
  const teamsQ = db
    .select({ krId: krTeams.krId, name: teams.name })
    .from(krTeams)
    .innerJoin(teams, eq(teams.id, krTeams.teamId))
    .where(eq(krTeams.workspaceId, ws))
    .orderBy(asc(krTeams.krId), asc(krTeams.position))
    .prepare();

  return {
    listObjectives(workspaceId: number): ObjectiveView[] {
      return objectivesQ.all({ workspaceId });
    },
    listKeyResults(workspaceId: number): KrView[] {
      const byKr = <T extends { krId: number }>(rows: T[]) => {
        const map = new Map<number, T[]>();
        for (const r of rows) {
          const list = map.get(r.krId);
          if (list) list.push(r);
          else map.set(r.krId, [r]);
        }
        return map;
      };
      const metricMap = byKr(metricsQ.all({ workspaceId }));
      const ownerMap = byKr(ownersQ.all({ workspaceId }));
      const teamMap = byKr(teamsQ.all({ workspaceId }));
      return krsQ.all({ workspaceId }).map((kr) => ({
        ...kr,
        status: kr.status as KrStatus,
        metrics: (metricMap.get(kr.id) ?? []).map(
          ({ krId: _, comparator, ...m }): MetricView => ({ ...m, comparator: comparator as Comparator }),
        ),
        owners: (ownerMap.get(kr.id) ?? []).map(({ krId: _, ...m }): MemberView => m),
        teams: (teamMap.get(kr.id) ?? []).map((t) => t.name),
      }));
    },
  };
}
