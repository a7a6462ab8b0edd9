/**
 * Declarative chart specs (Vega-Lite) for a key result's progress over its plan period, and for an
 * objective's key results as small multiples. Pure: data in, spec out; `render.ts` turns a spec into a PNG.
 */
import type { TopLevelSpec } from "vega-lite";
import type { KrStatus } from "../core/reply.ts";
import { type Period, pace } from "../core/status-math.ts";
import { CHART_FONT_FAMILY } from "./font.ts";

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
   */
  points: { at: Date; progress: number | null }[];
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

/** Okabe–Ito colours per status: distinguishable with the common colour-vision deficiencies. */
export const STATUS_COLOURS: Readonly<Record<KrStatus, string>> = {
  on_track: "#0072B2",
  at_risk: "#E69F00",
  off_track: "#D55E00",
  done: "#009E73",
  none: "#999999",
};

const STATUS_LABELS: Readonly<Record<KrStatus, string>> = {
  on_track: "on track",
  at_risk: "at risk",
  off_track: "off track",
  done: "done",
  none: "no status",
};
const STATUS_ORDER: KrStatus[] = ["on_track", "at_risk", "off_track", "done", "none"];

/** The text drawn in place of a progress line when a KR has no check-ins. */
export const NO_CHECKINS_LABEL = "no check-ins yet";

/** Size of a single-KR chart, in CSS pixels (the whole image: title, axes and plot). */
export const KR_CHART_SIZE = { width: 800, height: 400 } as const;

const DAY_MS = 86_400_000;
const INK = "#222222";
const MUTED = "#555555";
/** The y scale goes a little past 100% so the target line and its label sit inside the plot. */
const Y_MAX = 115;

type Kind = "checkin" | "pace" | "target" | "today" | "empty" | "pace-label";

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

type LayerChild = Extract<TopLevelSpec, { layer: unknown }>["layer"][number];
type Title = Extract<TopLevelSpec, { title?: unknown }>["title"];
type Encoding = NonNullable<Extract<LayerChild, { mark: unknown }>["encoding"]>;

const iso = (ms: number) => new Date(ms).toISOString();
const startMs = (p: Period) => Date.parse(`${p.start}T00:00:00Z`);
/** The period's end as an instant: midnight after its last day, as `elapsedShare` measures it. */
const endMs = (p: Period) => Date.parse(`${p.end}T00:00:00Z`) + DAY_MS;

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const shortDate = (d: Date) => `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}`;
const percent = (ratio: number) => `${Math.round(ratio * 100)}%`;

/** Check-ins sorted by time with `null` progress carried forward (0% before the first share). */
function series(points: KrChartInput["points"]): { at: Date; progress: number }[] {
  let previous = 0;
  return [...points]
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((p) => {
      previous = p.progress ?? previous;
      return { at: p.at, progress: Math.min(1, Math.max(0, previous)) };
    });
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
  const points = series(kr.points);
  points.forEach((p, i) => {
    const pct = Math.round(p.progress * 1000) / 10;
    rows.push(row("checkin", p.at.getTime(), pct, `${Math.round(pct)}%`, i === points.length - 1));
  });
  // Above the left part of the pace line, where a KR ahead of pace would be: clear of every other mark.
  if (points.length === 0) rows.push(row("empty", start + (end - start) * 0.03, 75, NO_CHECKINS_LABEL));
  return rows;
}

/** One line under the title: status, progress and where the pace line says it should be today. */
function summary(kr: KrChartInput): string {
  const last = series(kr.points).at(-1);
  const progress = last ? last.progress : null;
  const expected = pace(progress, kr.period, kr.now).expected;
  const parts = [STATUS_LABELS[kr.status]];
  parts.push(progress === null ? NO_CHECKINS_LABEL : `${percent(progress)} done`);
  parts.push(`expected ${percent(expected)} by ${shortDate(kr.now)}`);
  if (last) parts.push(`last check-in ${shortDate(last.at)}`);
  return parts.join(" · ");
}

function dateAxisTitle(period: Period): string {
  return `date (plan period ${period.start} – ${period.end})`;
}

