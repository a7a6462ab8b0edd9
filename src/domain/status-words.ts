import type { KrStatus } from "./kr-status.ts";
import { editDistance } from "./suggest.ts";

const WORDS: Record<string, Exclude<KrStatus, "none">> = {
  "on-track": "on_track",
  on_track: "on_track",
  ontrack: "on_track",
  "at-risk": "at_risk",
  at_risk: "at_risk",
  atrisk: "at_risk",
  "off-track": "off_track",
  off_track: "off_track",
  offtrack: "off_track",
  done: "done",
  complete: "done",
  completed: "done",
};

/** The status words users type, as shown in help and errors. */
export const STATUS_WORDS = ["on-track", "at-risk", "off-track", "done"] as const;

/** Reads a status word (`on-track`, `At_Risk`, `done` …); undefined when it is not one. */
export function parseStatusWord(word: string): Exclude<KrStatus, "none"> | undefined {
  return WORDS[word.toLowerCase()];
}

/**
 * Whether a word looks like a mistyped status word (`on-trak`, `offtrack!`, `at_rsk`), so it is
 * rejected with the valid words instead of silently starting the note. Ordinary note words
 * ("done.", "follow-up") stay notes.
 */
export function looksLikeStatusWord(word: string): boolean {
  const w = word.toLowerCase();
  if (/^(on|at|off)[-_]?\w*$/.test(w) && /track|risk/.test(w)) return true;
  if (!/[-_]/.test(w)) return false;
  const spelled = w.replace(/_/g, "-");
  return STATUS_WORDS.some((s) => s !== "done" && editDistance(spelled, s) <= 2);
}

const LABELS: Record<KrStatus, string> = {
  on_track: "on track",
  at_risk: "at risk",
  off_track: "off track",
  done: "done",
  none: "no status yet",
};

/** How a status reads in a sentence. */
export function statusLabel(status: KrStatus): string {
  return LABELS[status];
}
