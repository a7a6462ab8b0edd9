import { inflateSync } from "node:zlib";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { describe, expect, it } from "vitest";
import {
  type KrChartInput,
  krChartSpec,
  NO_CHECKINS_LABEL,
  objectiveChartSpec,
  STATUS_COLOURS,
} from "../../src/charts/kr-chart.ts";
import { renderPng, renderSvg } from "../../src/charts/render.ts";

const period = { start: "2026-01-01", end: "2026-12-31" };
const now = new Date("2026-07-01T12:00:00Z");

function kr(overrides: Partial<KrChartInput> = {}): KrChartInput {
  return {
    code: "IV.KR2",
    title: "Reading Wikipedia in the Classroom expansion",
    period,
    status: "on_track",
    points: [],
    now,
    ...overrides,
  };
}

/** Check-ins on the 1st of Feb…Jun at `progress(i)`. */
function monthly(count: number, progress: (i: number) => number | null): KrChartInput["points"] {
  return Array.from({ length: count }, (_, i) => ({
    at: new Date(Date.UTC(2026, 1 + i, 1, 9)),
    progress: progress(i),
  }));
}

// --- PNG ------------------------------------------------------------------------------------------------

interface DecodedPng {
  width: number;
  height: number;
  /** RGBA, row-major. */
  pixels: Uint8Array;
}

/** A small PNG reader: signature, chunk CRCs' framing, IHDR, IDAT inflate and the five row filters. */
function decodePng(bytes: Uint8Array): DecodedPng {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect([...buf.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(buf.toString("latin1", 12, 16)).toBe("IHDR");
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const [depth, colourType, , , interlace] = buf.subarray(24, 29);
  expect(depth).toBe(8);
  expect(interlace).toBe(0);
  const channels = colourType === 6 ? 4 : colourType === 2 ? 3 : 0;
  expect(channels).toBeGreaterThan(0);

  const idat: Buffer[] = [];
  let offset = 8;
  let sawEnd = false;
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset);
    const type = buf.toString("latin1", offset + 4, offset + 8);
    if (type === "IDAT") idat.push(buf.subarray(offset + 8, offset + 8 + length));
    if (type === "IEND") sawEnd = true;
    offset += 12 + length;
  }
  expect(sawEnd).toBe(true);
  expect(offset).toBe(buf.length);

  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  expect(raw.length).toBe((stride + 1) * height);
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    for (let i = 0; i < stride; i++) {
      const x = raw[y * (stride + 1) + 1 + i] ?? 0;
      const a = i >= channels ? (rows[y * stride + i - channels] ?? 0) : 0;
      const b = y > 0 ? (rows[(y - 1) * stride + i] ?? 0) : 0;
      const c = i >= channels && y > 0 ? (rows[(y - 1) * stride + i - channels] ?? 0) : 0;
      let value: number;
      switch (filter) {
        case 0:
          value = x;
          break;
        case 1:
          value = x + a;
          break;
        case 2:
          value = x + b;
          break;
        case 3:
          value = x + ((a + b) >> 1);
          break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a);
          const pb = Math.abs(p - b);
          const pc = Math.abs(p - c);
          value = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
          break;
        }
        default:
          throw new Error(`bad PNG filter ${filter} on row ${y}`);
      }
      rows[y * stride + i] = value & 0xff;
    }
  }
  if (channels === 4) return { width, height, pixels: rows };
  const rgba = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) rgba.set([...rows.subarray(p * 3, p * 3 + 3), 255], p * 4);
  return { width, height, pixels: rgba };
}

/** How many pixels have exactly this colour (`#RRGGBB`), fully opaque. */
function countColour(png: DecodedPng, hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  let n = 0;
  for (let p = 0; p < png.pixels.length; p += 4) {
    if (
      png.pixels[p] === r &&
      png.pixels[p + 1] === g &&
      png.pixels[p + 2] === b &&
      png.pixels[p + 3] === 255
    )
      n++;
  }
  return n;
}

// --- SVG ------------------------------------------------------------------------------------------------

