import type { Plan } from "../domain/plan.ts";
import type { WorkspaceRef } from "../domain/platform.ts";
import type {
  ActorInput,
  CheckInBrief,
  CheckInExportRow,
  CheckInInput,
  CheckInResult,
  CheckInView,
  ClaimInput,
  ClaimView,
  Delivery,
  DigestSchedule,
  KrFilter,
  KrRef,
  KrSnooze,
  KrView,
  MemberSettings,
  MemberView,
  ObjectiveView,
  OutboxMessage,
  PlanImportResult,
  PlanInfo,
  UndoResult,
  Workspace,
  WorkspaceSettings,
} from "./store.ts";

// Every method that takes a workspace id touches only that workspace's rows. Every method is
// async so that a networked backend (PostgreSQL) implements the same interfaces.

/** Workspaces and their workspace-wide settings. */
export interface WorkspaceRepository {
  /** The workspace for a platform team or guild, created on first sight. */
  ensure(ref: WorkspaceRef): Promise<Workspace>;
  find(ref: WorkspaceRef): Promise<Workspace | undefined>;
  /** Every workspace, oldest first (the scheduler serves them all). */
  list(): Promise<Workspace[]>;
  /** The workspace's settings; defaults when the workspace is unknown. */
  settings(workspaceId: number): Promise<WorkspaceSettings>;
  setTimezone(workspaceId: number, timezone: string | null, actor: ActorInput): Promise<void>;
  /** Turns "anyone may update any KR" on or off. */
  setOpenUpdates(workspaceId: number, open: boolean, actor: ActorInput): Promise<void>;
}

/** The workspace's plan: its header, its objectives, import and export. */
export interface PlanRepository {
  get(workspaceId: number): Promise<PlanInfo | undefined>;
  /**
   * Imports a plan in one transaction; refuses to replace an existing plan unless `replace`, which
   * keeps what hangs off surviving KRs and teams and reports exactly what it deleted.
   */
  import(
    workspaceId: number,
    plan: Plan,
    opts: { actor: string; replace?: boolean },
  ): Promise<PlanImportResult>;
  /** The plan in the plan-file shape: importing it gives the same plan. */
  export(workspaceId: number): Promise<Plan | undefined>;
  listObjectives(workspaceId: number): Promise<ObjectiveView[]>;
}

/** Key results with their current state (read without touching check-in history). */
export interface KeyResultRepository {
  /** Every KR, in plan order. */
  list(workspaceId: number): Promise<KrView[]>;
  /** The codes and titles of every KR: cheap, for resolving references before loading one KR. */
  listRefs(workspaceId: number): Promise<KrRef[]>;
  get(workspaceId: number, krId: number): Promise<KrView | undefined>;
  /** A KR by its exact code (`IV.KR2`): the fast path before forgiving resolution. */
  findByCode(workspaceId: number, code: string): Promise<KrRef | undefined>;
  /** Only the KRs of one objective, owner or team, in plan order (a scoped status). */
  listWhere(workspaceId: number, filter: KrFilter): Promise<KrView[]>;
}

/** Check-ins: recording, history, undo and export. */
export interface CheckInRepository {
  /**
   * Records a check-in exactly once per request id, updating the KR's current state atomically.
   * Throws (writing nothing) when the KR or a metric is not the workspace's.
   */
  record(workspaceId: number, input: CheckInInput): Promise<CheckInResult>;
  /** The latest check-ins of one KR, newest first. */
  list(workspaceId: number, krId: number, limit: number): Promise<CheckInView[]>;
  /** Check-ins in effect created in [from, to), oldest first (for digests). */
  between(workspaceId: number, from: Date, to: Date): Promise<CheckInBrief[]>;
  /** Every check-in (since a date), oldest first, undone ones included and marked. */
  export(workspaceId: number, since?: Date): Promise<CheckInExportRow[]>;
  /** Takes back the author's latest check-in within `windowMs`, if no one checked in on that KR since. */
  undoLast(workspaceId: number, author: string, now: Date, windowMs: number): Promise<UndoResult>;
}

/** The reminder settings a person can change. */
export type ReminderSettings = Partial<
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
>;

/** People krbot has seen, with their reminder and zone settings. */
export interface MemberRepository {
  /** Members by platform id or (case-insensitively) by display name. */
  find(workspaceId: number, query: { platformUserId?: string; displayName?: string }): Promise<MemberView[]>;
  list(workspaceId: number): Promise<MemberSettings[]>;
  /** One person's settings (their chosen zone, reminder slot); undefined when krbot has not seen them. */
  getSettings(workspaceId: number, platformUserId: string): Promise<MemberSettings | undefined>;
  /** Updates the given reminder settings of a person (creating the member if new). */
  setReminderSettings(workspaceId: number, who: ActorInput, settings: ReminderSettings): Promise<void>;
}

/** Who owns which key result. */
export interface OwnerRepository {
  /** Adds an owner; false when they already owned the KR. Throws if the KR is not in the workspace. */
  add(workspaceId: number, krId: number, owner: ActorInput, actor: ActorInput): Promise<boolean>;
  /** Removes an owner; false when they did not own the KR. Throws if the KR is not in the workspace. */
  remove(workspaceId: number, krId: number, memberId: number, actor: ActorInput): Promise<boolean>;
}

