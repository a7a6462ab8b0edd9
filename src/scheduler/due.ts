import type { KrView, MemberSettings } from "../store/store.ts";

/** Why an owner gets no reminder this period. */
export type SkipReason = string;

/** The decision for one owner in one period: the KRs to remind them of, or why none. */
export type ReminderDecision = { send: true; due: KrView[] } | { send: false; reason: SkipReason };

/**
 * Decides an owner's reminder: nothing when reminders are off, the person is away, their DMs are
 * closed, or none of their KRs is due; a KR is due when it is not done, not snoozed through
 * today, and has no check-in since the period started. Pure.
 */
export function reminderDecision(
  member: MemberSettings,
  owned: KrView[],
  opts: { periodStart: Date; localToday: string; snoozes: Map<number, string> },
): ReminderDecision {
  if (!member.remindEnabled) return { send: false, reason: "reminders off" };
  if (member.awayUntil && member.awayUntil >= opts.localToday)
    return { send: false, reason: `away until ${member.awayUntil}` };
  if (member.dmBlocked) return { send: false, reason: "DMs blocked" };
  const checkedIn: string[] = [];
  const done: string[] = [];
  const snoozed: string[] = [];
  const due: KrView[] = [];
  for (const kr of owned) {
    const until = opts.snoozes.get(kr.id);
    if (kr.status === "done") done.push(kr.code);
    else if (until && until >= opts.localToday) snoozed.push(`${kr.code} until ${until}`);
    else if (kr.lastCheckInAt && kr.lastCheckInAt >= opts.periodStart) checkedIn.push(kr.code);
    else due.push(kr);
  }
  if (due.length > 0) return { send: true, due };
  const parts = [
    checkedIn.length ? `checked in: ${checkedIn.join(", ")}` : "",
    snoozed.length ? `snoozed: ${snoozed.join(", ")}` : "",
    done.length ? `done: ${done.join(", ")}` : "",
  ].filter(Boolean);
  return { send: false, reason: `nothing due (${parts.join("; ") || "owns no key results"})` };
}
