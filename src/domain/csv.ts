import type { CheckInExportRow } from "./model.ts";

/** One exported check-in, as both the CSV and the JSON export name its fields; progress in percent. */
export interface CheckInRecord {
  time: string;
  kr: string;
  author_id: string;
  author: string;
  status: string;
  /** The KR's progress after this check-in, in percent (0–100, one decimal); null when unknown. */
  progress_pct: number | null;
  /** The percent the author reported, if they gave one. */
  reported_pct: number | null;
  values: Record<string, number>;
  note: string;
  undone: boolean;
}

const pct = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 10);

/** A store export row in the exported shape. Pure. */
export function checkInRecord(r: CheckInExportRow): CheckInRecord {
  return {
    time: r.at.toISOString(),
    kr: r.kr,
    author_id: r.authorId,
    author: r.author,
    status: r.status,
    progress_pct: pct(r.progress),
    reported_pct: pct(r.reportedProgress),
    values: r.values,
    note: r.note,
    undone: r.undone,
  };
}

/** Check-ins as a JSON array of `CheckInRecord`s (the same fields and units as the CSV). Pure. */
export function checkInsJson(rows: CheckInExportRow[]): string {
  return `${JSON.stringify(rows.map(checkInRecord), null, 2)}\n`;
}

/** Quotes a CSV field when it needs it (RFC 4180), and defuses spreadsheet formulas. */
function field(v: string): string {
  // A cell starting with = + - @ is run as a formula by spreadsheet apps; a leading ' keeps it text.
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Check-ins as CSV: one row each, a column per metric key seen. Pure. */
export function checkInsCsv(rows: CheckInExportRow[]): string {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.values)))].sort();
  const header = [
    "time",
    "kr",
    "author_id",
    "author",
    "status",
    "progress_pct",
    "reported_pct",
    ...keys,
    "note",
    "undone",
  ];
  const text = (x: number | null) => (x === null ? "" : String(x));
  const lines = rows
    .map(checkInRecord)
    .map((r) =>
      [
        r.time,
        r.kr,
        r.author_id,
        r.author,
        r.status,
        text(r.progress_pct),
        text(r.reported_pct),
        ...keys.map((k) => (r.values[k] === undefined ? "" : String(r.values[k]))),
        r.note,
        r.undone ? "yes" : "",
      ]
        .map(field)
        .join(","),
    );
  return `${[header.join(","), ...lines].join("\r\n")}\r\n`;
}
