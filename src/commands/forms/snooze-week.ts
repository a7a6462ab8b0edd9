/**
 * The `/kr snooze` line a "Snooze a week" button stands for. The command counts the week from
 * today in the presser's zone on its own clock, so adapters need neither a clock nor a zone.
 */
export function snoozeAWeek(krCode: string): string {
  return `snooze ${krCode} for a week`;
}