/** The contents of each `<g class="… NAME">…</g>` mark group (Vega names a layer's marks `<layer>_marks`). */
function markGroups(svg: string, className: string): string[] {
  const groups: string[] = [];
  const opening = new RegExp(`<g class="[^"]*\\b${className}\\b[^"]*"[^>]*?(/?)>`, "g");
  for (const match of svg.matchAll(opening)) {
    if (match[1] === "/") {
      groups.push(""); // an empty mark: <g …/>
      continue;
    }
    // Mark groups of leaf marks hold no nested <g>, so the first </g> closes them.
    const start = (match.index ?? 0) + match[0].length;
    groups.push(svg.slice(start, svg.indexOf("</g>", start)));
  }
  return groups;
}

function texts(fragment: string): string[] {
  return [...fragment.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1] ?? "");
}

/** Centres of the point symbols in a `checkins_marks` group, in the plot's coordinates (y grows down). */
function pointCentres(group: string): { x: number; y: number }[] {
  return [...group.matchAll(/<path[^>]*transform="translate\(([-\d.e]+),([-\d.e]+)\)"/g)].map((m) => ({
    x: Number(m[1]),
    y: Number(m[2]),
  }));
}

/** The pace line's two ends, from its `M x0,y0 L x1,y1` path. */
function paceLine(group: string): { x0: number; y0: number; x1: number; y1: number } {
  const m = /d="M([-\d.e]+),([-\d.e]+)L([-\d.e]+),([-\d.e]+)"/.exec(group);
  if (!m) throw new Error(`no pace path in ${group.slice(0, 200)}`);
  return { x0: Number(m[1]), y0: Number(m[2]), x1: Number(m[3]), y1: Number(m[4]) };
}

function paceYAt(line: ReturnType<typeof paceLine>, x: number): number {
  return line.y0 + ((x - line.x0) / (line.x1 - line.x0)) * (line.y1 - line.y0);
}

function only<T>(items: T[]): T {
  expect(items).toHaveLength(1);
  return items[0] as T;
}

// --- tests ----------------------------------------------------------------------------------------------

describe("KR chart PNG", () => {
  it("is a valid PNG of 1600×800 by default (2× the 800×400 chart) and 800×400 on request", async () => {
    const spec = krChartSpec(kr({ status: "at_risk", points: monthly(4, (i) => 0.1 * (i + 1)) }));
    const png = decodePng(await renderPng(spec));
    expect([png.width, png.height]).toEqual([1600, 800]);
    // Drawn, not blank: a white background with the at-risk orange of the progress line and its points.
    expect(countColour(png, "#FFFFFF")).toBeGreaterThan(png.width * png.height * 0.5);
    expect(countColour(png, STATUS_COLOURS.at_risk)).toBeGreaterThan(500);
    expect(countColour(png, STATUS_COLOURS.on_track)).toBe(0);

    const small = decodePng(await renderPng(spec, { width: 800 }));
    expect([small.width, small.height]).toEqual([800, 400]);
  });

  it("has no status colour at all when there are no check-ins", async () => {
    const png = decodePng(await renderPng(krChartSpec(kr({ status: "off_track" }))));
    expect(countColour(png, STATUS_COLOURS.off_track)).toBe(0);
  });
});

