import {
  age,
  isStaleNow,
  krPace,
  metricValue,
  ownersText,
  percent,
  planPeriod,
} from "../../domain/kr-text.ts";
import type { KrView, ObjectiveView, PlanInfo } from "../../domain/model.ts";
import { plural } from "../../domain/plural.ts";
import { metricProgress, planPhase } from "../../domain/status-math.ts";
import type { Block, Reply } from "../reply.ts";
import { statusLine } from "../status-line.ts";

/** Everything a digest needs; the scheduler gathers it, this module only formats. */
export interface DigestInput {
  plan: PlanInfo;
  objectives: ObjectiveView[];
  /** Already filtered to the digest's scope, in plan order. */
  krs: KrView[];
  /** e.g. "objective IV" or "team Growth"; undefined for the whole plan. */
  scopeLabel?: string;
  /** The window counted, [weekStart, weekEnd): from the previous digest to this one; the label names it. */
  weekStart: Date;
  weekEnd: Date;
  /** IANA zone the date range is shown in (UTC, labelled, when unknown). */
  timezone: string;
  now: Date;
  staleDays: number;
  /** KR code → progress at the previous digest; undefined for the first digest. */
  previous?: Record<string, number | null>;
  /** This week's check-ins in scope. */
  checkIns: { krCode: string; author: string }[];
}

/** A rendered digest: the channel message, its thread, and what to remember for next week. */
export interface Digest {
  /** One compact channel message. */
  main: Reply;
  /** One reply per objective in scope, with metrics and latest notes (posted in the thread on Slack). */
  details: Reply[];
  /** KR code → current progress; pass it back as `previous` next week. */
  snapshot: Record<string, number | null>;
}

/** Slack cuts headings at 150 characters; the title gives way so the date range stays visible. */
const MAX_HEADING = 150;
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Formats one week's digest. Pure: no I/O, no clock; the same input gives the same output. */
export function buildDigest(input: DigestInput): Digest {
  const groups = groupByObjective(input.objectives, input.krs);
  const range = weekRange(input.weekStart, input.weekEnd, input.timezone);
  const attention = needsAttention(input);
  const blocks: Block[] = [
    { kind: "heading", text: headingText(input.plan.title, input.scopeLabel, range) },
    { kind: "context", text: checkInText(input.checkIns) },
  ];
  for (const { objective, krs } of groups) {
    blocks.push({ kind: "heading", text: objectiveTitle(objective) });
    for (const kr of krs) blocks.push(krLine(kr, input));
  }
  if (groups.length === 0) blocks.push({ kind: "text", markdown: "No key results in this digest's scope." });
  const ended = finalResults(input);
  if (ended) {
    blocks.push({ kind: "heading", text: "Final results" }, { kind: "text", markdown: ended });
  } else if (attention.length > 0) {
    blocks.push(
      { kind: "heading", text: "Needs attention" },
      { kind: "text", markdown: attention.join("\n") },
    );
  } else {
    blocks.push({ kind: "text", markdown: "Nothing needs attention." });
  }
  const scope = input.scopeLabel ? ` (${input.scopeLabel})` : "";
  const n = attention.length;
  const summary = [
    `Weekly digest for ${input.plan.title}${scope}, ${range}: ${plural(input.checkIns.length, "check-in")}`,
    ended
      ? `the plan period ended on ${input.plan.periodEnd}`
      : n
        ? `${plural(n, "key result")} ${n === 1 ? "needs" : "need"} attention`
        : "nothing needs attention",
  ].join(", ");
  return {
    main: { summary, visibility: "channel", tone: "info", blocks },
    details: groups.map((g) => detailReply(g.objective, g.krs, input)),
    snapshot: Object.fromEntries(input.krs.map((kr) => [kr.code, kr.progress])),
  };
}

interface Group {
  objective: ObjectiveView;
  krs: KrView[];
}

/** Objectives in plan order, each with its KRs in scope; objectives without any are left out. */
function groupByObjective(objectives: ObjectiveView[], krs: KrView[]): Group[] {
  return objectives
    .map((objective) => ({ objective, krs: krs.filter((kr) => kr.objectiveCode === objective.code) }))
    .filter((g) => g.krs.length > 0);
}

function objectiveTitle(o: ObjectiveView): string {
  return `${o.code}. ${o.title}`;
}

/** "Plan · scope · Mon 1 Mar 09:00 – Mon 8 Mar 2027 09:00 (Europe/Berlin)", shortening the plan title to fit a Slack header. */
function headingText(title: string, scopeLabel: string | undefined, range: string): string {
  const tail = `${scopeLabel ? ` · ${scopeLabel}` : ""} · ${range}`;
  const chars = Array.from(title);
  const room = Math.max(20, MAX_HEADING - tail.length);
  const fitted = chars.length > room ? `${chars.slice(0, room - 1).join("")}…` : title;
  return fitted + tail;
}

/**
 * "Mon 1 Mar 09:00 – Mon 8 Mar 2027 09:00 (Europe/Berlin)": exactly the window [start, end) counted,
 * in `timeZone` (UTC, so labelled, when the zone is unknown).
 */
function weekRange(start: Date, endExclusive: Date, timeZone: string): string {
  const zone = knownZone(timeZone) ? timeZone : "UTC";
  const first = calendarDay(start, zone);
  const last = calendarDay(endExclusive, zone);
  const from = `${dayText(first, first.y !== last.y)} ${clockText(start, zone)}`;
  return `${from} – ${dayText(last, true)} ${clockText(endExclusive, zone)} (${zone})`;
}

/** "09:00": the wall clock of an instant in a zone, 24-hour. */
function clockText(at: Date, timeZone: string): string {
  const opts = { timeZone, hourCycle: "h23", hour: "2-digit", minute: "2-digit" } as const;
  return new Intl.DateTimeFormat("en-US", opts).format(at);
}

