import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db.ts";
import { keyResults, krSnoozes, members } from "../schema.ts";
import type { ActorInput, KrSnooze, SnoozeRepository } from "../store.ts";
import { audit, upsertMember } from "./member-repo.ts";

/** Pauses of reminders about key results in SQLite. */
export class SqliteSnoozes implements SnoozeRepository {
  constructor(private readonly db: Db) {}

  /**
   * Sets (or with `until` null, lifts) a pause of reminders about one KR: the actor's own, or with
   * `forEveryone` the one that pauses every owner's. Returns the date the replaced pause ran to.
   */
  async set(
    workspaceId: number,
    krId: number,
    until: string | null,
    actor: ActorInput,
    opts: { forEveryone: boolean; at: Date },
  ): Promise<{ previous: string | null }> {
    return this.db.transaction((tx) => {
      const kr = tx
        .select({ code: keyResults.code })
        .from(keyResults)
        .where(and(eq(keyResults.workspaceId, workspaceId), eq(keyResults.id, krId)))
        .get();
      if (!kr) throw new Error(`no key result ${krId} in workspace ${workspaceId}`);
      const memberId = upsertMember(tx, workspaceId, actor);
      const which = and(
        eq(krSnoozes.workspaceId, workspaceId),
        eq(krSnoozes.krId, krId),
        eq(krSnoozes.forEveryone, opts.forEveryone),
        // A pause for everyone is one per KR, whoever set it; a person's own is theirs alone.
        ...(opts.forEveryone ? [] : [eq(krSnoozes.memberId, memberId)]),
      );
      const before = tx.delete(krSnoozes).where(which).returning({ until: krSnoozes.until }).get();
      if (until !== null) {
        tx.insert(krSnoozes)
          .values({ workspaceId, krId, memberId, forEveryone: opts.forEveryone, until, createdAt: opts.at })
          .run();
      }
      audit(tx, workspaceId, {
        actor: actor.platformUserId,
        action: opts.forEveryone ? "kr.snooze.everyone" : "kr.snooze",
        entity: `kr:${kr.code}`,
        oldValue: before?.until ?? null,
        newValue: until,
        at: opts.at,
      });
      return { previous: before?.until ?? null };
    });
  }

  async list(workspaceId: number): Promise<KrSnooze[]> {
    return this.db
      .select({
        krId: krSnoozes.krId,
        forEveryone: krSnoozes.forEveryone,
        until: krSnoozes.until,
        createdAt: krSnoozes.createdAt,
        id: members.id,
        platformUserId: members.platformUserId,
        displayName: members.displayName,
        timezone: members.timezone,
      })
      .from(krSnoozes)
      .innerJoin(members, eq(members.id, krSnoozes.memberId))
      .where(eq(krSnoozes.workspaceId, workspaceId))
      .orderBy(asc(krSnoozes.id))
      .all()
      .map(({ krId, forEveryone, until, createdAt, ...by }) => ({ krId, forEveryone, until, createdAt, by }));
  }
}
