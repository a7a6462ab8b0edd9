import type { CommandContext } from "../../core/command.ts";
import { nextToSend, type WeeklyRule } from "../../domain/occurrences.ts";
import { formatDateTime } from "../../domain/time.ts";

const DAY_NAMES = ["", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"];

/** "Thursdays" for ISO weekday 4. */
export function weekdayText(weekday: number): string {
  return DAY_NAMES[weekday] ?? `weekday ${weekday}`;
}

/** "Mondays 09:00 Europe/Berlin". */
export function ruleText(rule: WeeklyRule): string {
  return `${weekdayText(rule.weekday)} ${rule.time} ${rule.timezone}`;
}

/**
 * "next: 2027-03-08 09:00 (08:00 UTC)": the next occurrence that will really be sent, so not one in
 * a period already claimed (`claimedPeriod`) nor one before the schedule took effect (`activeFrom`).
 */
export function nextText(
  rule: WeeklyRule,
  now: Date,
  opts: { claimedPeriod?: string | undefined; activeFrom?: Date | undefined } = {},
): string {
  const next = nextToSend(rule, now, opts);
  return `next: ${formatDateTime(next.at, rule.timezone)} (${formatDateTime(next.at, "UTC").slice(11)} UTC)`;
}

/** The workspace's zone: its own setting, else DEFAULT_TIMEZONE, else UTC. */
export async function workspaceZone(ctx: CommandContext): Promise<string> {
  const settings = await ctx.store.workspaces.settings(ctx.workspace.id);
  return settings.timezone ?? ctx.settings.defaultTimezone ?? "UTC";
}

/** Today's date (YYYY-MM-DD) in a zone. */
export function todayIn(now: Date, timezone: string): string {
  return formatDateTime(now, timezone).slice(0, 10);
}
