import type { KrSnooze } from "./model.ts";

/** The pauses of reminders about one KR still in force on `today` (YYYY-MM-DD, inclusive). */
export function activeSnoozes(all: KrSnooze[], krId: number, today: string): KrSnooze[] {
  return all.filter((s) => s.krId === krId && s.until >= today);
}

/** "reminders paused for everyone until 2027-06-01 by @Ana". */
export function everyoneText(s: Pick<KrSnooze, "until" | "by">): string {
  return `reminders paused for everyone until ${s.until} by @${s.by.displayName}`;
}
