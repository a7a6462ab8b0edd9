/**
 * Declarative chart specs (Vega-Lite) for a key result's progress over its plan period, and for an
 * objective's key results as small multiples. Pure: data in, spec out; `render.ts` turns a spec into a PNG.
 */
import type { TopLevelSpec } from "vega-lite";
import type { KrStatus } from "../domain/kr-status.ts";
import { type Period, pace, planPhase } from "../domain/status-math.ts";
import { chartConfig, type Kind, panelLayers, STATUS_LABELS, STATUS_ORDER } from "./chart-layers.ts";

export { STATUS_COLOURS } from "./chart-layers.ts";

/** One key result's history, as the chart needs it. */
export interface KrChartInput {
  code: string;
  title: string;
  /** The plan period (YYYY-MM-DD, both inclusive); the pace line runs from 0% at its start to 100% at its end. */
  period: Period;
  status: KrStatus;
  /**
   * One entry per check-in, in any order. `progress` is the KR's progress after it, in [0, 1]; `null` (a
   * %-tracked KR nobody has given a share yet) keeps the previous value, or 0% — as pace math counts it.
   * `status` is the KR's status as of that check-in (each point is coloured by it); it defaults to
   * `status` above for callers that only know the current one.
   */
  points: { at: Date; progress: number | null; status?: KrStatus }[];
  now: Date;
}

/** An objective and its key results, drawn as one small chart per KR. */
export interface ObjectiveChartInput {
  code: string;
  title: string;
  period: Period;
  now: Date;
  /** In display order; each is drawn against the objective's `period` and `now`, whatever its own say. */
  krs: KrChartInput[];
}

/** The text drawn in place of a progress line when a KR has no check-ins. */
export const NO_CHECKINS_LABEL = "no check-ins yet";

/** Size of a single-KR chart, in CSS pixels (the whole image: title, axes and plot). */
export const KR_CHART_SIZE = { width: 800, height: 400 } as const;

const DAY_MS = 86_400_000;

/** One row of the chart's single data table; every layer filters the rows of its kind. */
interface Row {
  /** Facet key (the KR's header in an objective chart). */
  kr: string;
  order: number;
  kind: Kind;
  at: string;
  pct: number;
  status: string;
  label: string;
  last: boolean;
}

type Title = Extract<TopLevelSpec, { title?: unknown }>["title"];

const iso = (ms: number) => new Date(ms).toISOString();
const startMs = (p: Period) => Date.parse(`${p.start}T00:00:00Z`);
/** The period's end as an instant: midnight after its last day, as `elapsedShare` measures it. */
const endMs = (p: Period) => Date.parse(`${p.end}T00:00:00Z`) + DAY_MS;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const shortDate = (d: Date) => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;

interface SeriesPoint {
  at: Date;
  progress: number;
  status: KrStatus;
  /** Stands for the check-ins made after an ended period: drawn on its last day as the final result. */
  final: boolean;
}

/**
 * Check-ins sorted by time with `null` progress carried forward (0% before the first share). Once
 * the period has ended, check-ins after its last day collapse into one final point on that day, so
 * the axis stays the plan period instead of running on to today.
 */
function series(kr: KrChartInput, collapseAfterEnd = true): SeriesPoint[] {
  let previous = 0;
  const all = [...kr.points]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((p): SeriesPoint => {
      previous = p.progress ?? previous;
      const progress = Math.min(1, Math.max(0, previous));
      return { at: p.at, progress, status: p.status ?? kr.status, final: false };
    });
  if (!collapseAfterEnd || planPhase(kr.period, kr.now) !== "ended") return all;
  const end = endMs(kr.period);
  const within = all.filter((p) => p.at.getTime() < end);
  const after = all.at(-1);
  if (!after || after.at.getTime() < end) return within;
  return [...within, { ...after, at: new Date(end), final: true }];
}

