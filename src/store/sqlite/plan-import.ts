import { and, eq, inArray, notInArray, sql } from "drizzle-orm";
import type { Plan } from "../../domain/plan.ts";
import type { Conn, Db } from "../db.ts";
import {
  checkins,
  digestSchedules,
  goals,
  keyResults,
  krOwners,
  krSnoozes,
  krTeams,
  members,
  memberTeams,
  metrics,
  objectives,
  plans,
  teams,
} from "../schema.ts";
import type { PlanImportResult } from "../store.ts";
import { audit, upsertMember } from "./member-repo.ts";
import { getPlan, PlanExistsError } from "./plan-repo.ts";

/**
 * Writes a whole plan in one transaction: all of it or none of it. Over an existing plan (with
 * `replace`) it updates in place, matching goals by key, objectives and key results by code,
 * metrics by key and teams by name, so whatever hangs off a surviving KR or team (owners,
 * snoozes, team members, schedules) stays. It deletes the replaced plan's check-ins and what no
 * longer has a home, and returns exactly what it deleted.
 */
export function importPlan(
  db: Db,
  workspaceId: number,
  plan: Plan,
  opts: { actor: string; replace?: boolean },
): PlanImportResult {
  return db.transaction(
    (tx) => {
      const existing = getPlan(tx, workspaceId);
      if (existing && !opts.replace) throw new PlanExistsError(existing);
      const result = syncPlan(tx, workspaceId, plan);
      audit(tx, workspaceId, {
        actor: opts.actor,
        action: existing ? "plan.replace" : "plan.import",
        entity: `plan:${plan.id}`,
        oldValue: existing ?? null,
        newValue: {
          key: plan.id,
          title: plan.title,
          keyResults: plan.objectives.reduce((n, o) => n + o.key_results.length, 0),
          ...(existing ? { deleted: result.deleted } : {}),
        },
      });
      return existing ? { ...result, replaced: existing } : result;
    },
    { behavior: "immediate" },
  );
}

function count(db: Conn, query: ReturnType<typeof sql>): number {
  return (db.get<{ n: number }>(query) as { n: number }).n;
}

/** What the new plan leaves without a home: rows to delete, and the report of them. */
interface Gone {
  krIds: number[];
  teamIds: number[];
  digestIds: number[];
  deleted: PlanImportResult["deleted"];
}

function syncPlan(tx: Conn, workspaceId: number, plan: Plan): Omit<PlanImportResult, "replaced"> {
  const gone = findGone(tx, workspaceId, plan);
  deleteGone(tx, workspaceId, gone);
  writePlan(tx, workspaceId, plan);
  return { deleted: gone.deleted };
}

/** Counts what loses its home before anything is deleted. */
function findGone(tx: Conn, ws: number, plan: Plan): Gone {
  const newKrCodes = plan.objectives.flatMap((o) => o.key_results.map((kr) => `${o.code}.${kr.code}`));
  const newTeams = teamNames(plan);
  const newObjectives = plan.objectives.map((o) => o.code);
  const goneKrs = tx
    .select({ id: keyResults.id, code: keyResults.code })
    .from(keyResults)
    .where(and(eq(keyResults.workspaceId, ws), notInArray(keyResults.code, newKrCodes)))
    .all();
  const krIds = goneKrs.map((k) => k.id);
  const goneTeams = tx
    .select({ id: teams.id, name: teams.name })
    .from(teams)
    .where(and(eq(teams.workspaceId, ws), notInArray(teams.name, newTeams)))
    .all();
  const goneDigests = tx
    .select({
      id: digestSchedules.id,
      channelId: digestSchedules.channelId,
      kind: digestSchedules.scopeKind,
      value: digestSchedules.scopeValue,
    })
    .from(digestSchedules)
    .where(
      and(
        eq(digestSchedules.workspaceId, ws),
        sql`((${digestSchedules.scopeKind} = 'objective' and ${digestSchedules.scopeValue} not in ${sqlList(newObjectives)})
          or (${digestSchedules.scopeKind} = 'team' and ${digestSchedules.scopeValue} not in ${sqlList(newTeams)}))`,
      ),
    )
    .all();
  const deleted: PlanImportResult["deleted"] = {
    checkIns: count(tx, sql`select count(*) as n from ${checkins} where ${checkins.workspaceId} = ${ws}`),
    keyResults: goneKrs.map((k) => k.code),
    owners: krIds.length
      ? count(tx, sql`select count(*) as n from ${krOwners} where ${inArray(krOwners.krId, krIds)}`)
      : 0,
    snoozes: krIds.length
      ? count(tx, sql`select count(*) as n from ${krSnoozes} where ${inArray(krSnoozes.krId, krIds)}`)
      : 0,
    teams: goneTeams.map((t) => ({
      name: t.name,
      members: count(tx, sql`select count(*) as n from ${memberTeams} where ${memberTeams.teamId} = ${t.id}`),
    })),
    digests: goneDigests.map((d) => ({ channelId: d.channelId, scope: `${d.kind} ${d.value}` })),
  };
  return { krIds, teamIds: goneTeams.map((t) => t.id), digestIds: goneDigests.map((d) => d.id), deleted };
}

