import { asc, eq, sql } from "drizzle-orm";
import type { Plan } from "../../domain/plan.ts";
import type { Comparator } from "../../domain/status-math.ts";
import type { Conn, Db } from "../db.ts";
import {
  goals,
  keyResults,
  krOwners,
  krTeams,
  members,
  metrics,
  objectives,
  plans,
  teams,
} from "../schema.ts";
import type { ObjectiveView, PlanImportResult, PlanInfo, PlanRepository } from "../store.ts";
import { importPlan } from "./plan-import.ts";

/** Raised when importing over a workspace that already tracks a plan. */
export class PlanExistsError extends Error {
  override readonly name = "PlanExistsError";
  constructor(readonly existing: PlanInfo) {
    super(
      `this workspace already tracks "${existing.title}" (${existing.key}); pass --replace to replace it (its check-ins are deleted; owners, team members and snoozes of the key results that stay are kept)`,
    );
  }
}

/** The workspace's plan header, on the database or inside a transaction. */
export function getPlan(db: Conn, workspaceId: number): PlanInfo | undefined {
  return db
    .select({
      key: plans.key,
      title: plans.title,
      periodStart: plans.periodStart,
      periodEnd: plans.periodEnd,
    })
    .from(plans)
    .where(eq(plans.workspaceId, workspaceId))
    .get();
}

/** Reads the workspace's plan back into the plan-file shape (import of this gives the same plan). */
function exportPlan(db: Db, workspaceId: number): Plan | undefined {
  const plan = db.select().from(plans).where(eq(plans.workspaceId, workspaceId)).get();
  if (!plan) return undefined;
  const goalRows = db
    .select()
    .from(goals)
    .where(eq(goals.planId, plan.id))
    .orderBy(asc(goals.position))
    .all();
  const objectiveRows = db
    .select()
    .from(objectives)
    .where(eq(objectives.planId, plan.id))
    .orderBy(asc(objectives.position))
    .all();
  const krRows = db
    .select()
    .from(keyResults)
    .where(eq(keyResults.workspaceId, workspaceId))
    .orderBy(asc(keyResults.position))
    .all();
  const metricRows = db
    .select()
    .from(metrics)
    .where(eq(metrics.workspaceId, workspaceId))
    .orderBy(asc(metrics.krId), asc(metrics.position))
    .all();
  const teamRows = db
    .select({ krId: krTeams.krId, name: teams.name })
    .from(krTeams)
    .innerJoin(teams, eq(teams.id, krTeams.teamId))
    .where(eq(krTeams.workspaceId, workspaceId))
    .orderBy(asc(krTeams.krId), asc(krTeams.position))
    .all();
  const ownerRows = db
    .select({ krId: krOwners.krId, userId: members.platformUserId })
    .from(krOwners)
    .innerJoin(members, eq(members.id, krOwners.memberId))
    .where(eq(krOwners.workspaceId, workspaceId))
    // rowid is the order owners were added; created_at ties for owners imported together.
    .orderBy(asc(krOwners.krId), sql`${krOwners}.rowid`)
    .all();
  const goalKey = new Map(goalRows.map((g) => [g.id, g.key]));
  return {
    id: plan.key,
    title: plan.title,
    ...(plan.source ? { source: plan.source } : {}),
    period: { start: plan.periodStart, end: plan.periodEnd },
    goals: goalRows.map((g) => ({ key: g.key, title: g.title, description: g.description })),
    objectives: objectiveRows.map((o) => ({
      code: o.code,
      goal: goalKey.get(o.goalId) as string,
      title: o.title,
      key_results: krRows
        .filter((kr) => kr.objectiveId === o.id)
        .map((kr) => ({
          code: kr.localCode,
          title: kr.title,
          text: kr.text,
          programs: kr.programs,
          teams: teamRows.filter((t) => t.krId === kr.id).map((t) => t.name),
          owners: ownerRows.filter((r) => r.krId === kr.id).map((r) => r.userId),
          metrics: metricRows
            .filter((m) => m.krId === kr.id)
            .map((m) => ({
              key: m.key,
              label: m.label,
              unit: m.unit,
              baseline: m.baseline,
              target: m.target,
              comparator: m.comparator as Comparator,
            })),
        })),
    })),
  };
}

/** The plan and its objectives in SQLite. */
export class SqlitePlans implements PlanRepository {
  private readonly objectives;

  constructor(private readonly db: Db) {
    this.objectives = db
      .select({ id: objectives.id, code: objectives.code, title: objectives.title, goalTitle: goals.title })
      .from(objectives)
      .innerJoin(goals, eq(goals.id, objectives.goalId))
      .where(eq(objectives.workspaceId, sql.placeholder("workspaceId")))
      .orderBy(asc(objectives.position))
      .prepare();
  }

  async get(workspaceId: number): Promise<PlanInfo | undefined> {
    return getPlan(this.db, workspaceId);
  }

  async import(
    workspaceId: number,
    plan: Plan,
    opts: { actor: string; replace?: boolean },
  ): Promise<PlanImportResult> {
    return importPlan(this.db, workspaceId, plan, opts);
  }

  async export(workspaceId: number): Promise<Plan | undefined> {
    return exportPlan(this.db, workspaceId);
  }

  async listObjectives(workspaceId: number): Promise<ObjectiveView[]> {
    return this.objectives.all({ workspaceId });
  }
}
