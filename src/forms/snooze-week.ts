import { todayIn } from "../commands/shared/schedule-text.ts";

/** How long the reminder's "Snooze a week" button pauses reminders for a KR. */
export const SNOOZE_BUTTON_DAYS = 7;

/** The `/kr snooze` line a "Snooze a week" button stands for: a week from today in the person's zone. */
export function snoozeAWeek(krCode: string, now: Date, timezone = "UTC"): string {
  const [y, m, d] = todayIn(now, timezone).split("-").map(Number);
  const until = new Date(Date.UTC(y as number, (m as number) - 1, (d as number) + SNOOZE_BUTTON_DAYS));
  return `snooze ${krCode} until ${until.toISOString().slice(0, 10)}`;
}
