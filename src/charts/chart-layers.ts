/** The Vega-Lite layers, colours and styling shared by the single-KR chart and each objective facet. */
import type { TopLevelSpec } from "vega-lite";
import type { KrStatus } from "../domain/kr-status.ts";
import type { Period } from "../domain/status-math.ts";
import { CHART_FONT_FAMILY } from "./font.ts";

/** Okabe–Ito colours per status: distinguishable with the common colour-vision deficiencies. */
export const STATUS_COLOURS: Readonly<Record<KrStatus, string>> = {
  on_track: "#0072B2",
  at_risk: "#E69F00",
  off_track: "#D55E00",
  done: "#009E73",
  none: "#999999",
};

/** How each status is named in legends and subtitles. */
export const STATUS_LABELS: Readonly<Record<KrStatus, string>> = {
  on_track: "on track",
  at_risk: "at risk",
  off_track: "off track",
  done: "done",
  none: "no status",
};
/** The order statuses appear in legends and counts. */
export const STATUS_ORDER: KrStatus[] = ["on_track", "at_risk", "off_track", "done", "none"];

/** Text and rules in ink; secondary marks muted. */
export const INK = "#222222";
export const MUTED = "#555555";
/** The progress line between check-ins (its points carry each check-in's status colour). */
const LINE = "#444444";
/** The y scale goes a little past 100% so the target line and its label sit inside the plot. */
const Y_MAX = 115;

/** What a row of the chart's data table draws; each layer filters the rows of its kind. */
export type Kind = "checkin" | "pace" | "target" | "today" | "empty" | "pace-label";

type LayerChild = Extract<TopLevelSpec, { layer: unknown }>["layer"][number];
type Encoding = NonNullable<Extract<LayerChild, { mark: unknown }>["encoding"]>;

function dateAxisTitle(period: Period): string {
  return `date (plan period ${period.start} – ${period.end})`;
}

/** The layers of one KR panel, shared by the single chart and each facet of the objective chart. */
export function panelLayers(period: Period, opts: { statuses: KrStatus[]; compact: boolean }): LayerChild[] {
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
  // The legend names only the statuses some check-in had, in a fixed order and colour.
  const shown = STATUS_ORDER.filter((s) => opts.statuses.includes(s));
  const colour: Encoding["color"] = {
    field: "status",
    type: "nominal",
    scale: { domain: shown.map((s) => STATUS_LABELS[s]), range: shown.map((s) => STATUS_COLOURS[s]) },
    legend: shown.length ? { title: "status at check-in", orient: "top", direction: "horizontal" } : null,
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
      // One line in ink: its points carry the status of each check-in (a line coloured by status
      // would break into one line per status).
      name: "progress",
      transform: [only("checkin")],
      mark: { type: "line", strokeWidth: 3, color: LINE },
      encoding: { x, y },
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
export function chartConfig(compact: boolean) {
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
