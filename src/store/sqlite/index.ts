import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { and, eq } from "drizzle-orm";
import type { Plan } from "../../domain/plan.ts";
import type { WorkspaceRef } from "../../domain/platform.ts";
import { type Db, openDatabase } from "../db.ts";
import { runMigrations } from "../migrate.ts";
import { workspaces } from "../schema.ts";
import type {
  ActorInput,
  CheckInInput,
  ClaimInput,
  KrFilter,
  OutboxMessage,
  Store,
  Workspace,
} from "../store.ts";
import { exportCheckIns, listCheckIns, prepareCheckIns } from "./checkin-repo.ts";
import * as claims from "./claim-repo.ts";
import { prepareKrQueries } from "./kr-repo.ts";
import { findMember } from "./member-repo.ts";
import { addOwner, removeOwner } from "./owner-repo.ts";
import { importPlan } from "./plan-import.ts";
import { exportPlan, getPlan } from "./plan-repo.ts";
import * as sched from "./schedule-repo.ts";
import * as snoozes from "./snooze-repo.ts";
import * as teamRepo from "./team-repo.ts";
import { undoLastCheckIn } from "./undo-repo.ts";

/** The embedded store: SQLite through Drizzle, migrated on open. */
export class SqliteStore implements Store {
  private readonly krQueries: ReturnType<typeof prepareKrQueries>;
  private readonly recordCheckInNow: ReturnType<typeof prepareCheckIns>;

  private constructor(readonly db: Db) {
    this.krQueries = prepareKrQueries(db);
    this.recordCheckInNow = prepareCheckIns(db);
  }

  /** Opens the database at `url` (a file path or `:memory:`) and applies pending migrations. */
  static open(url: string): SqliteStore {
    const db = openDatabase(url);
    runMigrations(db);
    return new SqliteStore(db);
  }

  async ensureWorkspace(ref: WorkspaceRef): Promise<Workspace> {
    const found = await this.findWorkspace(ref);
    if (found) return found;
    this.db
      .insert(workspaces)
      .values({ platform: ref.platform, externalId: ref.id })
      .onConflictDoNothing()
      .run();
    return (await this.findWorkspace(ref)) as Workspace;
  }

  async findWorkspace(ref: WorkspaceRef): Promise<Workspace | undefined> {
    const row = this.db
      .select({ id: workspaces.id, platform: workspaces.platform, externalId: workspaces.externalId })
      .from(workspaces)
      .where(and(eq(workspaces.platform, ref.platform), eq(workspaces.externalId, ref.id)))
      .get();
    return row ? { ...row, platform: row.platform as Workspace["platform"] } : undefined;
  }

  async getPlan(workspaceId: number) {
    return getPlan(this.db, workspaceId);
  }
  async importPlan(workspaceId: number, plan: Plan, opts: { actor: string; replace?: boolean }) {
    return importPlan(this.db, workspaceId, plan, opts);
  }
  async exportPlan(workspaceId: number) {
    return exportPlan(this.db, workspaceId);
  }
  async listObjectives(workspaceId: number) {
    return this.krQueries.listObjectives(workspaceId);
  }
  async listKeyResults(workspaceId: number) {
    return this.krQueries.listKeyResults(workspaceId);
  }
  async listKrRefs(workspaceId: number) {
    return this.krQueries.listKrRefs(workspaceId);
  }
  async getKeyResult(workspaceId: number, krId: number) {
    return this.krQueries.getKeyResult(workspaceId, krId);
  }
  async findKrByCode(workspaceId: number, code: string) {
    return this.krQueries.findKrByCode(workspaceId, code);
  }
  async listKeyResultsWhere(workspaceId: number, filter: KrFilter) {
    return this.krQueries.listKeyResultsWhere(workspaceId, filter);
  }
  async recordCheckIn(workspaceId: number, input: CheckInInput) {
    return this.recordCheckInNow(workspaceId, input);
  }
  async listCheckIns(workspaceId: number, krId: number, limit: number) {
    return listCheckIns(this.db, workspaceId, krId, limit);
  }
  async findMember(workspaceId: number, query: { platformUserId?: string; displayName?: string }) {
    return findMember(this.db, workspaceId, query);
  }
  async addOwner(workspaceId: number, krId: number, owner: ActorInput, actor: ActorInput) {
    return addOwner(this.db, workspaceId, krId, owner, actor);
  }
  async removeOwner(workspaceId: number, krId: number, memberId: number, actor: ActorInput) {
    return removeOwner(this.db, workspaceId, krId, memberId, actor);
  }

