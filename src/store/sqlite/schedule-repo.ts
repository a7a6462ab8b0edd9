import { and, asc, eq, gte, isNotNull, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { checkins, digestSchedules, keyResults, members, outbox, workspaces } from "../schema.ts";
import type {
  ActorInput,
  CheckInBrief,
  DigestSchedule,
  DigestScope,
  MemberSettings,
  Workspace,
  WorkspaceSettings,
} from "../store.ts";
import { audit, upsertMember } from "./member-repo.ts";

export function listWorkspaces(db: Db): Workspace[] {
  return db
    .select({ id: workspaces.id, platform: workspaces.platform, externalId: workspaces.externalId })
    .from(workspaces)
    .orderBy(asc(workspaces.id))
    .all()
    .map((w) => ({ ...w, platform: w.platform as Workspace["platform"] }));
}

export function getWorkspaceSettings(db: Db, workspaceId: number): WorkspaceSettings {
  const row = db
    .select({
      timezone: workspaces.timezone,
      openUpdates: workspaces.openUpdates,
      reminderWeekday: workspaces.reminderWeekday,
      reminderTime: workspaces.reminderTime,
    })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId))
    .get();
  return row ?? { timezone: null, openUpdates: false, reminderWeekday: 4, reminderTime: "10:00" };
}

