/**
 * The one font every chart is drawn with, shipped as an npm package so text looks the same on every machine,
 * and a reader of its advance widths so Vega lays text out (titles, axis padding, truncation) with the
 * widths the rasteriser will actually draw, not Vega's canvas-less guess of 0.8 em per character.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

/** The family name charts ask for; the bundled TTFs declare exactly this name. */
export const CHART_FONT_FAMILY = "DejaVu Sans";

const require = createRequire(import.meta.url);

/** Paths of the bundled regular and bold faces (package `dejavu-fonts-ttf`, Bitstream Vera licence). */
export function chartFontFiles(): { regular: string; bold: string } {
  return {
    regular: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"),
    bold: require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"),
  };
}

/** Horizontal metrics of one TrueType face: advance width per code point, in em. */
export interface FaceMetrics {
  /** Advance width of `text` at `fontSize` px, without kerning. */
  width(text: string, fontSize: number): number;
}

/**
 * Reads `head`, `hhea`, `hmtx` and the Unicode BMP `cmap` (format 4) of a TrueType font. Characters the font
 * lacks measure as glyph 0 (.notdef), which is what a rasteriser without fallback fonts draws.
 */
export function parseFaceMetrics(bytes: Uint8Array): FaceMetrics {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tables = new Map<string, number>();
  const numTables = view.getUint16(4);
  for (let i = 0; i < numTables; i++) {
    const rec = 12 + i * 16;
    const tag = String.fromCharCode(
      view.getUint8(rec),
      view.getUint8(rec + 1),
      view.getUint8(rec + 2),
      view.getUint8(rec + 3),
    );
    tables.set(tag, view.getUint32(rec + 8));
  }
  const table = (tag: string): number => {
    const offset = tables.get(tag);
    if (offset === undefined) throw new Error(`font has no ${tag} table`);
    return offset;
  };
  const unitsPerEm = view.getUint16(table("head") + 18);
  const numberOfHMetrics = view.getUint16(table("hhea") + 34);
  const hmtx = table("hmtx");
  const advanceOfGlyph = (glyph: number): number =>
    view.getUint16(hmtx + 4 * Math.min(glyph, numberOfHMetrics - 1)) / unitsPerEm;

  // cmap: the Windows Unicode BMP subtable (3, 1) or a Unicode-platform one, format 4.
  const cmap = table("cmap");
  let sub = -1;
  for (let i = 0; i < view.getUint16(cmap + 2); i++) {
    const rec = cmap + 4 + i * 8;
    const platform = view.getUint16(rec);
    const encoding = view.getUint16(rec + 2);
    const offset = cmap + view.getUint32(rec + 4);
    if (view.getUint16(offset) !== 4) continue;
    if ((platform === 3 && encoding === 1) || (platform === 0 && sub < 0)) sub = offset;
  }
  if (sub < 0) throw new Error("font has no format-4 Unicode cmap");
  const segCount = view.getUint16(sub + 6) / 2;
  const endCodes = sub + 14;
  const startCodes = endCodes + 2 * segCount + 2;
  const idDeltas = startCodes + 2 * segCount;
  const idRangeOffsets = idDeltas + 2 * segCount;
  const glyphOf = (cp: number): number => {
    if (cp > 0xffff) return 0;
    for (let s = 0; s < segCount; s++) {
      if (cp > view.getUint16(endCodes + 2 * s)) continue;
      const start = view.getUint16(startCodes + 2 * s);
      if (cp < start) return 0;
      const delta = view.getUint16(idDeltas + 2 * s);
      const rangeOffsetAt = idRangeOffsets + 2 * s;
      const rangeOffset = view.getUint16(rangeOffsetAt);
      if (rangeOffset === 0) return (cp + delta) & 0xffff;
      const glyph = view.getUint16(rangeOffsetAt + rangeOffset + 2 * (cp - start));
      return glyph === 0 ? 0 : (glyph + delta) & 0xffff;
    }
    return 0;
  };

  const advances = new Map<number, number>();
  const advance = (cp: number): number => {
    let a = advances.get(cp);
    if (a === undefined) {
      a = advanceOfGlyph(glyphOf(cp));
      advances.set(cp, a);
    }
    return a;
  };
  return {
    width(text, fontSize) {
      let em = 0;
      for (const ch of text) em += advance(ch.codePointAt(0) ?? 0);
      return em * fontSize;
    },
  };
}

let loaded: { regular: FaceMetrics; bold: FaceMetrics } | undefined;

/** The bundled faces' metrics, read from disk once per process. */
export function chartFontMetrics(): { regular: FaceMetrics; bold: FaceMetrics } {
  if (!loaded) {
    const files = chartFontFiles();
    loaded = {
      regular: parseFaceMetrics(readFileSync(files.regular)),
      bold: parseFaceMetrics(readFileSync(files.bold)),
    };
  }
  return loaded;
}
