/**
 * Hostile inputs shared by the trust suites (Slack, Discord, shell), and small helpers to look at the
 * database the way the suites need: how many check-ins carry a request id, which workspaces exist.
 */
import type { SqliteStore } from "../../src/store/sqlite/index.ts";

/** 100 KB of text. */
export const BIG = "x".repeat(100_000);
/** A 10,000-character KR reference that starts like a real one. */
export const LONG_REF = `IV.KR2${"2".repeat(9_994)}`;
/** 3,000 `metric=value` pairs. */
export const MANY_METRICS = Array.from({ length: 3000 }, (_, i) => `m${i}=${i}`).join(" ");

export const SQL_DROP = "'; DROP TABLE checkins; --";
export const SQL_OR = '" OR 1=1 --';

/** Unicode that tends to break parsers, renderers or databases. */
export const U = {
  /** Right-to-left override … pop directional formatting. */
  rtl: "\u202Eevil\u202C",
  rlm: "\u200F",
  zwsp: "\u200B",
  bom: "\uFEFF",
  nbsp: "\u00A0",
  nul: "\u0000",
  esc: "\u001b[2J\u001b[31m",
  /** e + three combining acute accents. */
  combining: "e\u0301\u0301\u0301",
  zalgo: "Z\u0335\u0321\u0322A\u0334L\u0336G\u0337O",
  emoji: "🚀🔥👩‍👩‍👧‍👦",
  loneHigh: "\uD800",
  loneLow: "\uDC00",
  fullwidthRef: "４.２",
  lineSep: "\u2028",
} as const;

/**
 * Control, zero-width-space, BOM and bidi-control characters, which krbot strips before storing (see
 * src/core/sanitize.ts). Joiners (U+200C/U+200D) are left out: emoji sequences and some scripts need them.
 */
export const INVISIBLE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B\u200E\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/;

/** Rows in `checkins` with this request id, in any workspace. */
export function checkInsWithRequest(store: SqliteStore, requestId: string): number {
  const row = store.db.$client
    .prepare("select count(*) as n from checkins where request_id = ?")
    .get(requestId) as { n: number };
  return row.n;
}

/** The note stored with a request id's check-in (undefined when there is none). */
export function noteOf(store: SqliteStore, requestId: string): string | undefined {
  const row = store.db.$client.prepare("select note from checkins where request_id = ?").get(requestId) as
    | { note: string }
    | undefined;
  return row?.note;
}

/** `platform:external_id` of every workspace, sorted. */
export function workspaceKeys(store: SqliteStore): string[] {
  const rows = store.db.$client.prepare("select platform, external_id from workspaces").all() as {
    platform: string;
    external_id: string;
  }[];
  return rows.map((r) => `${r.platform}:${r.external_id}`).sort();
}

/** The workspace key and check-in count a request id's check-in landed in. */
export function workspaceOfRequest(store: SqliteStore, requestId: string): string | undefined {
  const row = store.db.$client
    .prepare(
      "select w.platform || ':' || w.external_id as k from checkins c join workspaces w on w.id = c.workspace_id where c.request_id = ?",
    )
    .get(requestId) as { k: string } | undefined;
  return row?.k;
}

/** The tables whose rows differ between two `snapshot()`s (empty when nothing was written). */
export function changedTables(before: string, after: string): string[] {
  if (before === after) return [];
  const a = new Map(JSON.parse(before) as [string, unknown][]);
  const b = new Map(JSON.parse(after) as [string, unknown][]);
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  return names.filter((n) => JSON.stringify(a.get(n)) !== JSON.stringify(b.get(n)));
}
