import { Cron } from "croner";

/**
 * Weekly schedule arithmetic: when does a "Monday 09:00 Europe/Berlin" rule fire?
 *
 * Zone math comes from croner, never from hand-made UTC offsets. Croner 11 already follows the
 * rules krbot needs for a fixed-time pattern (one value each for second, minute and hour):
 * - a local time that does not exist (spring forward) fires once, at the first instant after the
 *   gap, on the same day (02:30 America/New_York on 2027-03-14 → 03:00 EDT);
 * - a local time that happens twice (fall back) fires once, at the first of the two instants;
 * - `nextRun(date)` is strictly after `date` and moves in real time, so it never hands back the
 *   second pass of a repeated hour.
 * That holds only while the pattern stays fixed-time: one value per field and croner's default
 * `fixedTimeRule`. A list such as `30 1,2` is an "interval job" to croner, which skips gap times and
 * fires on both passes of a repeated hour. `legacyMode`/`domAndDow` do not matter (day-of-month is `*`)
 * and `dayOffset`/`startAt` are not used: the range is handled here with `nextRun`.
 * The only thing added here is a guard: at most one occurrence per ISO week of the local date
 * (the claim key), so a future croner change can never make a rule fire twice in one period.
 * Reading the wall clock at an instant uses `Intl.DateTimeFormat`, which is plain formatting.
 */

/** A weekly schedule: ISO weekday (1 = Monday … 7 = Sunday), local "HH:MM", IANA zone. */
export interface WeeklyRule {
  weekday: number;
  time: string;
  timezone: string;
}

/** One firing of a rule. */
export interface Occurrence {
  /** The instant it fires. */
  at: Date;
  /** YYYY-MM-DD in the rule's zone (the day it belongs to). */
  localDate: string;
  /** HH:MM as the wall clock shows at `at` (differs from `rule.time` in a DST gap). */
  localTime: string;
  /** ISO week of `localDate`, e.g. "2027-W10": the claim key, one firing per rule per week. */
  periodKey: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const TIME_RE = /^(\d{1,2}):(\d{2})$/;
/** Accepted names per ISO weekday, Monday first. */
const WEEKDAY_NAMES = [
  ["mon", "monday"],
  ["tue", "tues", "tuesday"],
  ["wed", "weds", "wednesday"],
  ["thu", "thur", "thurs", "thursday"],
  ["fri", "friday"],
  ["sat", "saturday"],
  ["sun", "sunday"],
];

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock (date and minute) of `at` in `timezone`. Throws a RangeError for an unknown zone. */
function wallClock(at: Date, timezone: string): { date: string; time: string } {
  let fmt = formatters.get(timezone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: timezone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    });
    formatters.set(timezone, fmt);
  }
  const p: Record<string, string> = {};
  for (const part of fmt.formatToParts(at)) p[part.type] = part.value;
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}

/** The calendar date (YYYY-MM-DD) that the wall clock in `timezone` shows at `at`. */
export function localDateIn(at: Date, timezone: string): string {
  return wallClock(at, timezone).date;
}

/** The ISO 8601 week ("YYYY-Www") of a calendar date given as YYYY-MM-DD; 2027-01-01 → "2026-W53". */
export function isoWeekKey(localDate: string): string {
  const [y, m, d] = localDate.split("-").map(Number);
  // Calendar arithmetic on a zone-less date: Date.UTC is only used as a day counter here.
  const day = new Date(Date.UTC(y ?? Number.NaN, (m ?? Number.NaN) - 1, d ?? Number.NaN));
  if (Number.isNaN(day.getTime())) throw new RangeError(`Not a date: ${localDate}`);
  const isoWeekday = day.getUTCDay() || 7;
  day.setUTCDate(day.getUTCDate() + 4 - isoWeekday); // the Thursday of this week decides the year
  const year = day.getUTCFullYear();
  const week = Math.ceil(((day.getTime() - Date.UTC(year, 0, 1)) / DAY_MS + 1) / 7);
  return `${year}-W${String(week).padStart(2, "0")}`;
}

/** The croner job for a rule (paused, no callback: it only computes instants). */
function cronFor(rule: WeeklyRule): Cron {
  const match = TIME_RE.exec(rule.time);
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (!match || hour > 23 || minute > 59) throw new RangeError(`Bad rule time: ${rule.time}`);
  if (!Number.isInteger(rule.weekday) || rule.weekday < 1 || rule.weekday > 7) {
    throw new RangeError(`Bad rule weekday: ${rule.weekday}`);
  }
  // Cron weekdays: 0 = Sunday … 6 = Saturday; ISO 7 (Sunday) becomes 0.
  return new Cron(`0 ${minute} ${hour} * * ${rule.weekday % 7}`, {
    timezone: rule.timezone,
    mode: "6-part",
    paused: true,
  });
}

function toOccurrence(at: Date, timezone: string): Occurrence {
  const { date, time } = wallClock(at, timezone);
  return { at, localDate: date, localTime: time, periodKey: isoWeekKey(date) };
}

/**
 * Every occurrence of `rule` with `from <= at < to`, ascending, at most one per ISO week.
 * Both passes of a repeated hour are never returned (croner skips the second; the period guard
 * would drop it anyway).
 */