export function setWorkspaceTimezone(
  db: Db,
  workspaceId: number,
  timezone: string | null,
  actor: ActorInput,
): void {
  db.transaction((txn) => {
    const tx = txn as unknown as Db;
    const before = getWorkspaceSettings(tx, workspaceId).timezone;
    tx.update(workspaces).set({ timezone }).where(eq(workspaces.id, workspaceId)).run();
    audit(tx, workspaceId, {
      actor: actor.platformUserId,
      action: "settings.timezone",
      entity: "workspace",
      oldValue: before,
      newValue: timezone,
    });
  });
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

/** One person's settings, by platform user id; undefined when krbot has not seen them. */
export function getMemberSettings(
  db: Db,
  workspaceId: number,
  platformUserId: string,
): MemberSettings | undefined {
  return db
    .select(memberSettingsColumns)
    .from(members)
    .where(and(eq(members.workspaceId, workspaceId), eq(members.platformUserId, platformUserId)))
    .get();
}

export function listMembers(db: Db, workspaceId: number): MemberSettings[] {
  return db
    .select(memberSettingsColumns)
    .from(members)
    .where(eq(members.workspaceId, workspaceId))
    .orderBy(asc(members.id))
    .all();
}

export function setReminderSettings(
  db: Db,
  workspaceId: number,
  who: ActorInput,
  settings: Partial<
    Pick<
      MemberSettings,
      | "remindEnabled"
      | "remindWeekday"
      | "remindTime"
      | "remindTimezone"
      | "awayUntil"
      | "dmBlocked"
      | "remindFrom"
    >
  >,
): void {
  db.transaction((txn) => {
    const tx = txn as unknown as Db;
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

function toSchedule(row: typeof digestSchedules.$inferSelect): DigestSchedule {
  const scope: DigestScope =
    row.scopeKind === "objective" || row.scopeKind === "team"
      ? { kind: row.scopeKind, value: row.scopeValue ?? "" }
      : { kind: "all" };
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    channelId: row.channelId,
    weekday: row.weekday,
    time: row.time,
    timezone: row.timezone,
    scope,
    createdBy: row.createdBy,
    activeFrom: row.activeFrom,
    ...(row.failingSince ? { failing: { since: row.failingSince, reason: row.failingReason ?? "" } } : {}),
  };
}

export function upsertDigestSchedule(
  db: Db,
  workspaceId: number,
  s: Omit<DigestSchedule, "id" | "workspaceId" | "failing">,
): { schedule: DigestSchedule; replaced: boolean } {
  return db.transaction((txn) => {
    const tx = txn as unknown as Db;
    const existing = tx
      .select()
      .from(digestSchedules)
      .where(and(eq(digestSchedules.workspaceId, workspaceId), eq(digestSchedules.channelId, s.channelId)))
      .get();
    const values = {
      workspaceId,
      channelId: s.channelId,
      weekday: s.weekday,
      time: s.time,
      timezone: s.timezone,
      scopeKind: s.scope.kind,
      scopeValue: s.scope.kind === "all" ? null : s.scope.value,
      createdBy: s.createdBy,
      activeFrom: s.activeFrom,
      // Set up again (perhaps after inviting the bot): try again before calling it failing.
      failingSince: null,
      failingReason: null,
    };
    const row = existing
      ? tx.update(digestSchedules).set(values).where(eq(digestSchedules.id, existing.id)).returning().get()
      : tx.insert(digestSchedules).values(values).returning().get();
    audit(tx, workspaceId, {
      actor: s.createdBy,
      action: existing ? "digest.change" : "digest.add",
      entity: `channel:${s.channelId}`,
      oldValue: existing ? toSchedule(existing) : null,
      newValue: values,
    });
    return { schedule: toSchedule(row), replaced: Boolean(existing) };
  });
}

export function removeDigestSchedule(
  db: Db,
  workspaceId: number,
  channelId: string,
  actor: ActorInput,
): boolean {
  return db.transaction((txn) => {
    const tx = txn as unknown as Db;
    const removed = tx
      .delete(digestSchedules)
      .where(and(eq(digestSchedules.workspaceId, workspaceId), eq(digestSchedules.channelId, channelId)))
      .returning()
      .all();
    if (removed[0]) {
      audit(tx, workspaceId, {
        actor: actor.platformUserId,
        action: "digest.remove",
        entity: `channel:${channelId}`,
        oldValue: toSchedule(removed[0]),
      });
    }
    return removed.length > 0;
  });
}

export function markDigestFailing(
  db: Db,
  workspaceId: number,
  channelId: string,
  failure: { reason: string; at: Date },
  notice: unknown,
): boolean {
  return db.transaction(
    (txn) => {
      const tx = txn as unknown as Db;
      const marked = tx
        .update(digestSchedules)
        .set({ failingSince: failure.at, failingReason: failure.reason })
        .where(
          and(
            eq(digestSchedules.workspaceId, workspaceId),
            eq(digestSchedules.channelId, channelId),
            isNull(digestSchedules.failingSince),
          ),
        )
        .returning({ createdBy: digestSchedules.createdBy })
        .get();
      if (!marked) return false;
      tx.insert(outbox)
        .values({ workspaceId, userId: marked.createdBy, reply: notice, nextAttemptAt: failure.at })
        .run();
      return true;
    },
    { behavior: "immediate" },
  );
}

export function clearDigestFailing(db: Db, workspaceId: number, channelId: string): void {
  db.update(digestSchedules)
    .set({ failingSince: null, failingReason: null })
    .where(
      and(
        eq(digestSchedules.workspaceId, workspaceId),
        eq(digestSchedules.channelId, channelId),
        isNotNull(digestSchedules.failingSince),
      ),
    )
    .run();
}

export function listDigestSchedules(db: Db, workspaceId: number): DigestSchedule[] {
  return db
    .select()
    .from(digestSchedules)
    .where(eq(digestSchedules.workspaceId, workspaceId))
    .orderBy(asc(digestSchedules.id))
    .all()
    .map(toSchedule);
}

/** Check-ins in [from, to), via the (workspace_id, created_at) index. */
export function checkInsBetween(db: Db, workspaceId: number, from: Date, to: Date): CheckInBrief[] {
  return db
    .select({ krCode: keyResults.code, author: members.displayName, at: checkins.createdAt })
    .from(checkins)
    .innerJoin(keyResults, eq(keyResults.id, checkins.krId))
    .innerJoin(members, eq(members.id, checkins.authorId))
    .where(
      and(
        eq(checkins.workspaceId, workspaceId),
        gte(checkins.createdAt, from),
        lt(checkins.createdAt, to),
        isNull(checkins.undoneAt),
      ),
    )
    .orderBy(asc(checkins.createdAt), sql`${checkins.id}`)
    .all();
}
