import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { auditLog, members } from "../schema.ts";
import type { ActorInput, MemberView } from "../store.ts";

/** Inserts or refreshes a member (name and zone follow the platform) and returns its id. */
export function upsertMember(db: Db, workspaceId: number, who: ActorInput): number {
  const row = db
    .insert(members)
    .values({
      workspaceId,
      platformUserId: who.platformUserId,
      displayName: who.displayName,
      timezone: who.timezone ?? null,
    })
    .onConflictDoUpdate({
      target: [members.workspaceId, members.platformUserId],
      set: {
        displayName: sql`excluded.display_name`,
        timezone: sql`coalesce(excluded.timezone, ${members.timezone})`,
      },
    })
    .returning({ id: members.id })
    .get();
  return row.id;
}

/** Finds members by platform id or (case-insensitively) by display name. */
export function findMember(
  db: Db,
  workspaceId: number,
  query: { platformUserId?: string; displayName?: string },
): MemberView[] {
  const conds = [eq(members.workspaceId, workspaceId)];
  if (query.platformUserId !== undefined) conds.push(eq(members.platformUserId, query.platformUserId));
  if (query.displayName !== undefined) {
    conds.push(sql`lower(${members.displayName}) = lower(${query.displayName})`);
  }
  return db
    .select({
      id: members.id,
      platformUserId: members.platformUserId,
      displayName: members.displayName,
      timezone: members.timezone,
    })
    .from(members)
    .where(and(...conds))
    .all();
}

/** Appends one audit entry; call inside the transaction that makes the change. */
export function audit(
  db: Db,
  workspaceId: number,
  entry: { actor: string; action: string; entity: string; oldValue?: unknown; newValue?: unknown; at?: Date },
): void {
  db.insert(auditLog)
    .values({
      workspaceId,
      actor: entry.actor,
      action: entry.action,
      entity: entry.entity,
      oldValue: entry.oldValue ?? null,
      newValue: entry.newValue ?? null,
      ...(entry.at ? { createdAt: entry.at } : {}),
    })
    .run();
}
