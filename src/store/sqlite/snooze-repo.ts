import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db.ts";
import { keyResults, krSnoozes, members } from "../schema.ts";
import type { ActorInput, KrSnooze } from "../store.ts";
import { audit, upsertMember } from "./member-repo.ts";

/**
 * Sets (or with `until` null, lifts) a pause of reminders about one KR: the actor's own, or with
 * `forEveryone` the one that pauses every owner's. Returns the date the replaced pause ran to.
 */
export function snoozeKr(
  db: Db,
  workspaceId: number,
  krId: number,
  until: string | null,
  actor: ActorInput,
  opts: { forEveryone: boolean; at: Date },
): { previous: string | null } {
  return db.transaction((txn) => {
    const tx = txn as unknown as Db;
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

/** Every pause of reminders in the workspace, with who set it. */
export function listSnoozes(db: Db, workspaceId: number): KrSnooze[] {
  return db
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
