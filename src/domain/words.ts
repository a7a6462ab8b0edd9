import { z } from "zod";

/** One token of argument text: its value (quotes removed) and where it was in the text. */
export interface Token {
  value: string;
  start: number;
  end: number;
  /** Written in quotes: `"Trust & Safety Policy"` is one token whatever it holds. */
  quoted: boolean;
}

/**
 * A token is a platform mention (`<@U123>`, `<@U123|Carol Jones>`: the label runs to the first `>`,
 * which mention labels never hold raw, see user-ref.ts), a quoted string (`"…"` or `“…”`, closed
 * before a space or the end), or a run of non-space characters. An unclosed or mid-word quote is
 * an ordinary character (`5"`, `"abc`).
 */
const TOKEN = /(<@!?[A-Za-z0-9_]+(?:\|[^>]*)?>)|"([^"]*)"(?=\s|$)|“([^”]*)”(?=\s|$)|\S+/g;

/** Splits argument text into tokens: mentions and quoted strings stay whole, quotes are dropped. */
export function tokenize(text: string): Token[] {
  return [...text.matchAll(TOKEN)].map((m) => {
    const start = m.index ?? 0;
    const inner = m[2] ?? m[3];
    return {
      value: inner ?? m[0],
      start,
      end: start + m[0].length,
      quoted: inner !== undefined,
    };
  });
}

/** Splits argument text into words: mentions and quoted strings count as one word each (see {@link tokenize}). */
export function splitWords(text: string): string[] {
  return tokenize(text).map((t) => t.value);
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
