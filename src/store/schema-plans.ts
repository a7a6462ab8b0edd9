import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** A creation time in milliseconds, set by the database. */
export const createdAt = () =>
  integer("created_at", { mode: "timestamp_ms" }).notNull().default(sql`(unixepoch('subsec') * 1000)`);

/** A Slack team, Discord guild, or the local shell: the tenant every other row belongs to. */
export const workspaces = sqliteTable(
  "workspaces",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    platform: text("platform").notNull(),
    externalId: text("external_id").notNull(),
    name: text("name").notNull().default(""),
    /** IANA zone for schedules that name none; null means the configured DEFAULT_TIMEZONE. */
    timezone: text("timezone"),
    /** Default owner-reminder slot (ISO weekday 1–7, local HH:MM in each owner's zone). */
    reminderWeekday: integer("reminder_weekday").notNull().default(4),
    reminderTime: text("reminder_time").notNull().default("10:00"),
    /** Opt-in: anyone in the workspace may update any KR (default: owners, team members, admins). */
    openUpdates: integer("open_updates", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("workspaces_platform_external").on(t.platform, t.externalId)],
);

/** The plan a workspace tracks (one active plan per workspace). */
export const plans = sqliteTable(
  "plans",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    title: text("title").notNull(),
    source: text("source"),
    periodStart: text("period_start").notNull(),
    periodEnd: text("period_end").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("plans_workspace").on(t.workspaceId)],
);

export const goals = sqliteTable(
  "goals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull(),
    planId: integer("plan_id")
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    title: text("title").notNull(),
    description: text("description").notNull().default(""),
    position: integer("position").notNull(),
  },
  (t) => [uniqueIndex("goals_plan_key").on(t.planId, t.key)],
);

export const objectives = sqliteTable(
  "objectives",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull(),
    planId: integer("plan_id")
      .notNull()
      .references(() => plans.id, { onDelete: "cascade" }),
    goalId: integer("goal_id")
      .notNull()
      .references(() => goals.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    title: text("title").notNull(),
    position: integer("position").notNull(),
  },
  (t) => [uniqueIndex("objectives_plan_code").on(t.planId, t.code)],
);

/**
 * A key result. `progress`, `status` and `lastCheckin*` are the current state, written in the
 * same transaction as each check-in so that status never scans history.
 */
export const keyResults = sqliteTable(
  "key_results",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull(),
    objectiveId: integer("objective_id")
      .notNull()
      .references(() => objectives.id, { onDelete: "cascade" }),
    code: text("code").notNull(),
    localCode: text("local_code").notNull(),
    title: text("title").notNull(),
    text: text("text").notNull().default(""),
    programs: text("programs", { mode: "json" }).$type<string[]>().notNull().default([]),
    position: integer("position").notNull(),
    status: text("status").notNull().default("none"),
    progress: real("progress"),
    reportedProgress: real("reported_progress"),
    lastCheckinId: integer("last_checkin_id"),
    lastCheckinAt: integer("last_checkin_at", { mode: "timestamp_ms" }),
  },
  (t) => [uniqueIndex("key_results_workspace_code").on(t.workspaceId, t.code)],
);

/** A number a KR commits to; `currentValue` is the latest reported value. */
export const metrics = sqliteTable(
  "metrics",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull(),
    krId: integer("kr_id")
      .notNull()
      .references(() => keyResults.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    label: text("label").notNull(),
    unit: text("unit").notNull().default(""),
    baseline: real("baseline").notNull().default(0),
    target: real("target").notNull(),
    comparator: text("comparator").notNull(),
    position: integer("position").notNull(),
    currentValue: real("current_value"),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("metrics_kr_key").on(t.krId, t.key),
    index("metrics_workspace_kr").on(t.workspaceId, t.krId, t.position),
  ],
);

export const teams = sqliteTable(
  "teams",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
  },
  (t) => [uniqueIndex("teams_workspace_name").on(t.workspaceId, t.name)],
);

export const krTeams = sqliteTable(
  "kr_teams",
  {
    workspaceId: integer("workspace_id").notNull(),
    krId: integer("kr_id")
      .notNull()
      .references(() => keyResults.id, { onDelete: "cascade" }),
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.krId, t.teamId] }),
    index("kr_teams_team").on(t.teamId),
    index("kr_teams_workspace_kr").on(t.workspaceId, t.krId),
  ],
);

/** Who belongs to which plan team: team members may update the team's KRs. */
export const memberTeams = sqliteTable(
  "member_teams",
  {
    workspaceId: integer("workspace_id").notNull(),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    teamId: integer("team_id")
      .notNull()
      .references(() => teams.id, { onDelete: "cascade" }),
  },
  (t) => [
    primaryKey({ columns: [t.memberId, t.teamId] }),
    index("member_teams_workspace_team").on(t.workspaceId, t.teamId),
  ],
);

