import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db.ts";
import { members, memberTeams, teams, workspaces } from "../schema.ts";
import type { ActorInput, MemberView } from "../store.ts";
import { audit, upsertMember } from "./member-repo.ts";

function teamId(db: Db, workspaceId: number, name: string): number | undefined {
  return db
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.workspaceId, workspaceId), eq(teams.name, name)))
    .get()?.id;
}

/** The members of a plan team (by exact name), in the order they joined. */
export function listTeamMembers(db: Db, workspaceId: number, team: string): MemberView[] {
  const id = teamId(db, workspaceId, team);
  if (id === undefined) return [];
  return db
    .select({
      id: members.id,
      platformUserId: members.platformUserId,
      displayName: members.displayName,
      timezone: members.timezone,
    })
    .from(memberTeams)
    .innerJoin(members, eq(members.id, memberTeams.memberId))
    .where(and(eq(memberTeams.workspaceId, workspaceId), eq(memberTeams.teamId, id)))
    .orderBy(asc(members.displayName))
    .all();
}

/** The teams a person belongs to. */
export function teamsOf(db: Db, workspaceId: number, platformUserId: string): string[] {
  return db
    .select({ name: teams.name })
    .from(memberTeams)
    .innerJoin(teams, eq(teams.id, memberTeams.teamId))
    .innerJoin(members, eq(members.id, memberTeams.memberId))
    .where(and(eq(memberTeams.workspaceId, workspaceId), eq(members.platformUserId, platformUserId)))
    .all()
    .map((r) => r.name);
}

/** Adds a person to a team; false when they were already in it. Throws if the team does not exist. */
export function addTeamMember(
  db: Db,
  workspaceId: number,
  team: string,
  who: ActorInput,
  actor: ActorInput,
): boolean {
  return db.transaction((txn) => {
    const tx = txn as unknown as Db;
    const id = teamId(tx, workspaceId, team);
    if (id === undefined) throw new Error(`no team ${team} in workspace ${workspaceId}`);
    const memberId = upsertMember(tx, workspaceId, who);
    upsertMember(tx, workspaceId, actor);
    const added =
      tx.insert(memberTeams).values({ workspaceId, memberId, teamId: id }).onConflictDoNothing().run()
        .changes > 0;
    if (added)
      audit(tx, workspaceId, {
        actor: actor.platformUserId,
        action: "team.add",
        entity: `team:${team}`,
        newValue: { member: who.platformUserId },
      });
    return added;
  });
}

/** Removes a person from a team; false when they were not in it. */
export function removeTeamMember(
  db: Db,
  workspaceId: number,
  team: string,
  platformUserId: string,
  actor: ActorInput,
): boolean {
  return db.transaction((txn) => {
    const tx = txn as unknown as Db;
    const id = teamId(tx, workspaceId, team);
    const member = tx
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.workspaceId, workspaceId), eq(members.platformUserId, platformUserId)))
      .get();
    if (id === undefined || !member) return false;
    const removed =
      tx
        .delete(memberTeams)
        .where(
          and(
            eq(memberTeams.workspaceId, workspaceId),
            eq(memberTeams.teamId, id),
            eq(memberTeams.memberId, member.id),
          ),
        )
        .run().changes > 0;
    if (removed)
      audit(tx, workspaceId, {
        actor: actor.platformUserId,
        action: "team.remove",
        entity: `team:${team}`,
        oldValue: { member: platformUserId },
      });
    return removed;
  });
}

/** Turns "anyone may update any KR" on or off for a workspace. */
export function setOpenUpdates(db: Db, workspaceId: number, open: boolean, actor: ActorInput): void {
  db.transaction((txn) => {
    const tx = txn as unknown as Db;
    const before = tx
      .select({ v: workspaces.openUpdates })
      .from(workspaces)
      .where(eq(workspaces.id, workspaceId))
      .get()?.v;
    tx.update(workspaces).set({ openUpdates: open }).where(eq(workspaces.id, workspaceId)).run();
    audit(tx, workspaceId, {
      actor: actor.platformUserId,
      action: "settings.updates",
      entity: "workspace",
      oldValue: before,
      newValue: open,
    });
  });
}
