import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, workspaces } from "./schema-plans.ts";

/** A channel's weekly digest (one per channel). */
export const digestSchedules = sqliteTable(
  "digest_schedules",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    channelId: text("channel_id").notNull(),
    weekday: integer("weekday").notNull(),
    time: text("time").notNull(),
    /** Null: the workspace's zone. */
    timezone: text("timezone"),
    scopeKind: text("scope_kind").notNull().default("all"),
    scopeValue: text("scope_value"),
    createdBy: text("created_by").notNull(),
    /** Occurrences before this instant never fire (a new schedule does not fire for the past). */
    activeFrom: integer("active_from", { mode: "timestamp_ms" }).notNull(),
    /** Set when a delivery failed for good (the bot can't post there); cleared by a success or a change. */
    failingSince: integer("failing_since", { mode: "timestamp_ms" }),
    /** Why it fails, in words a person can act on. */
    failingReason: text("failing_reason"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("digest_schedules_channel").on(t.workspaceId, t.channelId)],
);

/**
 * One decision per (kind, target, period): whoever inserts it first acts. A digest is keyed by
 * channel and ISO week, a reminder by owner and ISO week, so no restart, replica or schedule
 * change can make the same period fire twice. Skips are claims too, with their reason.
 */
export const occurrenceClaims = sqliteTable(
  "occurrence_claims",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    kind: text("kind").notNull(),
    target: text("target").notNull(),
    periodKey: text("period_key").notNull(),
    scheduledFor: integer("scheduled_for", { mode: "timestamp_ms" }).notNull(),
    claimedAt: integer("claimed_at", { mode: "timestamp_ms" }).notNull(),
    outcome: text("outcome").notNull(),
    reason: text("reason").notNull().default(""),
    /** Digest: KR code → progress at this digest, for next week's "change since". */
    snapshot: text("snapshot", { mode: "json" }).$type<Record<string, number | null>>(),
  },
  (t) => [
    uniqueIndex("occurrence_claims_once").on(t.workspaceId, t.kind, t.target, t.periodKey),
    index("occurrence_claims_recent").on(t.workspaceId, t.kind, t.claimedAt),
  ],
);

/** Messages to send, written in the claim's transaction; the delivery worker sends each once. */
export const outbox = sqliteTable(
  "outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    workspaceId: integer("workspace_id")
      .notNull()
      .references(() => workspaces.id, { onDelete: "cascade" }),
    claimId: integer("claim_id").references(() => occurrenceClaims.id, { onDelete: "cascade" }),
    channelId: text("channel_id"),
    userId: text("user_id"),
    /** Post in the thread of this earlier row's message (Slack digest details). */
    threadOf: integer("thread_of"),
    /** Wait until this earlier row is sent (or failed): the next part of one reply split into messages. */
    afterId: integer("after_id"),
    reply: text("reply", { mode: "json" }).notNull(),
    status: text("status").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at", { mode: "timestamp_ms" }).notNull(),
    /** While status is "sending": another worker may take the row over after this instant. */
    leaseUntil: integer("lease_until", { mode: "timestamp_ms" }),
    /** While status is "sending": the holder's random token; every state change must present it (fencing). */
    leaseToken: text("lease_token"),
    lastError: text("last_error"),
    messageId: text("message_id"),
    sentAt: integer("sent_at", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
  },
  (t) => [index("outbox_due").on(t.status, t.nextAttemptAt)],
);