/** A person krbot has seen, by their platform user id within the workspace. */
export const members = sqliteTable(
  "members",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    platformUserId: text("platform_user_id").notNull(),
    displayName: text("display_name").notNull(),
    timezone: text("timezone"),
    /** Owner reminders: on unless the person turned them off; their own slot overrides the workspace's. */
    remindEnabled: integer("remind_enabled", { mode: "boolean" }).notNull().default(true),
    remindWeekday: integer("remind_weekday"),
    remindTime: text("remind_time"),
    /** The zone the person chose (settings zone, remind): for their reminders and the times they see. */
    remindTimezone: text("remind_timezone"),
    /** No reminders through this local date (YYYY-MM-DD), e.g. a holiday. */
    awayUntil: text("away_until"),
    /** The platform refused DMs to this person (Discord 50007); reminders are skipped, not retried. */
    dmBlocked: integer("dm_blocked", { mode: "boolean" }).notNull().default(false),
    /** The person last changed their reminder then: earlier occurrences are neither sent nor logged. */
    remindFrom: integer("remind_from", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("members_workspace_user").on(t.workspaceId, t.platformUserId)],
);

export const krOwners = sqliteTable(
  "kr_owners",
  {
    workspaceId: integer("workspace_id").notNull(),
    krId: integer("kr_id")
      .notNull()
      .references(() => keyResults.id, { onDelete: "cascade" }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.krId, t.memberId] }),
    index("kr_owners_member").on(t.memberId),
    index("kr_owners_workspace_kr").on(t.workspaceId, t.krId),
  ],
);

/**
 * A pause of reminders about one KR through `until` (a local date, YYYY-MM-DD). A person's own
 * snooze (`forEveryone` false) pauses only their reminder; an owner's or admin's pause for
 * everyone stops every owner's reminder about the KR. `memberId` is the person who snoozed.
 */
export const krSnoozes = sqliteTable(
  "kr_snoozes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull(),
    krId: integer("kr_id")
      .notNull()
      .references(() => keyResults.id, { onDelete: "cascade" }),
    memberId: integer("member_id")
      .notNull()
      .references(() => members.id, { onDelete: "cascade" }),
    forEveryone: integer("for_everyone", { mode: "boolean" }).notNull().default(false),
    until: text("until").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("kr_snoozes_person").on(t.krId, t.memberId).where(sql`${t.forEveryone} = 0`),
    uniqueIndex("kr_snoozes_everyone").on(t.krId).where(sql`${t.forEveryone} = 1`),
    index("kr_snoozes_workspace").on(t.workspaceId),
  ],
);

/** One check-in: what was reported, and what it replaced (for history, audit and undo). */
export const checkins = sqliteTable(
  "checkins",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull(),
    krId: integer("kr_id")
      .notNull()
      .references(() => keyResults.id, { onDelete: "cascade" }),
    authorId: integer("author_id")
      .notNull()
      .references(() => members.id),
    status: text("status").notNull(),
    previousStatus: text("previous_status").notNull(),
    reportedProgress: real("reported_progress"),
    progress: real("progress"),
    previousProgress: real("previous_progress"),
    note: text("note").notNull().default(""),
    requestId: text("request_id").notNull(),
    createdAt: createdAt(),
    /** Set when the author took this check-in back with /kr undo (the revision is in the audit log). */
    undoneAt: integer("undone_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("checkins_workspace_request").on(t.workspaceId, t.requestId),
    index("checkins_kr_created").on(t.krId, t.createdAt),
    index("checkins_workspace_created").on(t.workspaceId, t.createdAt),
    // One KR's history (history, charts, undo) and one author's latest (undo), without walking a
    // workspace's whole history: the planner prefers these to (workspace_id, created_at).
    index("checkins_workspace_kr_created").on(t.workspaceId, t.krId, t.createdAt),
    index("checkins_author_created").on(t.authorId, t.createdAt),
  ],
);

export const checkinValues = sqliteTable(
  "checkin_values",
  {
    workspaceId: integer("workspace_id").notNull(),
    checkinId: integer("checkin_id")
      .notNull()
      .references(() => checkins.id, { onDelete: "cascade" }),
    metricId: integer("metric_id")
      .notNull()
      .references(() => metrics.id, { onDelete: "cascade" }),
    value: real("value").notNull(),
    previousValue: real("previous_value"),
  },
  (t) => [
    primaryKey({ columns: [t.checkinId, t.metricId] }),
    index("checkin_values_workspace_checkin").on(t.workspaceId, t.checkinId),
  ],
);

/** Who changed what, old → new; written in the same transaction as the change. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    entity: text("entity").notNull(),
    oldValue: text("old_value", { mode: "json" }),
    newValue: text("new_value", { mode: "json" }),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_workspace_created").on(t.workspaceId, t.createdAt)],
);