/** The layers of one KR panel, shared by the single chart and each facet of the objective chart. */
function panelLayers(period: Period, opts: { legend: boolean; compact: boolean }): LayerChild[] {
  const labelSize = opts.compact ? 14 : 16;
  const x: Encoding["x"] = {
    field: "at",
    type: "temporal",
    scale: { type: "utc", nice: false },
    axis: {
      title: dateAxisTitle(period),
      // Month and year: check-ins can fall after the period, and a bare "Jan 1" repeats each year.
      format: "%b %Y",
      tickCount: opts.compact ? 4 : 8,
      labelOverlap: true,
      grid: false,
    },
  };
  const y: Encoding["y"] = {
    field: "pct",
    type: "quantitative",
    scale: { domain: [0, Y_MAX], nice: false, zero: true },
    axis: { title: "progress %", values: [0, 25, 50, 75, 100], format: "d" },
  };
  const only = (kind: Kind, extra = "") => ({ filter: `datum.kind === '${kind}'${extra}` });
  const colour: Encoding["color"] = {
    field: "status",
    type: "nominal",
    scale: {
      domain: STATUS_ORDER.map((s) => STATUS_LABELS[s]),
      range: STATUS_ORDER.map((s) => STATUS_COLOURS[s]),
    },
    legend: opts.legend ? { title: "status", orient: "top", direction: "horizontal" } : null,
  };
  return [
    {
      name: "target",
      transform: [only("target")],
      mark: { type: "rule", color: INK, strokeWidth: 2, strokeDash: [2, 4] },
      encoding: { y },
    },
    {
      name: "target_label",
      transform: [only("target")],
      mark: {
        type: "text",
        align: "right",
        baseline: "bottom",
        dx: -4,
        dy: -4,
        fontSize: labelSize,
        color: INK,
      },
      encoding: { x, y, text: { field: "label" } },
    },
    {
      name: "today",
      transform: [only("today")],
      mark: { type: "rule", color: MUTED, strokeWidth: 1 },
      encoding: { x },
    },
    {
      name: "today_label",
      transform: [only("today")],
      mark: {
        type: "text",
        align: "left",
        baseline: "bottom",
        dx: 4,
        dy: -4,
        fontSize: labelSize,
        color: MUTED,
      },
      encoding: { x, y, text: { field: "label" } },
    },
    {
      name: "pace",
      transform: [only("pace")],
      mark: { type: "line", color: MUTED, strokeWidth: 2, strokeDash: [8, 6] },
      encoding: { x, y },
    },
    {
      name: "pace_label",
      transform: [only("pace-label")],
      mark: {
        type: "text",
        align: "left",
        baseline: "top",
        dx: 10,
        dy: 6,
        fontSize: labelSize,
        color: MUTED,
      },
      encoding: { x, y, text: { field: "label" } },
    },
    {
      name: "progress",
      transform: [only("checkin")],
      mark: { type: "line", strokeWidth: 3 },
      encoding: { x, y, color: colour },
    },
    {
      name: "checkins",
      transform: [only("checkin")],
      mark: { type: "point", filled: true, opacity: 1, size: opts.compact ? 70 : 110 },
      encoding: { x, y, color: colour },
    },
    {
      name: "last_value",
      transform: [only("checkin", " && datum.last")],
      mark: {
        type: "text",
        align: "center",
        baseline: "bottom",
        dy: -10,
        fontSize: labelSize + 2,
        fontWeight: "bold",
      },
      encoding: { x, y, text: { field: "label" }, color: colour },
    },
    {
      name: "empty",
      transform: [only("empty")],
      mark: { type: "text", align: "left", fontSize: opts.compact ? 18 : 22, color: MUTED },
      encoding: { x, y, text: { field: "label" } },
    },
  ];
}

/** Fonts, sizes and colours shared by both charts: large enough to read on a phone. */
function chartConfig(compact: boolean) {
  const labels = compact ? 14 : 16;
  return {
    font: CHART_FONT_FAMILY,
    background: "white",
    view: { stroke: "#cccccc" },
    axis: {
      labelFontSize: labels,
      titleFontSize: labels + 2,
      titleFontWeight: "normal",
      labelColor: INK,
      titleColor: INK,
      gridColor: "#e6e6e6",
    },
    legend: { labelFontSize: labels, titleFontSize: labels, symbolStrokeWidth: 3 },
    header: {
      labelFontSize: 16,
      labelFontWeight: "bold",
      labelColor: INK,
      labelAnchor: "start",
      labelLimit: 0,
    },
    title: {
      fontSize: 22,
      subtitleFontSize: 16,
      anchor: "start",
      color: INK,
      subtitleColor: MUTED,
      limit: 0,
    },
  } as const;
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
    layer: panelLayers(input.period, { legend: false, compact: false }),
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
      `expected ${percent(pace(null, input.period, input.now).expected)} by ${shortDate(input.now)}`,
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
    spec: { ...cell, layer: panelLayers(input.period, { legend: true, compact: true }) },
    config: chartConfig(true),
  };
}
