import type { Platform, WorkspaceRef } from "../core/invocation.ts";
import type { KrStatus } from "../core/reply.ts";
import type { Comparator } from "../core/status-math.ts";
import type { Plan } from "../plan/schema.ts";

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
}

/** The result of recording a check-in; `duplicate` when the request id was seen before. */
export interface CheckInResult {
  checkIn: CheckInView;
  duplicate: boolean;
}

/**
 * Everything krbot persists. Every method but `ensureWorkspace` takes the workspace id and
 * touches only that workspace's rows. Async so that a networked backend can implement it too.
 */
export interface Store {
  ensureWorkspace(ref: WorkspaceRef): Promise<Workspace>;
  findWorkspace(ref: WorkspaceRef): Promise<Workspace | undefined>;

  getPlan(workspaceId: number): Promise<PlanInfo | undefined>;
  /** Imports a plan in one transaction; refuses to replace an existing plan unless `replace`. */
  importPlan(workspaceId: number, plan: Plan, opts: { actor: string; replace?: boolean }): Promise<void>;
  exportPlan(workspaceId: number): Promise<Plan | undefined>;

  listObjectives(workspaceId: number): Promise<ObjectiveView[]>;
  listKeyResults(workspaceId: number): Promise<KrView[]>;
  /** The codes and titles of every KR: cheap, for resolving references before loading one KR. */
  listKrRefs(workspaceId: number): Promise<KrRef[]>;
  getKeyResult(workspaceId: number, krId: number): Promise<KrView | undefined>;

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

  close(): Promise<void>;
}
