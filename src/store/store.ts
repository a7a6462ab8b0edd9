import type { KrStatus } from "../domain/kr-status.ts";
import type {
  ActorInput,
  CheckInBrief,
  CheckInExportRow,
  CheckInView,
  DigestSchedule,
  DigestScope,
  KrFilter,
  KrRef,
  KrSnooze,
  KrView,
  MemberSettings,
  MemberView,
  MetricView,
  ObjectiveView,
  PlanInfo,
  Workspace,
  WorkspaceSettings,
} from "../domain/model.ts";
import type { Plan } from "../domain/plan.ts";
import type { Platform, WorkspaceRef } from "../domain/platform.ts";

export type {
  ActorInput,
  CheckInBrief,
  CheckInExportRow,
  CheckInView,
  DigestSchedule,
  DigestScope,
  KrFilter,
  KrRef,
  KrSnooze,
  KrView,
  MemberSettings,
  MemberView,
  MetricView,
  ObjectiveView,
  PlanInfo,
  Workspace,
  WorkspaceSettings,
};

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

/** The result of recording a check-in; `duplicate` when the request id was seen before. */
export interface CheckInResult {
  checkIn: CheckInView;
  duplicate: boolean;
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

/**
 * Everything krbot persists. Every method but `ensureWorkspace` takes the workspace id and
 * touches only that workspace's rows. Async so that a networked backend can implement it too.
 */
export interface Store {
  ensureWorkspace(ref: WorkspaceRef): Promise<Workspace>;
  findWorkspace(ref: WorkspaceRef): Promise<Workspace | undefined>;

  getPlan(workspaceId: number): Promise<PlanInfo | undefined>;
  /**
   * Imports a plan in one transaction; refuses to replace an existing plan unless `replace`, which
   * keeps what hangs off surviving KRs and teams and reports exactly what it deleted.
   */
  importPlan(
    workspaceId: number,
    plan: Plan,
    opts: { actor: string; replace?: boolean },
  ): Promise<PlanImportResult>;
  exportPlan(workspaceId: number): Promise<Plan | undefined>;

  listObjectives(workspaceId: number): Promise<ObjectiveView[]>;
  listKeyResults(workspaceId: number): Promise<KrView[]>;
  /** The codes and titles of every KR: cheap, for resolving references before loading one KR. */
  listKrRefs(workspaceId: number): Promise<KrRef[]>;
  getKeyResult(workspaceId: number, krId: number): Promise<KrView | undefined>;
  /** A KR by its exact code (`IV.KR2`): the fast path before forgiving resolution. */
  findKrByCode(workspaceId: number, code: string): Promise<KrRef | undefined>;
  /** Only the KRs of one objective, owner or team, in plan order (a scoped status). */
  listKeyResultsWhere(workspaceId: number, filter: KrFilter): Promise<KrView[]>;

  /** Records a check-in exactly once per request id, updating the KR's current state atomically. */
  recordCheckIn(workspaceId: number, input: CheckInInput): Promise<CheckInResult>;
  listCheckIns(workspaceId: number, krId: number, limit: number): Promise<CheckInView[]>;

  findMember(
    workspaceId: number,
    query: { platformUserId?: string; displayName?: string },
  ): Promise<MemberView[]>;
  /** Adds an owner; false when they already owned the KR. */
  addOwner(workspaceId: number, krId: number, owner: ActorInput, actor: ActorInput): Promise<boolean>;
  /** Removes an owner; false when they did not own the KR. */
  removeOwner(workspaceId: number, krId: number, memberId: number, actor: ActorInput): Promise<boolean>;

