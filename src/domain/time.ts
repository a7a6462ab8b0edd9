// Building an Intl.DateTimeFormat costs ~0.2 ms; history formats many timestamps, so keep one per zone.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** "2026-11-28 14:02" in the given IANA zone; UTC (labelled) when the zone is unknown. */
export function formatDateTime(at: Date, timezone?: string): string {
  try {
    return formatterFor(timezone ?? "UTC")
      .format(at)
      .replace(",", "");
  } catch {
    return `${formatterFor("UTC").format(at).replace(",", "")} UTC`;
  }
}