/** Plan teams and who is in them. */
export interface TeamRepository {
  /** The members of a team (by exact name), by display name. */
  listMembers(workspaceId: number, team: string): Promise<MemberView[]>;
  /** The teams a person belongs to. */
  teamsOf(workspaceId: number, platformUserId: string): Promise<string[]>;
  /** Adds a person to a team; false when they were already in it. Throws if the team does not exist. */
  addMember(workspaceId: number, team: string, who: ActorInput, actor: ActorInput): Promise<boolean>;
  /** Removes a person from a team; false when they were not in it. */
  removeMember(
    workspaceId: number,
    team: string,
    platformUserId: string,
    actor: ActorInput,
  ): Promise<boolean>;
}

/** Channel digests: one schedule per channel. */
export interface ScheduleRepository {
  upsertDigest(
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
  removeDigest(workspaceId: number, channelId: string, actor: ActorInput): Promise<boolean>;
  listDigests(workspaceId: number): Promise<DigestSchedule[]>;
}

/** Pauses of reminders about key results. */
export interface SnoozeRepository {
  /**
   * Sets (`until` a date) or lifts (`until` null) the actor's own pause of reminders about a KR, or
   * with `forEveryone` the pause of every owner's; returns the date the replaced pause ran to.
   * Throws if the KR is not in the workspace.
   */
  set(
    workspaceId: number,
    krId: number,
    until: string | null,
    actor: ActorInput,
    opts: { forEveryone: boolean; at: Date },
  ): Promise<{ previous: string | null }>;
  /** Every pause of reminders about KRs in the workspace, with who set it. */
  list(workspaceId: number): Promise<KrSnooze[]>;
}

/** Exactly-once decisions about scheduled occurrences. */
export interface ClaimRepository {
  /**
   * Claims an occurrence and writes its messages to the outbox in one transaction. False (and
   * nothing written) when the occurrence was already claimed, by this process or another.
   */
  claim(workspaceId: number, claim: ClaimInput, messages: OutboxMessage[]): Promise<boolean>;
  /** The claim with the latest scheduled time for a target. */
  last(workspaceId: number, kind: ClaimInput["kind"], target: string): Promise<ClaimView | undefined>;
  /** The latest claims of a kind, newest claimed first. */
  list(workspaceId: number, kind: ClaimInput["kind"], limit: number): Promise<ClaimView[]>;
}

/** A lease on one outbox row: the row and the token its holder must present (see {@link OutboxRepository}). */
export interface OutboxLease {
  id: number;
  token: string;
}

/**
 * The outbox the delivery worker drains (system-wide: the worker serves every workspace).
 *
 * Leases are fenced: `lease` gives each row a fresh random token, and every later change of the row
 * (`renew`, `release`, `split`, `mark…`) names that token and changes nothing (false / 0) once another
 * worker has leased the row since. So a worker whose lease ran out can never mark, split or re-send a
 * row someone else now holds.
 */
export interface OutboxRepository {
  /**
   * Leases up to `limit` due rows until `now + leaseMs`, each under a new token, counting one attempt.
   * Due: pending with its retry time reached, or "sending" with its lease run out (a dead worker); and
   * the row it waits for (`threadOf` parent, previous part) is sent or failed. Never the same row to two
   * callers at once.
   */
  lease(now: Date, limit: number, leaseMs: number): Promise<Delivery[]>;
  /** Extends a held lease to `until`; false (nothing changed) when the token no longer holds the row. */
  renew(id: number, token: string, until: Date): Promise<boolean>;
  /**
   * Gives held rows back unsent: pending, due at once, the attempt their lease counted taken back.
   * Rows whose token no longer holds them are left alone; returns how many were released.
   */
  release(leases: OutboxLease[]): Promise<number>;
  /**
   * Splits a held row into one row per platform message, in one transaction: the row keeps `parts[0]`
   * (and its lease), and `parts[1…]` are queued behind it, each waiting for the one before, with the
   * same target and thread; rows that waited for the row now wait for its last part. False (nothing
   * changed) when the token no longer holds the row.
   */
  split(id: number, token: string, parts: unknown[]): Promise<boolean>;
  /** Records the platform's message id: sent for good. False (nothing changed) on a lost lease. */
  markDelivered(id: number, token: string, messageId: string, at: Date): Promise<boolean>;
  /** Back to pending until `nextAttemptAt` (the attempt counts). False (nothing changed) on a lost lease. */
  markRetry(id: number, token: string, nextAttemptAt: Date, error: string): Promise<boolean>;
  /** Given up for good. False (nothing changed) on a lost lease. */
  markFailed(id: number, token: string, error: string): Promise<boolean>;
}

/** What operators ask of the store: is it answering, how deep is the outbox, a backup. */
export interface HealthRepository {
  /** Resolves when the database answers a trivial query; rejects with the reason when it does not. */
  check(): Promise<void>;
  /** Outbox rows per status (`pending`, `sending`, `sent`, `failed`); absent statuses are omitted. */
  outboxDepth(): Promise<Record<string, number>>;
  /** Copies the live database to `file`, consistent while the bot runs. */
  backup(file: string): Promise<void>;
}

/** Everything krbot persists, one repository per area. */
export interface Store {
  readonly workspaces: WorkspaceRepository;
  readonly plans: PlanRepository;
  readonly keyResults: KeyResultRepository;
  readonly checkIns: CheckInRepository;
  readonly members: MemberRepository;
  readonly owners: OwnerRepository;
  readonly teams: TeamRepository;
  readonly schedules: ScheduleRepository;
  readonly snoozes: SnoozeRepository;
  readonly claims: ClaimRepository;
  readonly outbox: OutboxRepository;
  readonly health: HealthRepository;
  close(): Promise<void>;
}
