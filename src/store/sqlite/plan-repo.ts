import { and, asc, eq, sql } from "drizzle-orm";
import type { Comparator } from "../../core/status-math.ts";
import type { Plan } from "../../plan/schema.ts";
import type { Db } from "../db.ts";
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
import type { PlanInfo } from "../store.ts";
import { audit, upsertMember } from "./member-repo.ts";

/** Raised when importing over a workspace that already tracks a plan. */
export class PlanExistsError extends Error {
  override readonly name = "PlanExistsError";
  constructor(readonly existing: PlanInfo) {
    super(
      `this workspace already tracks "${existing.title}" (${existing.key}); pass --replace to replace it (its check-ins are deleted)`,
    );
  }
}

export function getPlan(db: Db, workspaceId: number): PlanInfo | undefined {
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

/** Writes a whole plan in one transaction: all of it or none of it. */
export function importPlan(
  db: Db,
  workspaceId: number,
  plan: Plan,
  opts: { actor: string; replace?: boolean },
): void {
  db.transaction(
    (tx) => {
      const existing = getPlan(tx as unknown as Db, workspaceId);
      if (existing && !opts.replace) throw new PlanExistsError(existing);
      if (existing) {
        tx.delete(plans).where(eq(plans.workspaceId, workspaceId)).run();
        tx.delete(teams).where(eq(teams.workspaceId, workspaceId)).run();
      }
      const planId = tx
        .insert(plans)
        .values({
          workspaceId,
          key: plan.id,
          title: plan.title,
          source: plan.source ?? null,
          periodStart: plan.period.start,
          periodEnd: plan.period.end,
        })
        .returning({ id: plans.id })
        .get().id;
      const goalIds = new Map<string, number>();
      plan.goals.forEach((g, position) => {
        const id = tx
          .insert(goals)
          .values({ workspaceId, planId, key: g.key, title: g.title, description: g.description, position })
          .returning({ id: goals.id })
          .get().id;
        goalIds.set(g.key, id);
      });
      const teamIds = new Map<string, number>();
      const teamId = (name: string) => {
        let id = teamIds.get(name);
        if (id === undefined) {
          id = tx.insert(teams).values({ workspaceId, name }).returning({ id: teams.id }).get().id;
          teamIds.set(name, id);
        }
        return id;
      };
      let krPosition = 0;
      plan.objectives.forEach((o, position) => {
        const objectiveId = tx
          .insert(objectives)
          .values({
            workspaceId,
            planId,
            goalId: goalIds.get(o.goal) as number,
            code: o.code,
            title: o.title,
            position,
          })
          .returning({ id: objectives.id })
          .get().id;
        for (const kr of o.key_results) {
          const krId = tx
            .insert(keyResults)
            .values({
              workspaceId,
              objectiveId,
              code: `${o.code}.${kr.code}`,
              localCode: kr.code,
              title: kr.title,
              text: kr.text,
              programs: kr.programs,
              position: krPosition++,
            })
            .returning({ id: keyResults.id })
            .get().id;
          kr.metrics.forEach((m, mPosition) => {
            tx.insert(metrics)
              .values({ workspaceId, krId, ...m, position: mPosition })
              .run();
          });
          kr.teams.forEach((name, tPosition) => {
            tx.insert(krTeams)
              .values({ workspaceId, krId, teamId: teamId(name), position: tPosition })
              .run();
          });
          for (const owner of kr.owners) {
            const memberId = upsertKnownMember(tx as unknown as Db, workspaceId, owner);
            tx.insert(krOwners).values({ workspaceId, krId, memberId }).onConflictDoNothing().run();
          }
        }
      });
      audit(tx as unknown as Db, workspaceId, {
        actor: opts.actor,
        action: existing ? "plan.replace" : "plan.import",
        entity: `plan:${plan.id}`,
        oldValue: existing ?? null,
        newValue: { key: plan.id, title: plan.title, keyResults: krPosition },
      });
    },
    { behavior: "immediate" },
  );
}

/** Plan owners are platform user ids; keep a known member's name, else use the id as a name. */
function upsertKnownMember(db: Db, workspaceId: number, platformUserId: string): number {
  const found = db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.platformUserId, platformUserId)))
    .get();
  return found?.id ?? upsertMember(db, workspaceId, { platformUserId, displayName: platformUserId });
}

/** Reads the workspace's plan back into the plan-file shape (import of this gives the same plan). */
export function exportPlan(db: Db, workspaceId: number): Plan | undefined {
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