  async listWorkspaces() {
    return sched.listWorkspaces(this.db);
  }
  async getWorkspaceSettings(workspaceId: number) {
    return sched.getWorkspaceSettings(this.db, workspaceId);
  }
  async setWorkspaceTimezone(workspaceId: number, timezone: string | null, actor: ActorInput) {
    sched.setWorkspaceTimezone(this.db, workspaceId, timezone, actor);
  }
  async listMembers(workspaceId: number) {
    return sched.listMembers(this.db, workspaceId);
  }
  async getMemberSettings(workspaceId: number, platformUserId: string) {
    return sched.getMemberSettings(this.db, workspaceId, platformUserId);
  }
  async setReminderSettings(
    workspaceId: number,
    who: ActorInput,
    settings: Parameters<Store["setReminderSettings"]>[2],
  ) {
    sched.setReminderSettings(this.db, workspaceId, who, settings);
  }
  async snoozeKr(
    workspaceId: number,
    krId: number,
    until: string | null,
    actor: ActorInput,
    opts: { forEveryone: boolean; at: Date },
  ) {
    return snoozes.snoozeKr(this.db, workspaceId, krId, until, actor, opts);
  }
  async listSnoozes(workspaceId: number) {
    return snoozes.listSnoozes(this.db, workspaceId);
  }
  async upsertDigestSchedule(workspaceId: number, schedule: Parameters<Store["upsertDigestSchedule"]>[1]) {
    return sched.upsertDigestSchedule(this.db, workspaceId, schedule);
  }
  async markDigestFailing(...args: Parameters<Store["markDigestFailing"]>) {
    return sched.markDigestFailing(this.db, ...args);
  }
  async clearDigestFailing(workspaceId: number, channelId: string) {
    sched.clearDigestFailing(this.db, workspaceId, channelId);
  }
  async removeDigestSchedule(workspaceId: number, channelId: string, actor: ActorInput) {
    return sched.removeDigestSchedule(this.db, workspaceId, channelId, actor);
  }
  async listDigestSchedules(workspaceId: number) {
    return sched.listDigestSchedules(this.db, workspaceId);
  }
  async checkInsBetween(workspaceId: number, from: Date, to: Date) {
    return sched.checkInsBetween(this.db, workspaceId, from, to);
  }
  async claimOccurrence(workspaceId: number, claim: ClaimInput, messages: OutboxMessage[]) {
    return claims.claimOccurrence(this.db, workspaceId, claim, messages);
  }
  async lastClaim(workspaceId: number, kind: ClaimInput["kind"], target: string) {
    return claims.lastClaim(this.db, workspaceId, kind, target);
  }
  async listClaims(workspaceId: number, kind: ClaimInput["kind"], limit: number) {
    return claims.listClaims(this.db, workspaceId, kind, limit);
  }
  async setOpenUpdates(workspaceId: number, open: boolean, actor: ActorInput) {
    teamRepo.setOpenUpdates(this.db, workspaceId, open, actor);
  }
  async listTeamMembers(workspaceId: number, team: string) {
    return teamRepo.listTeamMembers(this.db, workspaceId, team);
  }
  async teamsOf(workspaceId: number, platformUserId: string) {
    return teamRepo.teamsOf(this.db, workspaceId, platformUserId);
  }
  async addTeamMember(workspaceId: number, team: string, who: ActorInput, actor: ActorInput) {
    return teamRepo.addTeamMember(this.db, workspaceId, team, who, actor);
  }
  async removeTeamMember(workspaceId: number, team: string, platformUserId: string, actor: ActorInput) {
    return teamRepo.removeTeamMember(this.db, workspaceId, team, platformUserId, actor);
  }
  async undoLastCheckIn(workspaceId: number, author: string, now: Date, windowMs: number) {
    return undoLastCheckIn(this.db, workspaceId, author, now, windowMs);
  }
  async exportCheckIns(workspaceId: number, since?: Date) {
    return exportCheckIns(this.db, workspaceId, since);
  }
  async leaseDeliveries(now: Date, limit: number, leaseMs: number) {
    return claims.leaseDeliveries(this.db, now, limit, leaseMs);
  }
  async markDelivered(id: number, messageId: string, at: Date) {
    claims.markDelivered(this.db, id, messageId, at);
  }
  async markRetry(id: number, nextAttemptAt: Date, error: string) {
    claims.markRetry(this.db, id, nextAttemptAt, error);
  }
  async markFailed(id: number, error: string) {
    claims.markFailed(this.db, id, error);
  }

  /** Copies the live database to `file` with SQLite's online backup (safe while running). */
  async backup(file: string): Promise<void> {
    mkdirSync(dirname(file), { recursive: true });
    await this.db.$client.backup(file);
  }

  async close(): Promise<void> {
    if (this.db.$client.open) this.db.$client.close();
  }
}