function knownZone(timeZone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en-US", { timeZone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

type Day = { y: number; m: number; d: number };

/** The calendar date of an instant in a zone, as numbers: names come from our tables, not ICU's. */
function calendarDay(at: Date, timeZone: string): Day {
  const opts = { timeZone, year: "numeric", month: "numeric", day: "numeric" } as const;
  const parts = new Intl.DateTimeFormat("en-US", opts).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: get("year"), m: get("month"), d: get("day") };
}

function dayText({ y, m, d }: Day, withYear: boolean): string {
  const weekday = WEEKDAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  return `${weekday} ${d} ${MONTHS[m - 1]}${withYear ? ` ${y}` : ""}`;
}

/** "12 check-ins from Ann, Bo and 3 others"; the most active contributors are named first. */
function checkInText(checkIns: DigestInput["checkIns"]): string {
  if (checkIns.length === 0) return "No check-ins this week";
  const counts = new Map<string, number>();
  for (const c of checkIns) counts.set(c.author, (counts.get(c.author) ?? 0) + 1);
  const names = [...counts]
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .map(([name]) => name);
  return `${plural(checkIns.length, "check-in")} from ${namesText(names)}`;
}

/** "Ann", "Ann and Bo", "Ann, Bo and Cy", "Ann, Bo and 2 others". */
function namesText(names: string[]): string {
  if (names.length > 3) return `${names.slice(0, 2).join(", ")} and ${names.length - 2} others`;
  if (names.length === 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** The status line, with the change since the previous digest right after the progress. */
function krLine(kr: KrView, input: DigestInput): Block {
  const line = statusLine(kr, input.plan, input.now, input.staleDays);
  if (line.kind !== "progress") return line;
  const parts = (line.note ?? "").split(" · ");
  parts.splice(2, 0, changeText(kr, input.previous));
  return { ...line, note: parts.join(" · ") };
}

/** "+12 pts since last digest", "−3 pts since last digest", "no change", or "new". */
function changeText(kr: KrView, previous: DigestInput["previous"]): string {
  if (!previous || !Object.hasOwn(previous, kr.code)) return "new";
  const pts = points(kr.progress) - points(previous[kr.code] ?? null);
  if (pts === 0) return "no change";
  return `${pts > 0 ? "+" : "−"}${plural(Math.abs(pts), "pt")} since last digest`;
}

/** Progress in whole percentage points, as shown, so the change matches the percentages people see. */
function points(progress: number | null): number {
  return Math.round((progress ?? 0) * 100);
}

/**
 * One line per KR that needs attention, most severe first: reasons weigh off track > at risk > behind
 * pace > stale, and a KR with more of them ranks higher; ties keep plan order. Owners are named by
 * display name only, so nobody is pinged.
 */
function needsAttention(input: DigestInput): string[] {
  return input.krs
    .map((kr) => {
      const reasons = attentionReasons(kr, input);
      return { kr, reasons, weight: reasons.reduce((sum, r) => sum + r.weight, 0) };
    })
    .filter((a) => a.reasons.length > 0)
    .sort((a, b) => b.weight - a.weight)
    .map(({ kr, reasons }) => {
      const why = reasons.map((r) => r.text).join(", ");
      return `• ${kr.code} ${kr.title}: ${why} — ${ownersText(kr)}`;
    });
}

/**
 * Once the plan period is over there is nothing left to chase: the digest sums up the final
 * results instead of listing what needs attention. Undefined while the period runs or before it.
 */
function finalResults(input: DigestInput): string | undefined {
  if (planPhase(planPeriod(input.plan), input.now) !== "ended") return undefined;
  const reached = input.krs.filter((kr) => krPace(kr, input.plan, input.now).done).length;
  return `The plan period ended on ${input.plan.periodEnd}. ${reached} of ${plural(input.krs.length, "key result")} reached or were marked done; each line above shows its final progress against the target.`;
}

/** Why a KR needs attention, most severe first; none for done KRs. Pace and staleness only count while the period runs. */
function attentionReasons(kr: KrView, input: DigestInput): { weight: number; text: string }[] {
  if (kr.status === "done") return [];
  const out: { weight: number; text: string }[] = [];
  if (kr.status === "off_track") out.push({ weight: 8, text: "off track" });
  if (kr.status === "at_risk") out.push({ weight: 4, text: "at risk" });
  const p = krPace(kr, input.plan, input.now);
  if (p.verdict === "behind") out.push({ weight: 2, text: `${-p.points} pts behind pace` });
  if (isStaleNow(kr, input.plan, input.now, input.staleDays)) {
    const last = kr.lastCheckInAt ? `last check-in ${age(kr.lastCheckInAt, input.now)}` : "never checked in";
    out.push({ weight: 1, text: `stale (${last})` });
  }
  return out;
}

/** One objective's KRs in detail: the status line, each metric against its target, the latest note. */
function detailReply(objective: ObjectiveView, krs: KrView[], input: DigestInput): Reply {
  const blocks: Block[] = [{ kind: "heading", text: objectiveTitle(objective) }];
  for (const kr of krs) {
    blocks.push(krLine(kr, input));
    if (kr.metrics.length > 0) {
      const lines = kr.metrics.map((m) => `• ${m.label}: ${metricValue(m)} (${percent(metricProgress(m))})`);
      blocks.push({ kind: "text", markdown: lines.join("\n") });
    }
    if (kr.lastNote) blocks.push({ kind: "context", text: `Latest note: ${kr.lastNote}` });
  }
  return {
    summary: `Objective ${objective.code} in detail: ${plural(krs.length, "key result")}`,
    visibility: "channel",
    tone: "info",
    blocks,
  };
}
