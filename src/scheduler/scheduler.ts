import { digestWindowStart, gatherDigest } from "../core/digest/gather.ts";
import type { Logger } from "../core/logger.ts";
import type { Reply } from "../core/reply.ts";
import type { DigestSchedule, PlanInfo, Workspace } from "../domain/model.ts";
import { latestOccurrence, localDateIn, type Occurrence, startOfLocalWeek } from "../domain/occurrences.ts";
import type { OutboxMessage, Store } from "../store/store.ts";
import { type ReminderDecision, reminderDecision } from "./due.ts";
import { reminderMessage } from "./reminder-message.ts";

/** What the scheduler needs to know beyond the store. */
export interface SchedulerSettings {
  /** Zone for workspaces and people that name none. */
  defaultTimezone: string;
  /** Occurrences missed by less than this are sent late; older ones are skipped and logged. */
  graceMs: number;
  staleDays: number;
  /** Attach objective charts to digests when they are sent (default on). */
  charts?: boolean;
}

/** What one tick decided, for logs and tests. */
export interface TickReport {
  claimed: {
    kind: "digest" | "reminder";
    target: string;
    periodKey: string;
    outcome: "sent" | "skipped";
    reason: string;
  }[];
}

/** Platforms whose digests get their per-objective details as thread replies. */
const THREADED_PLATFORMS = new Set(["slack"]);

/**
 * Computes due digests and reminders and claims each occurrence exactly once: the claim and its
 * outbox messages are one transaction keyed by (kind, target, ISO week), so restarts, replicas
 * and schedule changes can never fire a period twice. Sending is the delivery worker's job.
 */
export class Scheduler {
  constructor(
    private readonly store: Store,
    private readonly settings: SchedulerSettings,
    private readonly now: () => Date,
    private readonly log: Logger,
  ) {}

  async tick(): Promise<TickReport> {
    const report: TickReport = { claimed: [] };
    for (const ws of await this.store.workspaces.list()) {
      try {
        await this.digests(ws, report);
        await this.reminders(ws, report);
      } catch (err) {
        this.log.error({ err, workspace: ws.id }, "scheduler: workspace tick failed");
      }
    }
    return report;
  }

  private async zoneOf(workspaceId: number): Promise<string> {
    return (await this.store.workspaces.settings(workspaceId)).timezone ?? this.settings.defaultTimezone;
  }

  private async digests(ws: Workspace, report: TickReport): Promise<void> {
    const now = this.now();
    const wsZone = await this.zoneOf(ws.id);
    for (const schedule of await this.store.schedules.listDigests(ws.id)) {
      const timezone = schedule.timezone ?? wsZone;
      const rule = { weekday: schedule.weekday, time: schedule.time, timezone };
      const occ = latestOccurrence(rule, now);
      if (!occ || occ.at < schedule.activeFrom) continue;
      const last = await this.store.claims.last(ws.id, "digest", schedule.channelId);
      if (last?.periodKey === occ.periodKey) continue;
      const late = now.getTime() - occ.at.getTime();
      if (late > this.settings.graceMs) {
        await this.skip(
          ws,
          "digest",
          schedule.channelId,
          occ,
          missedReason(late, this.settings.graceMs),
          report,
        );
        continue;
      }
      const plan = await this.store.plans.get(ws.id);
      if (plan && periodEnded(plan, occ, timezone)) {
        await this.skip(ws, "digest", schedule.channelId, occ, PLAN_PERIOD_ENDED, report);
        continue;
      }
      const digest = await gatherDigest(this.store, ws.id, {
        scope: schedule.scope,
        timezone,
        from: digestWindowStart(rule, occ.at, last),
        to: occ.at,
        now,
        staleDays: this.settings.staleDays,
        ...(last?.snapshot ? { previous: last.snapshot } : {}),
      });
      if (!digest) {
        await this.skip(ws, "digest", schedule.channelId, occ, "the workspace has no plan", report);
        continue;
      }
      // Objective charts go in each objective's thread reply where threads exist (Slack), else
      // all on the digest itself; they are rendered at delivery (see digest-charts.ts).
      const charts = (codes: string[]) => codes.map((code) => ({ kind: "objective" as const, code }));
      const threaded = THREADED_PLATFORMS.has(ws.platform);
      const main = threaded ? digest.main : { ...digest.main, chartRequests: charts(digest.objectiveCodes) };
      const messages: OutboxMessage[] = [{ target: { channelId: schedule.channelId }, reply: main }];
      if (threaded) {
        digest.details.forEach((d, i) => {
          const code = digest.objectiveCodes[i];
          const reply = code ? { ...d, chartRequests: charts([code]) } : d;
          messages.push({ target: { channelId: schedule.channelId }, reply, threadOf: 0 });
        });
      }
      await this.claim(ws, schedule, occ, messages, digest.snapshot, report);
    }
  }

