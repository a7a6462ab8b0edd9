import type { Platform } from "../core/invocation.ts";
import type { KrStatus } from "../core/reply.ts";
import type { Comparator } from "../core/status-math.ts";

/** A workspace row as the rest of the app sees it. */
export interface Workspace {
  id: number;
  platform: Platform;
  externalId: string;
}

/** A plan's header: what it is called and the period status math measures pace against. */
export interface PlanInfo {
  key: string;
  title: string;
  periodStart: string;
  periodEnd: string;
}

/** An objective with its position in the plan. */
export interface ObjectiveView {
  id: number;
  code: string;
  title: string;
  goalTitle: string;
}

/** A person as the store knows them. */
export interface MemberView {
  id: number;
  platformUserId: string;
  displayName: string;
  timezone: string | null;
}

/** A metric with its current value. */
export interface MetricView {
  id: number;
  key: string;
  label: string;
  unit: string;
  baseline: number;
  target: number;
  comparator: Comparator;
  current: number | null;
}

/** Just enough of a key result to resolve what a user typed (`IV.KR2`, `4.2`, a title word). */
export interface KrRef {
  id: number;
  code: string;
  title: string;
  objectiveCode: string;
}

/** Which KRs a scoped status reads: one objective's, one person's, or one team's. */
export type KrFilter = { objectiveCode: string } | { ownerId: string } | { team: string };

/** A key result with everything a status line needs, read without touching history. */
export interface KrView {
  id: number;
  code: string;
  title: string;
  text: string;
  objectiveCode: string;
  programs: string[];
  teams: string[];
  owners: MemberView[];
  metrics: MetricView[];
  status: KrStatus;
  progress: number | null;
  reportedProgress: number | null;
  lastCheckInAt: Date | null;
  lastNote: string | null;
}

/** Who is acting, so the store can upsert them as a member and name them in the audit log. */
export interface ActorInput {
  platformUserId: string;
  displayName: string;
  timezone?: string;
}

/** A check-in to record; values are keyed by metric id. */
export interface CheckInInput {
  krId: number;
  author: ActorInput;
  status?: Exclude<KrStatus, "none">;
  reportedProgress?: number;
  values: { metricId: number; value: number }[];
  note: string;
  requestId: string;
  at: Date;
}

/** One stored check-in with the values it set and the ones they replaced. */
export interface CheckInView {
  id: number;
  krId: number;
  author: string;
  status: KrStatus;
  previousStatus: KrStatus;
  progress: number | null;
  previousProgress: number | null;
  reportedProgress: number | null;
  note: string;
  at: Date;
  values: { key: string; label: string; value: number; previous: number | null }[];
  /** When the author took it back with /kr undo; null while in effect. */
  undoneAt: Date | null;
}

/** The result of recording a check-in; `duplicate` when the request id was seen before. */
export interface CheckInResult {
  checkIn: CheckInView;
  duplicate: boolean;
}

/** A person's reminder settings, as the scheduler needs them. */
export interface MemberSettings extends MemberView {
  remindEnabled: boolean;
  remindWeekday: number | null;
  remindTime: string | null;
  /**
   * The zone the person chose (`/kr settings zone`, `/kr remind … <zone>`): their reminders and the
   * times krbot shows them use it, over the zone their platform profile reports (`timezone`).
   */
  remindTimezone: string | null;
  awayUntil: string | null;
  dmBlocked: boolean;
  /** Reminder occurrences before this are neither sent nor logged (the person's last change). */
  remindFrom: Date | null;
}

/** A pause of reminders about one KR through `until` (YYYY-MM-DD, inclusive). */
export interface KrSnooze {
  krId: number;
  /** Who snoozed: the person whose own reminder it pauses, or who paused it for everyone. */
  by: MemberView;
  /** True: every owner's reminder about the KR is paused, not just `by`'s. */
  forEveryone: boolean;
  until: string;
  createdAt: Date;
}

/** Workspace-wide settings. */
export interface WorkspaceSettings {
  timezone: string | null;
  /** Anyone may update any KR (opt-in). */
  openUpdates: boolean;
  reminderWeekday: number;
  reminderTime: string;
}

/** What `importPlan` did: the plan it replaced (if any) and everything it deleted. */
export interface PlanImportResult {
  replaced?: PlanInfo;
  deleted: {
    /** Every check-in of the replaced plan. */
    checkIns: number;
    /** Codes of key results the new plan no longer has, with their owners and snoozes (counts). */
    keyResults: string[];
    owners: number;
    snoozes: number;
    /** Teams no KR of the new plan names, with how many members each had. */
    teams: { name: string; members: number }[];
    /** Channel digests scoped to an objective or team that is gone. */
    digests: { channelId: string; scope: string }[];
  };
}

/** What a channel digest covers. */
export type DigestScope =
  | { kind: "all" }
  | { kind: "objective"; value: string }
  | { kind: "team"; value: string };

/** A channel's weekly digest. */
export interface DigestSchedule {
  id: number;
  workspaceId: number;
  channelId: string;
  weekday: number;
  time: string;
  timezone: string | null;
  scope: DigestScope;
  createdBy: string;
  activeFrom: Date;
  /** Set while deliveries fail for good (the bot can't post there): since when, and why. */
  failing?: { since: Date; reason: string };
}

/** A message to write to the outbox with a claim; `threadOf` is an index into the same batch. */
export interface OutboxMessage {
  target: { channelId: string } | { userId: string };
  reply: unknown;
  threadOf?: number;
}

/** A claim: one decision for (kind, target, period), sent or skipped with a reason. */
export interface ClaimInput {
  kind: "digest" | "reminder";
  target: string;
  periodKey: string;
  scheduledFor: Date;
  claimedAt: Date;
  outcome: "sent" | "skipped";
  reason: string;
  snapshot?: Record<string, number | null>;
}

/** A recorded claim, for `krbot reminders log` and the digest's "change since". */
export interface ClaimView extends ClaimInput {
  id: number;
}

/** An outbox row the delivery worker has taken (leased) and must now send. */
export interface Delivery {
  id: number;
  workspaceId: number;
  platform: Platform;
  externalWorkspaceId: string;
  target: { channelId: string } | { userId: string };
  /** The platform message id of the row this one replies in the thread of, once sent. */
  threadMessageId?: string;
  reply: unknown;
  attempts: number;
}

/** What `/kr undo` did, or why it could not. */
export type UndoResult =
  | {
      ok: true;
      krCode: string;
      checkInId: number;
      restored: { status: string; progress: number | null; values: { key: string; value: number | null }[] };
    }
  | { ok: false; reason: "none" }
  | { ok: false; reason: "too_old"; krCode: string; ageMs: number }
  | { ok: false; reason: "superseded"; krCode: string };

/** One check-in as `krbot export checkins` writes it. */
export interface CheckInExportRow {
  at: Date;
  kr: string;
  authorId: string;
  author: string;
  status: string;
  progress: number | null;
  reportedProgress: number | null;
  values: Record<string, number>;
  note: string;
  undone: boolean;
}

/** A check-in in a time window, for digests. */
export interface CheckInBrief {
  krCode: string;
  author: string;
  at: Date;
}

export type {
  CheckInRepository,
  ClaimRepository,
  HealthRepository,
  KeyResultRepository,
  MemberRepository,
  OutboxRepository,
  OwnerRepository,
  PlanRepository,
  ReminderSettings,
  ScheduleRepository,
  SnoozeRepository,
  Store,
  TeamRepository,
  WorkspaceRepository,
} from "./repositories.ts";