/** Every team any KR of the plan names, once. */
function teamNames(plan: Plan): string[] {
  return [...new Set(plan.objectives.flatMap((o) => o.key_results.flatMap((kr) => kr.teams)))];
}

function deleteGone(tx: Conn, ws: number, gone: Gone): void {
  // The replaced plan's check-ins go, and with them every KR's current state.
  tx.delete(checkins).where(eq(checkins.workspaceId, ws)).run();
  if (gone.krIds.length) tx.delete(keyResults).where(inArray(keyResults.id, gone.krIds)).run();
  if (gone.teamIds.length) tx.delete(teams).where(inArray(teams.id, gone.teamIds)).run();
  if (gone.digestIds.length)
    tx.delete(digestSchedules).where(inArray(digestSchedules.id, gone.digestIds)).run();
}

/** Upserts the plan row, goals, teams, objectives and key results; drops goals and objectives it no longer has. */
function writePlan(tx: Conn, ws: number, plan: Plan): void {
  const planId = upsertPlanRow(tx, ws, plan);
  const goalIds = new Map<string, number>();
  plan.goals.forEach((g, position) => {
    const values = { title: g.title, description: g.description, position };
    const id = tx
      .insert(goals)
      .values({ workspaceId: ws, planId, key: g.key, ...values })
      .onConflictDoUpdate({ target: [goals.planId, goals.key], set: values })
      .returning({ id: goals.id })
      .get().id;
    goalIds.set(g.key, id);
  });
  const teamIds = new Map<string, number>();
  for (const name of teamNames(plan)) {
    const id = tx
      .insert(teams)
      .values({ workspaceId: ws, name })
      .onConflictDoUpdate({ target: [teams.workspaceId, teams.name], set: { name } })
      .returning({ id: teams.id })
      .get().id;
    teamIds.set(name, id);
  }
  let krPosition = 0;
  plan.objectives.forEach((o, position) => {
    const values = { goalId: goalIds.get(o.goal) as number, title: o.title, position };
    const objectiveId = tx
      .insert(objectives)
      .values({ workspaceId: ws, planId, code: o.code, ...values })
      .onConflictDoUpdate({ target: [objectives.planId, objectives.code], set: values })
      .returning({ id: objectives.id })
      .get().id;
    for (const kr of o.key_results)
      writeKeyResult(tx, ws, { objectiveId, objectiveCode: o.code }, kr, krPosition++, teamIds);
  });
  // Goals and objectives the new plan no longer has (their KRs are gone already).
  tx.delete(objectives)
    .where(
      and(
        eq(objectives.planId, planId),
        notInArray(
          objectives.code,
          plan.objectives.map((o) => o.code),
        ),
      ),
    )
    .run();
  tx.delete(goals)
    .where(
      and(
        eq(goals.planId, planId),
        notInArray(
          goals.key,
          plan.goals.map((g) => g.key),
        ),
      ),
    )
    .run();
}

type PlanKr = Plan["objectives"][number]["key_results"][number];

