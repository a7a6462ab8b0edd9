import type { KrStatus } from "../domain/kr-status.ts";
import type { ActorInput, CheckInView, PlanInfo } from "../domain/model.ts";
import type { Platform } from "../domain/platform.ts";

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
} from "../domain/model.ts";

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
  /** Attempts so far, this lease included. */
  attempts: number;
  /** The fencing token of this lease: every later change of the row must present it. */
  leaseToken: string;
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

export type {
  CheckInRepository,
  ClaimRepository,
  HealthRepository,
  KeyResultRepository,
  MemberRepository,
  OutboxLease,
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