describe("KR chart content", () => {
  it("shows the pace line and an explicit 'no check-ins yet' label when there are no check-ins", async () => {
    const svg = await renderSvg(krChartSpec(kr()));
    expect(texts(only(markGroups(svg, "empty_marks")))).toEqual([NO_CHECKINS_LABEL]);
    const pace = paceLine(only(markGroups(svg, "pace_marks")));
    // From 0% at the bottom-left to 100% near the top-right of the plot (the scale goes to 115%).
    expect(pace.x1).toBeGreaterThan(pace.x0);
    expect(pace.y1).toBeLessThan(pace.y0);
    expect(pointCentres(only(markGroups(svg, "checkins_marks")))).toHaveLength(0);
    expect(texts(only(markGroups(svg, "target_label_marks")))).toEqual(["target 100%"]);
  });

  it("draws the title", async () => {
    const svg = await renderSvg(krChartSpec(kr()));
    expect(texts(only(markGroups(svg, "role-title-text")))).toEqual([
      "IV.KR2 Reading Wikipedia in the Classroom expansion",
    ]);
  });

  it("draws one point per check-in, in the status colour, the last one above the pace line when ahead", async () => {
    const points = monthly(5, (i) => 0.15 * (i + 1)); // 75% by Jun 1, when the pace line says ~41%
    const svg = await renderSvg(krChartSpec(kr({ status: "on_track", points })));
    const group = only(markGroups(svg, "checkins_marks"));
    const centres = pointCentres(group);
    expect(centres).toHaveLength(points.length);
    expect(group.match(/fill="([^"]+)"/g)?.every((f) => f === `fill="${STATUS_COLOURS.on_track}"`)).toBe(
      true,
    );

    const pace = paceLine(only(markGroups(svg, "pace_marks")));
    const last = centres.at(-1) as { x: number; y: number };
    expect(last.y).toBeLessThan(paceYAt(pace, last.x) - 50); // well above: 34 points ahead
    // Points are left to right in time, and rising.
    expect(centres.map((c) => c.x)).toEqual([...centres.map((c) => c.x)].sort((a, b) => a - b));
    expect(centres.map((c) => c.y)).toEqual([...centres.map((c) => c.y)].sort((a, b) => b - a));
    expect(texts(only(markGroups(svg, "last_value_marks")))).toEqual(["75%"]);
    expect(texts(only(markGroups(svg, "empty_marks")))).toEqual([]);
  });

  it("colours each check-in point by the status it had then, and names those statuses in a legend", async () => {
    const statuses = ["at_risk", "off_track", "on_track"] as const;
    const points = monthly(3, (i) => 0.1 * (i + 1)).map((p, i) => ({ ...p, status: statuses[i] }));
    const svg = await renderSvg(krChartSpec(kr({ status: "on_track", points })));
    const fills = [...only(markGroups(svg, "checkins_marks")).matchAll(/fill="([^"]+)"/g)].map((m) => m[1]);
    expect(fills).toEqual(statuses.map((s) => STATUS_COLOURS[s]));
    const legend = texts(markGroups(svg, "role-legend").join(""));
    expect(legend).toEqual(
      expect.arrayContaining(["status at check-in", "on track", "at risk", "off track"]),
    );
    expect(legend).not.toContain("done");
  });

  it("after the period ends: the axis stays the period, later check-ins are the final point, and no pace", async () => {
    const points = [
      { at: new Date("2026-06-01T09:00:00Z"), progress: 0.3, status: "at_risk" as const },
      { at: new Date("2027-02-01T09:00:00Z"), progress: 0.6, status: "on_track" as const },
    ];
    const spec = krChartSpec(kr({ points, now: new Date("2027-09-01T12:00:00Z") }));
    expect(JSON.stringify(spec.title)).toContain("60% final · period ended Dec 31 2026");
    expect(JSON.stringify(spec.title)).not.toContain("expected");
    const svg = await renderSvg(spec);
    expect(markGroups(svg, "today_label_marks").flatMap(texts)).toEqual([]);
    expect(texts(only(markGroups(svg, "last_value_marks")))).toEqual(["final 60%"]);
    const pace = paceLine(only(markGroups(svg, "pace_marks")));
    const last = pointCentres(only(markGroups(svg, "checkins_marks"))).at(-1) as { x: number };
    // The pace line ends on the period's last day, at the right edge: the final point sits there.
    expect(Math.abs(last.x - pace.x1)).toBeLessThan(1);
  });

  it("puts the last point below the pace line when behind", async () => {
    const points = monthly(5, (i) => 0.02 * (i + 1));
    const svg = await renderSvg(krChartSpec(kr({ status: "off_track", points })));
    const last = pointCentres(only(markGroups(svg, "checkins_marks"))).at(-1) as { x: number; y: number };
    expect(last.y).toBeGreaterThan(paceYAt(paceLine(only(markGroups(svg, "pace_marks"))), last.x));
  });

  it("keeps the previous progress for a check-in that reported none, and 0% before any", async () => {
    const points = [
      { at: new Date("2026-03-01T00:00:00Z"), progress: null },
      { at: new Date("2026-02-01T00:00:00Z"), progress: null },
      { at: new Date("2026-04-01T00:00:00Z"), progress: 0.5 },
      { at: new Date("2026-05-01T00:00:00Z"), progress: null },
    ];
    const svg = await renderSvg(krChartSpec(kr({ points })));
    const ys = pointCentres(only(markGroups(svg, "checkins_marks"))).map((c) => c.y);
    expect(ys).toHaveLength(4);
    const [feb, mar, apr, may] = ys as [number, number, number, number];
    expect(feb).toBe(mar);
    expect(apr).toBeLessThan(feb);
    expect(may).toBe(apr);
  });

  it("says where the KR stands in the subtitle", async () => {
    const svg = await renderSvg(krChartSpec(kr({ status: "at_risk", points: monthly(2, () => 0.3) })));
    const subtitle = texts(only(markGroups(svg, "role-title-subtitle"))).join(" ");
    expect(subtitle).toContain("at risk");
    expect(subtitle).toContain("30% done");
    expect(subtitle).toMatch(/expected 50% by Jul 1/);
  });
});

