import type { KrSnooze, KrView, MemberSettings } from "../domain/model.ts";

/** Why an owner gets no reminder this period. */
export type SkipReason = string;

/** A pause for everyone an owner is told about: the KR and who paused it until when. */
export interface PauseNotice {
  kr: KrView;
  snooze: KrSnooze;
}

/**
 * The decision for one owner in one period: the KRs to remind them of and the pauses for
 * everyone they haven't been told about yet, or why nothing is sent.
 */
export type ReminderDecision =
  | { send: true; due: KrView[]; notices: PauseNotice[] }
  | { send: false; reason: SkipReason };

/**
 * Decides an owner's reminder: nothing when reminders are off, the person is away, their DMs are
 * closed, or none of their KRs is due; a KR is due when it is not done, not snoozed through today
 * (by the person themselves, or for everyone), and has no check-in since the period started.
 * A pause for everyone that someone else set since the owner's last reminder (`lastDecidedAt`)
 * is told once, even when nothing else is due. Pure.
 */
export function reminderDecision(
  member: MemberSettings,
  owned: KrView[],
  opts: {
    periodStart: Date;
    localToday: string;
    snoozes: KrSnooze[];
    /** When this owner's previous reminder was decided (sent or skipped); undefined: never. */
    lastDecidedAt?: Date;
  },
): ReminderDecision {
  if (!member.remindEnabled) return { send: false, reason: "reminders off" };
  if (member.awayUntil && member.awayUntil >= opts.localToday)
    return { send: false, reason: `away until ${member.awayUntil}` };
  if (member.dmBlocked) return { send: false, reason: "DMs blocked" };
  const checkedIn: string[] = [];
  const done: string[] = [];
  const snoozed: string[] = [];
  const due: KrView[] = [];
  const notices: PauseNotice[] = [];
  for (const kr of owned) {
    const active = opts.snoozes.filter((s) => s.krId === kr.id && s.until >= opts.localToday);
    const mine = active.find((s) => !s.forEveryone && s.by.id === member.id);
    const everyone = active.find((s) => s.forEveryone);
    if (everyone && everyone.by.id !== member.id) {
      const last = opts.lastDecidedAt;
      if (!last || everyone.createdAt > last) notices.push({ kr, snooze: everyone });
    }
    if (kr.status === "done") done.push(kr.code);
    else if (everyone)
      snoozed.push(`${kr.code} for everyone until ${everyone.until} by ${everyone.by.displayName}`);
    else if (mine) snoozed.push(`${kr.code} until ${mine.until}`);
    else if (kr.lastCheckInAt && kr.lastCheckInAt >= opts.periodStart) checkedIn.push(kr.code);
    else due.push(kr);
  }
  if (due.length > 0 || notices.length > 0) return { send: true, due, notices };
  const parts = [
    checkedIn.length ? `checked in: ${checkedIn.join(", ")}` : "",
    snoozed.length ? `snoozed: ${snoozed.join(", ")}` : "",
    done.length ? `done: ${done.join(", ")}` : "",
  ].filter(Boolean);
  return { send: false, reason: `nothing due (${parts.join("; ") || "owns no key results"})` };
}
