import { scopeLabel } from "../core/digest/gather.ts";
import { occurrencesBetween, type WeeklyRule } from "../domain/occurrences.ts";
import type { Store } from "../store/store.ts";

/** One occurrence that would fire, with what it is for. */
export interface SimulatedOccurrence {
  at: Date;
  localDate: string;
  localTime: string;
  timezone: string;
  what: string;
}

/**
 * Every digest and reminder occurrence of a workspace in [from, to), computed exactly as the
 * scheduler computes them, without claiming or sending anything.
 */
export async function simulate(
  store: Store,
  workspaceId: number,
  from: Date,
  to: Date,
  defaultTimezone: string,
): Promise<SimulatedOccurrence[]> {
  const settings = await store.workspaces.settings(workspaceId);
  const wsZone = settings.timezone ?? defaultTimezone;
  const rules: { rule: WeeklyRule; what: string }[] = [];
  for (const s of await store.schedules.listDigests(workspaceId)) {
    rules.push({
      rule: { weekday: s.weekday, time: s.time, timezone: s.timezone ?? wsZone },
      what: `digest in ${s.channelId} (${scopeLabel(s.scope) ?? "whole plan"})`,
    });
  }
  const krs = await store.keyResults.list(workspaceId);
  for (const m of await store.members.list(workspaceId)) {
    if (!m.remindEnabled || !krs.some((kr) => kr.owners.some((o) => o.id === m.id))) continue;
    rules.push({
      rule: {
        weekday: m.remindWeekday ?? settings.reminderWeekday,
        time: m.remindTime ?? settings.reminderTime,
        timezone: m.remindTimezone ?? m.timezone ?? wsZone,
      },
      what: `reminder check for ${m.displayName} (${m.platformUserId})`,
    });
  }
  return rules
    .flatMap(({ rule, what }) =>
      occurrencesBetween(rule, from, to).map((o) => ({
        at: o.at,
        localDate: o.localDate,
        localTime: o.localTime,
        timezone: rule.timezone,
        what,
      })),
    )
    .sort((a, b) => a.at.getTime() - b.at.getTime() || a.what.localeCompare(b.what));
}
