import type { CheckInExportRow } from "../../store/store.ts";

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
  const pct = (x: number | null) => (x === null ? "" : String(Math.round(x * 1000) / 10));
  const lines = rows.map((r) =>
    [
      r.at.toISOString(),
      r.kr,
      r.authorId,
      r.author,
      r.status,
      pct(r.progress),
      pct(r.reportedProgress),
      ...keys.map((k) => (r.values[k] === undefined ? "" : String(r.values[k]))),
      r.note,
      r.undone ? "yes" : "",
    ]
      .map(field)
      .join(","),
  );
  return `${[header.join(","), ...lines].join("\r\n")}\r\n`;
}
