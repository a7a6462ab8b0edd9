/** "2026-11-28 14:02" in the given IANA zone (UTC when none or unknown). */
export function formatDateTime(at: Date, timezone?: string): string {
  const fmt = (tz: string) =>
    new Intl.DateTimeFormat("en-CA", {
      timeZone: tz,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      hourCycle: "h23",
    })
      .format(at)
      .replace(",", "");
  try {
    return fmt(timezone ?? "UTC");
  } catch {
    return `${fmt("UTC")} UTC`;
  }
}