  private async claim(
    ws: Workspace,
    schedule: DigestSchedule,
    occ: Occurrence,
    messages: OutboxMessage[],
    snapshot: Record<string, number | null>,
    report: TickReport,
  ): Promise<void> {
    const claimed = await this.store.claims.claim(
      ws.id,
      {
        kind: "digest",
        target: schedule.channelId,
        periodKey: occ.periodKey,
        scheduledFor: occ.at,
        claimedAt: this.now(),
        outcome: "sent",
        reason: "",
        snapshot,
      },
      messages,
    );
    if (claimed) {
      report.claimed.push({
        kind: "digest",
        target: schedule.channelId,
        periodKey: occ.periodKey,
        outcome: "sent",
        reason: "",
      });
      this.log.info(
        { workspace: ws.id, channel: schedule.channelId, period: occ.periodKey },
        "scheduler: digest queued",
      );
    }
  }

  private async skip(
    ws: Workspace,
    kind: "digest" | "reminder",
    target: string,
    occ: Occurrence,
    reason: string,
    report: TickReport,
  ) {
    const claimed = await this.store.claims.claim(
      ws.id,
      {
        kind,
        target,
        periodKey: occ.periodKey,
        scheduledFor: occ.at,
        claimedAt: this.now(),
        outcome: "skipped",
        reason,
      },
      [],
    );
    if (claimed) {
      report.claimed.push({ kind, target, periodKey: occ.periodKey, outcome: "skipped", reason });
      this.log.info(
        { workspace: ws.id, kind, target, period: occ.periodKey, reason },
        "scheduler: occurrence skipped",
      );
    }
  }

  private async reminders(ws: Workspace, report: TickReport): Promise<void> {
    const now = this.now();
    const plan = await this.store.plans.get(ws.id);
    if (!plan) return;
    const [settings, members, krs, snoozes] = await Promise.all([
      this.store.workspaces.settings(ws.id),
      this.store.members.list(ws.id),
      this.store.keyResults.list(ws.id),
      this.store.snoozes.list(ws.id),
    ]);
    const wsZone = settings.timezone ?? this.settings.defaultTimezone;
    for (const member of members) {
      const owned = krs.filter((kr) => kr.owners.some((o) => o.id === member.id));
      if (owned.length === 0) continue;
      const timezone = member.remindTimezone ?? member.timezone ?? wsZone;
      const rule = {
        weekday: member.remindWeekday ?? settings.reminderWeekday,
        time: member.remindTime ?? settings.reminderTime,
        timezone,
      };
      const occ = latestOccurrence(rule, now);
      // Before the person set (or got) this reminder: nothing to send, and nothing was missed.
      if (!occ || (member.remindFrom && occ.at < member.remindFrom)) continue;
      const target = member.platformUserId;
      const last = await this.store.claims.last(ws.id, "reminder", target);
      if (last?.periodKey === occ.periodKey) continue;
      const late = now.getTime() - occ.at.getTime();
      if (late > this.settings.graceMs) {
        // Never evaluated before: the person (or the bot) is new, nothing was missed.
        if (last)
          await this.skip(ws, "reminder", target, occ, missedReason(late, this.settings.graceMs), report);
        continue;
      }
      if (periodEnded(plan, occ, timezone)) {
        await this.skip(ws, "reminder", target, occ, PLAN_PERIOD_ENDED, report);
        continue;
      }
      const decision = reminderDecision(member, owned, {
        periodStart: startOfLocalWeek(occ.at, timezone),
        localToday: localDateIn(now, timezone),
        snoozes,
        ...(last ? { lastDecidedAt: last.claimedAt } : {}),
      });
      if (!decision.send) {
        await this.skip(ws, "reminder", target, occ, decision.reason, report);
        continue;
      }
      const message: Reply = reminderMessage(
        member.displayName,
        decision.due,
        plan,
        now,
        this.settings.staleDays,
        decision.notices,
      );
      const claimed = await this.store.claims.claim(
        ws.id,
        {
          kind: "reminder",
          target,
          periodKey: occ.periodKey,
          scheduledFor: occ.at,
          claimedAt: now,
          outcome: "sent",
          reason: sentReason(decision),
        },
        [{ target: { userId: target }, reply: message }],
      );
      if (claimed) {
        report.claimed.push({
          kind: "reminder",
          target,
          periodKey: occ.periodKey,
          outcome: "sent",
          reason: "",
        });
      }
    }
  }
}

/** "due: II.KR1, IV.KR2; told: V.KR1 paused for everyone until 2027-06-01 by Ana". */
function sentReason(decision: Extract<ReminderDecision, { send: true }>): string {
  const told = decision.notices.map(
    (n) => `${n.kr.code} paused for everyone until ${n.snooze.until} by ${n.snooze.by.displayName}`,
  );
  return [
    decision.due.length ? `due: ${decision.due.map((kr) => kr.code).join(", ")}` : "",
    told.length ? `told: ${told.join(", ")}` : "",
  ]
    .filter(Boolean)
    .join("; ");
}

/** The reason logged for each digest and reminder an ended plan no longer sends. */
export const PLAN_PERIOD_ENDED = "plan period ended";

/** Whether an occurrence falls after the plan period's last day, as a date in the schedule's zone. */
function periodEnded(plan: PlanInfo, occ: Occurrence, timezone: string): boolean {
  return localDateIn(occ.at, timezone) > plan.periodEnd;
}

function missedReason(lateMs: number, graceMs: number): string {
  const h = (ms: number) => `${Math.round((ms / 3_600_000) * 10) / 10} h`;
  return `missed while the bot was down: ${h(lateMs)} late, beyond the ${h(graceMs)} grace window`;
}