/** Upserts one key result with its metrics, teams and owners. */
function writeKeyResult(
  tx: Conn,
  ws: number,
  objective: { objectiveId: number; objectiveCode: string },
  kr: PlanKr,
  position: number,
  teamIds: Map<string, number>,
): void {
  const krValues = {
    objectiveId: objective.objectiveId,
    localCode: kr.code,
    title: kr.title,
    text: kr.text,
    programs: kr.programs,
    position,
    // No check-ins remain, so no KR has a current state.
    status: "none",
    progress: null,
    reportedProgress: null,
    lastCheckinId: null,
    lastCheckinAt: null,
  };
  const krId = tx
    .insert(keyResults)
    .values({ workspaceId: ws, code: `${objective.objectiveCode}.${kr.code}`, ...krValues })
    .onConflictDoUpdate({ target: [keyResults.workspaceId, keyResults.code], set: krValues })
    .returning({ id: keyResults.id })
    .get().id;
  syncMetrics(tx, ws, krId, kr.metrics);
  tx.delete(krTeams).where(eq(krTeams.krId, krId)).run();
  kr.teams.forEach((name, tPosition) => {
    tx.insert(krTeams)
      .values({ workspaceId: ws, krId, teamId: teamIds.get(name) as number, position: tPosition })
      .run();
  });
  syncOwners(tx, ws, krId, kr.owners);
}

/** `(a, b, …)` for `not in`; an empty list becomes `(null)`, which matches nothing. */
function sqlList(values: string[]) {
  return values.length
    ? sql`(${sql.join(
        values.map((v) => sql`${v}`),
        sql`, `,
      )})`
    : sql`(null)`;
}

function upsertPlanRow(tx: Conn, ws: number, plan: Plan): number {
  const values = {
    key: plan.id,
    title: plan.title,
    source: plan.source ?? null,
    periodStart: plan.period.start,
    periodEnd: plan.period.end,
  };
  return tx
    .insert(plans)
    .values({ workspaceId: ws, ...values })
    .onConflictDoUpdate({ target: plans.workspaceId, set: values })
    .returning({ id: plans.id })
    .get().id;
}

function syncMetrics(tx: Conn, ws: number, krId: number, list: PlanKr["metrics"]) {
  tx.delete(metrics)
    .where(
      and(
        eq(metrics.krId, krId),
        notInArray(
          metrics.key,
          list.map((m) => m.key),
        ),
      ),
    )
    .run();
  list.forEach((m, position) => {
    const values = { ...m, position, currentValue: null, updatedAt: null };
    tx.insert(metrics)
      .values({ workspaceId: ws, krId, ...values })
      .onConflictDoUpdate({ target: [metrics.krId, metrics.key], set: values })
      .run();
  });
}

/**
 * The file's owners first, in its order, then owners added in chat that the file doesn't name:
 * both are kept, and export lists them in that order.
 */
function syncOwners(tx: Conn, ws: number, krId: number, fileOwners: string[]) {
  const current = tx
    .select({ memberId: krOwners.memberId, createdAt: krOwners.createdAt })
    .from(krOwners)
    .where(eq(krOwners.krId, krId))
    .orderBy(sql`${krOwners}.rowid`)
    .all();
  const fromFile = fileOwners.map((owner) => upsertKnownMember(tx, ws, owner));
  const since = new Map(current.map((o) => [o.memberId, o.createdAt]));
  const order = [...new Set([...fromFile, ...current.map((o) => o.memberId)])];
  tx.delete(krOwners).where(eq(krOwners.krId, krId)).run();
  for (const memberId of order) {
    const createdAt = since.get(memberId);
    tx.insert(krOwners)
      .values({ workspaceId: ws, krId, memberId, ...(createdAt ? { createdAt } : {}) })
      .run();
  }
}

/** Plan owners are platform user ids; keep a known member's name, else use the id as a name. */
function upsertKnownMember(db: Conn, workspaceId: number, platformUserId: string): number {
  const found = db
    .select({ id: members.id })
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.platformUserId, platformUserId)))
    .get();
  return found?.id ?? upsertMember(db, workspaceId, { platformUserId, displayName: platformUserId });
}
