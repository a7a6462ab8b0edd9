import type { KrStatus } from "../../core/reply.ts";

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

/** Whether a word looks like an attempted status word (for a helpful error). */
export function looksLikeStatusWord(word: string): boolean {
  return /^(on|at|off)[-_]?\w+$/i.test(word) && /track|risk/i.test(word);
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