/** Cuts `text` to at most `max` characters on a word boundary where possible, with an ellipsis. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** Breaks `text` into at most `maxLines` lines of about `perLine` characters (the last one shortened). */
function wrap(text: string, perLine: number, maxLines: number): string[] {
  const lines: string[] = [];
  let line = "";
  const words = text.split(/\s+/).filter(Boolean);
  for (let i = 0; i < words.length; i++) {
    const word = words[i] as string;
    if (line && line.length + 1 + word.length > perLine) {
      if (lines.length === maxLines - 1) {
        lines.push(shorten(`${line} ${words.slice(i).join(" ")}`, perLine));
        return lines;
      }
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(shorten(line, perLine));
  return lines;
}

/** The rows one KR contributes: its check-ins, the pace line, the target, today and the empty label. */
function krRows(kr: KrChartInput, key: string, order: number): Row[] {
  const start = startMs(kr.period);
  const end = endMs(kr.period);
  const status = STATUS_LABELS[kr.status];
  const row = (kind: Kind, at: number, pct: number, label = "", last = false): Row => ({
    kr: key,
    order,
    kind,
    at: iso(at),
    pct,
    status,
    label,
    last,
  });
  const rows: Row[] = [
    row("pace", start, 0),
    row("pace", end, 100),
    row("pace-label", start + (end - start) * 0.5, 50, "expected pace"),
    row("target", end, 100, "target 100%"),
  ];
  const now = kr.now.getTime();
  if (now >= start && now <= end) rows.push(row("today", now, 0, "today"));
  const points = series(kr);
  points.forEach((p, i) => {
    const pct = Math.round(p.progress * 1000) / 10;
    const label = `${p.final ? "final " : ""}${Math.round(pct)}%`;
    const r = row("checkin", p.at.getTime(), pct, label, i === points.length - 1);
    rows.push({ ...r, status: STATUS_LABELS[p.status] });
  });
  // Above the left part of the pace line, where a KR ahead of pace would be: clear of every other mark.
  if (points.length === 0) rows.push(row("empty", start + (end - start) * 0.03, 75, NO_CHECKINS_LABEL));
  return rows;
}

/**
 * One line under the title: status, progress and where the pace line says it should be today; once
 * the period is over, the final progress and the day it ended (no pace), before it, the day it starts.
 */
function summary(kr: KrChartInput): string {
  const last = series(kr, false).at(-1);
  const progress = last ? last.progress : null;
  const phase = planPhase(kr.period, kr.now);
  const parts = [STATUS_LABELS[kr.status]];
  if (progress === null) parts.push(NO_CHECKINS_LABEL);
  else parts.push(`${percent(progress)}${phase === "ended" ? " final" : " done"}`);
  parts.push(periodNote(kr.period, kr.now));
  if (last) parts.push(`last check-in ${shortDate(last.at)}`);
  return parts.join(" · ");
}

/** "expected 50% by Jul 1" while the period runs; "period ended Jun 30 2022" or "period starts Jul 1 2027". */
function periodNote(period: Period, now: Date): string {
  const day = (iso: string) => {
    const d = new Date(`${iso}T00:00:00Z`);
    return `${shortDate(d)} ${d.getUTCFullYear()}`;
  };
  switch (planPhase(period, now)) {
    case "ended":
      return `period ended ${day(period.end)}`;
    case "not_started":
      return `period starts ${day(period.start)}`;
    case "running":
      return `expected ${percent(pace(null, period, now).expected)} by ${shortDate(now)}`;
  }
}

/** The statuses the check-ins of these KRs had, for the legend. */
function checkInStatuses(krs: KrChartInput[]): KrStatus[] {
  return [...new Set(krs.flatMap((kr) => kr.points.map((p) => p.status ?? kr.status)))];
}

/** A KR's progress over the plan period against the expected pace, 800×400 (see `KR_CHART_SIZE`). */
export function krChartSpec(input: KrChartInput): TopLevelSpec {
  const title: Title = {
    text: wrap(`${input.code} ${input.title}`, 58, 2),
    subtitle: summary(input),
    subtitlePadding: 6,
    offset: 12,
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: `Progress of ${input.code} over the plan period against the expected pace`,
    width: KR_CHART_SIZE.width,
    height: KR_CHART_SIZE.height,
    autosize: { type: "fit", contains: "padding" },
    padding: { top: 12, left: 12, right: 24, bottom: 12 },
    title,
    data: { values: krRows(input, input.code, 0) },
    layer: panelLayers(input.period, { statuses: checkInStatuses([input]), compact: false }),
    config: chartConfig(false),
  };
}

/** An objective's KRs as small multiples: one panel per KR, two columns up to four KRs, else three. */
export function objectiveChartSpec(input: ObjectiveChartInput): TopLevelSpec {
  const columns = input.krs.length <= 4 ? 2 : 3;
  const cell = columns === 2 ? { width: 380, height: 200 } : { width: 300, height: 180 };
  const perLine = Math.floor(cell.width / 10.5);
  const rows = input.krs.flatMap((kr, i) =>
    krRows({ ...kr, period: input.period, now: input.now }, shorten(`${kr.code} ${kr.title}`, perLine), i),
  );
  const counts = STATUS_ORDER.map((s) => [s, input.krs.filter((kr) => kr.status === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${STATUS_LABELS[s]}`);
  const title: Title = {
    text: wrap(`${input.code} ${input.title}`, 70, 2),
    subtitle: [
      `${input.krs.length} key result${input.krs.length === 1 ? "" : "s"}`,
      ...counts,
      periodNote(input.period, input.now),
    ].join(" · "),
    subtitlePadding: 6,
    offset: 12,
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    description: `Progress of the key results of ${input.code} against the expected pace`,
    padding: 16,
    title,
    data: { values: rows },
    facet: {
      field: "kr",
      type: "nominal",
      title: null,
      sort: { field: "order", op: "min" },
    },
    columns,
    spacing: { row: 24, column: 28 },
    spec: {
      ...cell,
      layer: panelLayers(input.period, { statuses: checkInStatuses(input.krs), compact: true }),
    },
    config: chartConfig(true),
  };
}
