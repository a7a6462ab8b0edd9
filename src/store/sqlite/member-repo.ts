import { and, asc, eq, sql } from "drizzle-orm";
import type { Conn, Db } from "../db.ts";
import { auditLog, members } from "../schema.ts";
import type { ActorInput, MemberRepository, MemberSettings, MemberView, ReminderSettings } from "../store.ts";

/** Inserts or refreshes a member (name and zone follow the platform) and returns its id. */
export function upsertMember(db: Conn, workspaceId: number, who: ActorInput): number {
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

/** Appends one audit entry; call inside the transaction that makes the change. */
export function audit(
  db: Conn,
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

const memberSettingsColumns = {
  id: members.id,
  platformUserId: members.platformUserId,
  displayName: members.displayName,
  timezone: members.timezone,
  remindEnabled: members.remindEnabled,
  remindWeekday: members.remindWeekday,
  remindTime: members.remindTime,
  remindTimezone: members.remindTimezone,
  awayUntil: members.awayUntil,
  dmBlocked: members.dmBlocked,
  remindFrom: members.remindFrom,
};

/** Members and their reminder settings in SQLite. */
export class SqliteMembers implements MemberRepository {
  constructor(private readonly db: Db) {}

  async find(
    workspaceId: number,
    query: { platformUserId?: string; displayName?: string },
  ): Promise<MemberView[]> {
    const conds = [eq(members.workspaceId, workspaceId)];
    if (query.platformUserId !== undefined) conds.push(eq(members.platformUserId, query.platformUserId));
    if (query.displayName !== undefined) {
      conds.push(sql`lower(${members.displayName}) = lower(${query.displayName})`);
    }
    return this.db
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

  async list(workspaceId: number): Promise<MemberSettings[]> {
    return this.db
      .select(memberSettingsColumns)
      .from(members)
      .where(eq(members.workspaceId, workspaceId))
      .orderBy(asc(members.id))
      .all();
  }

  async getSettings(workspaceId: number, platformUserId: string): Promise<MemberSettings | undefined> {
    return this.db
      .select(memberSettingsColumns)
      .from(members)
      .where(and(eq(members.workspaceId, workspaceId), eq(members.platformUserId, platformUserId)))
      .get();
  }

  async setReminderSettings(workspaceId: number, who: ActorInput, settings: ReminderSettings): Promise<void> {
    this.db.transaction((tx) => {
      const id = upsertMember(tx, workspaceId, who);
      tx.update(members)
        .set(settings)
        .where(and(eq(members.workspaceId, workspaceId), eq(members.id, id)))
        .run();
      audit(tx, workspaceId, {
        actor: who.platformUserId,
        action: "settings.reminders",
        entity: `member:${who.platformUserId}`,
        newValue: settings,
      });
    });
  }
}
