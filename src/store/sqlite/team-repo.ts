import { and, asc, eq } from "drizzle-orm";
import type { Conn, Db } from "../db.ts";
import { members, memberTeams, teams } from "../schema.ts";
import type { ActorInput, MemberView, TeamRepository } from "../store.ts";
import { audit, upsertMember } from "./member-repo.ts";

function teamId(db: Conn, workspaceId: number, name: string): number | undefined {
  return db
    .select({ id: teams.id })
    .from(teams)
    .where(and(eq(teams.workspaceId, workspaceId), eq(teams.name, name)))
    .get()?.id;
}

/** Plan teams and their members in SQLite. */
export class SqliteTeams implements TeamRepository {
  constructor(private readonly db: Db) {}

  async listMembers(workspaceId: number, team: string): Promise<MemberView[]> {
    const id = teamId(this.db, workspaceId, team);
    if (id === undefined) return [];
    return this.db
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

  async teamsOf(workspaceId: number, platformUserId: string): Promise<string[]> {
    return this.db
      .select({ name: teams.name })
      .from(memberTeams)
      .innerJoin(teams, eq(teams.id, memberTeams.teamId))
      .innerJoin(members, eq(members.id, memberTeams.memberId))
      .where(and(eq(memberTeams.workspaceId, workspaceId), eq(members.platformUserId, platformUserId)))
      .all()
      .map((r) => r.name);
  }

  async addMember(workspaceId: number, team: string, who: ActorInput, actor: ActorInput): Promise<boolean> {
    return this.db.transaction((tx) => {
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

  async removeMember(
    workspaceId: number,
    team: string,
    platformUserId: string,
    actor: ActorInput,
  ): Promise<boolean> {
    return this.db.transaction((tx) => {
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
}
