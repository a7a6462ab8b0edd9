/**
 * Renders a Vega-Lite spec to SVG (Vega's headless string renderer, no canvas, no browser) and to PNG (resvg,
 * a Rust rasteriser shipped as an npm binary), with the bundled DejaVu Sans and no system fonts, so a chart
 * comes out the same on every machine.
 */
import { crc32, deflateSync } from "node:zlib";
import { Resvg, type ResvgRenderOptions } from "@resvg/resvg-js";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { CHART_FONT_FAMILY, chartFontFiles, chartFontMetrics } from "./font.ts";

/** Default raster scale: twice the spec's CSS size, so charts stay sharp on high-density phone screens. */
export const DEFAULT_SCALE = 2;

/** The part of a Vega text item that sizes it. */
interface TextItem {
  fontSize?: number | string | null;
  fontWeight?: number | string | null;
}

/** vega-scenegraph's text measurer: exported at run time, missing from vega's typings. */
const { textMetrics } = vega as unknown as {
  textMetrics: { width: (item: TextItem, text: unknown) => number };
};
type VgSpec = vega.Spec;

let installed = false;

/**
 * Makes Vega measure text with the bundled font's real advance widths (the hook vl-convert uses) instead of
 * its canvas-less estimate, so padding, label overlap and titles are laid out for the glyphs resvg draws.
 */
function installTextMetrics(): void {
  if (installed) return;
  const faces = chartFontMetrics();
  textMetrics.width = (item, text) => {
    const size = item.fontSize != null ? Number(item.fontSize) || 0 : 11;
    const value = text == null ? "" : String(text).trim();
    if (size <= 0 || value === "") return 0;
    const weight = item.fontWeight;
    const bold = weight === "bold" || weight === "bolder" || (typeof weight === "number" && weight >= 600);
    return (bold ? faces.bold : faces.regular).width(value, size);
  };
  installed = true;
}

let resvgOptions: ResvgRenderOptions | undefined;

/** resvg's options: the bundled faces only (no system font scan), default family set to the same face. */
function rasterOptions(): ResvgRenderOptions {
  if (!resvgOptions) {
    const files = chartFontFiles();
    resvgOptions = {
      font: {
        loadSystemFonts: false,
        fontFiles: [files.regular, files.bold],
        defaultFontFamily: CHART_FONT_FAMILY,
        sansSerifFamily: CHART_FONT_FAMILY,
      },
      background: "white",
      shapeRendering: 2,
      textRendering: 1,
      logLevel: "error",
    };
  }
  return resvgOptions;
}

/** Name under which a spec's inline rows are bound when its compiled form is cached. */
const DATA_NAME = "krbot_chart_rows";
const TITLE_SLOT = "\u0001title";
const SUBTITLE_SLOT = "\u0001subtitle";
const CACHE_LIMIT = 32;
const compiled = new Map<string, VgSpec>();

type SpecTitle = TopLevelSpec["title"];

/**
 * Compiles Vega-Lite to Vega with `config.font` forced to the bundled family. Charts of one kind differ only
 * in their inline rows, title and description, so those are taken out, the rest is compiled once (a few
 * ms of Vega-Lite's compiler per chart saved) and the rows and texts are put back into a copy.
 */
function toVega(input: TopLevelSpec): VgSpec {
  const spec: TopLevelSpec = { ...input, config: { ...input.config, font: CHART_FONT_FAMILY } };
  const data = spec.data;
  if (!data || !("values" in data) || !Array.isArray(data.values) || data.format) return compile(spec).spec;
  const title = spec.title;
  let slot: SpecTitle;
  if (title === undefined) slot = undefined;
  else if (typeof title === "string" || Array.isArray(title)) slot = TITLE_SLOT;
  else if (typeof title.text === "string" || Array.isArray(title.text)) {
    slot = {
      ...title,
      text: TITLE_SLOT,
      ...(title.subtitle === undefined ? {} : { subtitle: SUBTITLE_SLOT }),
    };
  } else return compile(spec).spec;

  const template = {
    ...spec,
    data: { name: DATA_NAME },
    title: slot,
    description: undefined,
  } as TopLevelSpec;
  const key = JSON.stringify(template);
  let vg = compiled.get(key);
  if (vg) {
    compiled.delete(key);
  } else {
    vg = compile(template).spec;
    if (compiled.size >= CACHE_LIMIT) compiled.delete(compiled.keys().next().value as string);
  }
  compiled.set(key, vg);

  const out: VgSpec = {
    ...vg,
    data: vg.data?.map((d) => (d.name === DATA_NAME ? { ...d, values: data.values } : d)),
  };
  if (spec.description !== undefined) out.description = spec.description;
  if (title !== undefined && vg.title !== undefined) {
    if (typeof title === "string" || Array.isArray(title)) {
      out.title =
        typeof vg.title === "object" && !Array.isArray(vg.title)
          ? { ...vg.title, text: title }
          : (title as string);
    } else if (typeof vg.title === "object" && !Array.isArray(vg.title)) {
      out.title = { ...vg.title, text: title.text as string | string[] };
      if (typeof title.subtitle === "string" || Array.isArray(title.subtitle))
        out.title.subtitle = title.subtitle;
    }
  }
  return out;
}

/**
 * Compiles a Vega-Lite spec and renders it to an SVG document with Vega's headless renderer. Text is
 * measured with the bundled font; the SVG's `width`/`height` are the chart's CSS size.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  installTextMetrics();
  const view = new vega.View(vega.parse(toVega(spec)), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, "latin1");
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * Encodes RGBA pixels as a PNG: no row filters and zlib level 3, about twice as fast as resvg's own encoder
 * (which filters adaptively) for a file of about the same size on these flat, mostly white charts.
 */
function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height); // each row: filter byte 0, then the pixels
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride);
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 6, 0, 0, 0], 8); // 8 bits per channel, RGBA, deflate, no filter method variants, no interlace
  return Buffer.concat([
    PNG_SIGNATURE,
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", deflateSync(raw, { level: 3 })),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/**
 * Renders a Vega-Lite spec to PNG bytes (8-bit RGBA on an opaque white background). The image is
 * `opts.width` pixels wide, height in proportion; by default `DEFAULT_SCALE` times the spec's CSS size,
 * i.e. 1600×800 for an 800×400 KR chart.
 */
export async function renderPng(spec: TopLevelSpec, opts: { width?: number } = {}): Promise<Uint8Array> {
  const svg = await renderSvg(spec);
  const image = new Resvg(svg, {
    ...rasterOptions(),
    fitTo: opts.width ? { mode: "width", value: opts.width } : { mode: "zoom", value: DEFAULT_SCALE },
  }).render();
  const png = encodePng(image.width, image.height, image.pixels);
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}