  // ---- scheduling ----
  listWorkspaces(): Promise<Workspace[]>;
  getWorkspaceSettings(workspaceId: number): Promise<WorkspaceSettings>;
  setWorkspaceTimezone(workspaceId: number, timezone: string | null, actor: ActorInput): Promise<void>;
  listMembers(workspaceId: number): Promise<MemberSettings[]>;
  /** One person's settings (their chosen zone, reminder slot); undefined when krbot has not seen them. */
  getMemberSettings(workspaceId: number, platformUserId: string): Promise<MemberSettings | undefined>;
  /** Updates the given reminder settings of a person (creating the member if new). */
  setReminderSettings(
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
  ): Promise<void>;
  /**
   * Sets (`until` a date) or lifts (`until` null) the actor's own pause of reminders about a KR, or
   * with `forEveryone` the pause of every owner's; returns the date the replaced pause ran to.
   */
  snoozeKr(
    workspaceId: number,
    krId: number,
    until: string | null,
    actor: ActorInput,
    opts: { forEveryone: boolean; at: Date },
  ): Promise<{ previous: string | null }>;
  /** Every pause of reminders about KRs in the workspace, with who set it. */
  listSnoozes(workspaceId: number): Promise<KrSnooze[]>;
  upsertDigestSchedule(
    workspaceId: number,
    schedule: Omit<DigestSchedule, "id" | "workspaceId" | "failing">,
  ): Promise<{ schedule: DigestSchedule; replaced: boolean }>;
  /**
   * Marks a channel's digest as failing for good and, only when it was not failing already, queues
   * `notice` to the DMs of the person who created it (one transaction). True when newly marked.
   */
  markDigestFailing(
    workspaceId: number,
    channelId: string,
    failure: { reason: string; at: Date },
    /** The reply to queue, stored as JSON like every outbox message. */
    notice: unknown,
  ): Promise<boolean>;
  /** A digest reached its channel again: it is no longer failing. */
  clearDigestFailing(workspaceId: number, channelId: string): Promise<void>;
  removeDigestSchedule(workspaceId: number, channelId: string, actor: ActorInput): Promise<boolean>;
  listDigestSchedules(workspaceId: number): Promise<DigestSchedule[]>;
  checkInsBetween(workspaceId: number, from: Date, to: Date): Promise<CheckInBrief[]>;
  /**
   * Claims an occurrence and writes its messages to the outbox in one transaction. False (and
   * nothing written) when the occurrence was already claimed, by this process or another.
   */
  claimOccurrence(workspaceId: number, claim: ClaimInput, messages: OutboxMessage[]): Promise<boolean>;
  lastClaim(workspaceId: number, kind: ClaimInput["kind"], target: string): Promise<ClaimView | undefined>;
  listClaims(workspaceId: number, kind: ClaimInput["kind"], limit: number): Promise<ClaimView[]>;
  // ---- permissions, revisions, export ----
  setOpenUpdates(workspaceId: number, open: boolean, actor: ActorInput): Promise<void>;
  listTeamMembers(workspaceId: number, team: string): Promise<MemberView[]>;
  teamsOf(workspaceId: number, platformUserId: string): Promise<string[]>;
  addTeamMember(workspaceId: number, team: string, who: ActorInput, actor: ActorInput): Promise<boolean>;
  removeTeamMember(
    workspaceId: number,
    team: string,
    platformUserId: string,
    actor: ActorInput,
  ): Promise<boolean>;
  /** Takes back the author's latest check-in within `windowMs`, if no one checked in on that KR since. */
  undoLastCheckIn(workspaceId: number, author: string, now: Date, windowMs: number): Promise<UndoResult>;
  exportCheckIns(workspaceId: number, since?: Date): Promise<CheckInExportRow[]>;
  // ---- delivery (system-wide: the worker serves every workspace) ----
  /** Leases up to `limit` due outbox rows for `leaseMs`; rows leased by another live worker are skipped. */
  leaseDeliveries(now: Date, limit: number, leaseMs: number): Promise<Delivery[]>;
  markDelivered(id: number, messageId: string, at: Date): Promise<void>;
  markRetry(id: number, nextAttemptAt: Date, error: string): Promise<void>;
  markFailed(id: number, error: string): Promise<void>;

  close(): Promise<void>;
}
