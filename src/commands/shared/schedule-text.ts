import type { CommandContext } from "../../core/command.ts";
import { nextOccurrence, type WeeklyRule } from "../../scheduler/occurrences.ts";
import { formatDateTime } from "./time.ts";

const DAY_NAMES = ["", "Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"];

/** "Mondays 09:00 Europe/Berlin". */
export function ruleText(rule: WeeklyRule): string {
  return `${DAY_NAMES[rule.weekday]} ${rule.time} ${rule.timezone}`;
}

/** "next: 2027-03-08 09:00 (08:00 UTC)". */
export function nextText(rule: WeeklyRule, now: Date): string {
  const next = nextOccurrence(rule, now);
  return `next: ${formatDateTime(next.at, rule.timezone)} (${formatDateTime(next.at, "UTC").slice(11)} UTC)`;
}

/** The workspace's zone: its own setting, else DEFAULT_TIMEZONE, else UTC. */
export async function workspaceZone(ctx: CommandContext): Promise<string> {
  const settings = await ctx.store.getWorkspaceSettings(ctx.workspace.id);
  return settings.timezone ?? ctx.settings.defaultTimezone ?? "UTC";
}

/** Today's date (YYYY-MM-DD) in a zone. */
export function todayIn(now: Date, timezone: string): string {
  return formatDateTime(now, timezone).slice(0, 10);
}
