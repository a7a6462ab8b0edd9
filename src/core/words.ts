import { z } from "zod";

/** Splits argument text into whitespace-separated words. */
export function splitWords(text: string): string[] {
  return text.match(/\S+/g) ?? [];
}

/** A schema that turns argument text into its words, for commands with simple grammars. */
export const words = z.string().transform(splitWords);

/** A word with its offset in the original text, so a command can take "the rest" verbatim. */
export interface Word {
  value: string;
  start: number;
}

/** Splits text into words with offsets. */
export function splitWordsWithOffsets(text: string): Word[] {
  return [...text.matchAll(/\S+/g)].map((m) => ({ value: m[0], start: m.index ?? 0 }));
}

/**
 * Parses a number as people type it: `7000`, `7,000`, `7 000` is not supported, `12.5`, `-3`.
 * Rejects NaN, Infinity, exponents and anything beyond ±1e15 (so 1e309 never becomes Infinity).
 */
export function parseHumanNumber(raw: string): number | undefined {
  const s = raw.trim();
  if (!/^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/.test(s)) return undefined;
  const n = Number(s.replace(/,/g, ""));
  if (!Number.isFinite(n) || Math.abs(n) > 1e15) return undefined;
  return n;
}

/** Formats a number for people: thousands separators, at most two decimals. */
export function formatNumber(n: number): string {
  return n.toLocaleString("en-US", { maximumFractionDigits: 2 });
}