export function occurrencesBetween(rule: WeeklyRule, from: Date, to: Date): Occurrence[] {
  const cron = cronFor(rule);
  const out: Occurrence[] = [];
  // nextRun is strictly after its argument; step back 1 ms so an occurrence exactly at `from` counts.
  let cursor = new Date(from.getTime() - 1);
  for (;;) {
    const next = cron.nextRun(cursor);
    if (!next || next.getTime() >= to.getTime()) return out;
    const occurrence = toOccurrence(next, rule.timezone);
    if (out.at(-1)?.periodKey !== occurrence.periodKey) out.push(occurrence);
    cursor = next;
  }
}

/** The last occurrence with `at <= now` (an occurrence exactly at `now` counts), looking back 8 days. */
export function latestOccurrence(rule: WeeklyRule, now: Date): Occurrence | undefined {
  const from = new Date(now.getTime() - 8 * DAY_MS);
  return occurrencesBetween(rule, from, new Date(now.getTime() + 1)).at(-1);
}

/** The first occurrence with `at > after`. */
export function nextOccurrence(rule: WeeklyRule, after: Date): Occurrence {
  const from = new Date(after.getTime() + 1);
  const latest = latestOccurrence(rule, after);
  // Scan 15 days so the guard can skip an occurrence in the same period as the latest one.
  const found = occurrencesBetween(rule, from, new Date(from.getTime() + 15 * DAY_MS)).find(
    (o) => o.periodKey !== latest?.periodKey,
  );
  if (!found) throw new Error(`No occurrence of ${JSON.stringify(rule)} after ${after.toISOString()}`);
  return found;
}

/** The last occurrence with `at < before`, looking back 15 days (so one period may be skipped by the guard). */
export function previousOccurrence(rule: WeeklyRule, before: Date): Occurrence {
  const found = occurrencesBetween(rule, new Date(before.getTime() - 15 * DAY_MS), before).at(-1);
  if (!found) throw new Error(`No occurrence of ${JSON.stringify(rule)} before ${before.toISOString()}`);
  return found;
}

/**
 * The next occurrence that will really be sent after `now`: the first one after `now` that is not in
 * a period already claimed (sent or skipped) and not before the schedule became active.
 */
export function nextToSend(
  rule: WeeklyRule,
  now: Date,
  opts: { claimedPeriod?: string | undefined; activeFrom?: Date | undefined } = {},
): Occurrence {
  let next = nextOccurrence(rule, now);
  for (let i = 0; i < 3; i++) {
    const blocked =
      next.periodKey === opts.claimedPeriod || (opts.activeFrom !== undefined && next.at < opts.activeFrom);
    if (!blocked) break;
    next = nextOccurrence(rule, next.at);
  }
  return next;
}

/**
 * Monday 00:00 local time of the ISO week containing `at` in `timezone`, or the first instant
 * after it when midnight falls in a DST gap (croner's gap rule again).
 */
export function startOfLocalWeek(at: Date, timezone: string): Date {
  const monday = latestOccurrence({ weekday: 1, time: "00:00", timezone }, at);
  if (!monday) throw new Error(`No Monday 00:00 in ${timezone} in the 8 days before ${at.toISOString()}`);
  return monday.at;
}

/**
 * Reads a weekly rule from user input: weekday "mon", "Monday", "MON" or 1–7 (1 = Monday); time
 * "9:00", "09:00" or "21:30" (24-hour); an IANA zone known to Intl. Returns the rule, or an
 * error message saying what to type.
 */
export function parseWeeklyRule(weekday: string, time: string, timezone: string): WeeklyRule | string {
  const dayText = weekday.trim().toLowerCase();
  const day = /^[1-7]$/.test(dayText)
    ? Number(dayText)
    : WEEKDAY_NAMES.findIndex((names) => names.includes(dayText)) + 1;
  if (day === 0) {
    return `Unknown weekday "${weekday}". Type a day such as mon, Monday or a number 1–7 (1 = Monday).`;
  }
  const match = TIME_RE.exec(time.trim());
  const hour = Number(match?.[1]);
  const minute = Number(match?.[2]);
  if (!match || hour > 23 || minute > 59) {
    return `Invalid time "${time}". Type a 24-hour time HH:MM, such as 09:00 or 21:30.`;
  }
  const zone = timezone.trim();
  const zoneError = `Unknown time zone "${timezone}". Type an IANA zone such as Europe/Berlin or America/New_York.`;
  if (!/^[A-Za-z]/.test(zone)) return zoneError;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    return zoneError;
  }
  // Keep the user's name (Intl would turn Asia/Kolkata into Asia/Calcutta) but fix its case if known.
  // Zones Intl knows only by an alias (Asia/Kolkata) are not in its list: title-case their words.
  const known =
    Intl.supportedValuesOf("timeZone").find((z) => z.toLowerCase() === zone.toLowerCase()) ??
    (zone === zone.toLowerCase()
      ? zone.replace(/(^|[/_-])([a-z])/g, (_, p, c) => p + c.toUpperCase())
      : undefined);
  return {
    weekday: day,
    time: `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`,
    timezone: known ?? zone,
  };
}