describe("objective chart", () => {
  const krs = [
    kr({
      code: "IV.KR1",
      title: "Train 500 teachers",
      status: "on_track",
      points: monthly(3, (i) => 0.2 * i),
    }),
    kr({ code: "IV.KR2", status: "at_risk", points: monthly(2, (i) => 0.1 * i) }),
    kr({ code: "IV.KR3", title: "Three more countries", status: "none" }),
    kr({ code: "IV.KR4", title: "Done", status: "done", points: monthly(1, () => 1) }),
  ];
  const spec = objectiveChartSpec({ code: "IV", title: "Wikipedia in education grows", period, now, krs });

  it("has one facet per KR, titled with the KR, in the given order", async () => {
    const svg = await renderSvg(spec);
    const titles = markGroups(svg, "role-title-text").flatMap(texts);
    expect(titles).toContain("IV Wikipedia in education grows");
    const facets = titles.filter((t) => t !== "IV Wikipedia in education grows");
    expect(facets).toHaveLength(4);
    expect(facets.map((t) => t.split(" ")[0])).toEqual(["IV.KR1", "IV.KR2", "IV.KR3", "IV.KR4"]);
    expect(markGroups(svg, "pace_marks")).toHaveLength(4);
    const pointsPerFacet = markGroups(svg, "checkins_marks").map((g) => pointCentres(g).length);
    expect(pointsPerFacet).toEqual([3, 2, 0, 1]);
    expect(markGroups(svg, "empty_marks").map((g) => texts(g))).toEqual([[], [], [NO_CHECKINS_LABEL], []]);
  });

  it("renders to a valid PNG", async () => {
    const png = decodePng(await renderPng(spec));
    expect(png.width).toBeGreaterThan(1000);
    expect(png.height).toBeGreaterThan(800);
    for (const status of ["on_track", "at_risk", "done"] as const) {
      expect(countColour(png, STATUS_COLOURS[status])).toBeGreaterThan(100);
    }
  });
});

describe("renderSvg", () => {
  it("gives the same SVG as compiling the spec directly (the compiled-spec cache swaps data and titles)", async () => {
    const a = krChartSpec(kr({ points: monthly(3, (i) => 0.2 * i) }));
    const b = krChartSpec(
      kr({ code: "I.KR9", title: "Another", status: "done", points: monthly(5, () => 1) }),
    );
    const svgA = await renderSvg(a);
    const svgB = await renderSvg(b); // same shape as `a`: served from the cache
    expect(await renderSvg(a)).toBe(svgA);

    const direct = async (spec: TopLevelSpec) => {
      const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
      const svg = await view.toSVG();
      view.finalize();
      return svg;
    };
    expect(svgB).toBe(await direct(b));
    expect(svgA).toBe(await direct(a));
  });

  it("draws all text in the bundled font", async () => {
    const svg = await renderSvg(krChartSpec(kr({ points: monthly(2, () => 0.5) })));
    const families = new Set([...svg.matchAll(/font-family="([^"]*)"/g)].map((m) => m[1]));
    expect([...families]).toEqual(["DejaVu Sans"]);
  });
});
