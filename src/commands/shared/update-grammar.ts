import type { Report } from "../../core/grammar.ts";
import type { KrStatus } from "../../core/reply.ts";
import { parseHumanNumber, splitWordsWithOffsets } from "../../core/words.ts";
import { looksLikeStatusWord, parseStatusWord, STATUS_WORDS } from "./status-words.ts";

/** The longest note a check-in may carry. */
export const MAX_NOTE_LENGTH = 2000;

/** A parsed `/kr update` line, before the KR and its metrics are looked up. */
export interface UpdateArgs {
  ref: string;
  status?: Exclude<KrStatus, "none">;
  percent?: number;
  values: { key: string; value: number; typed: string }[];
  note: string;
}

/**
 * Reads `<kr> [status] [n%] [metric=value …] [note …]`. The structured words come first, in any
 * order; the first word that is none of them starts the note, which runs to the end verbatim.
 */
export function parseUpdate(text: string, reportProblem: Report): UpdateArgs {
  let problems = 0;
  const report: Report = (message) => {
    problems++;
    reportProblem(message);
  };
  const words = splitWordsWithOffsets(text);
  const first = words[0];
  const args: UpdateArgs = { ref: first?.value ?? "", values: [], note: "" };
  if (!first) {
    report("Tell me which key result to update, and what changed.");
    return args;
  }
  for (const word of words.slice(1)) {
    const w = word.value;
    const status = parseStatusWord(w);
    if (status) {
      if (args.status)
        report(`Two status words (\`${args.status.replace("_", "-")}\` and \`${w}\`): pick one.`);
      args.status = status;
      continue;
    }
    if (looksLikeStatusWord(w)) {
      report(`\`${w}\` isn't a status; use one of ${STATUS_WORDS.join(", ")}.`);
      continue;
    }
    if (w.endsWith("%")) {
      const n = /^\d{1,3}(?:\.\d+)?%$/.test(w) ? Number(w.slice(0, -1)) : Number.NaN;
      if (!(n >= 0 && n <= 100)) report(`\`${w}\`: progress is a percentage from 0% to 100%, like \`40%\`.`);
      else if (args.percent !== undefined)
        report(`Two percentages (\`${args.percent}%\` and \`${w}\`): give one.`);
      else args.percent = n;
      continue;
    }
    const eq = w.indexOf("=");
    if (eq >= 0) {
      const key = w.slice(0, eq).toLowerCase();
      const raw = w.slice(eq + 1);
      if (!key) report(`\`${w}\`: put the metric name before \`=\`, like \`trainers=25\`.`);
      else if (!raw) report(`\`${w}\`: give a value after \`=\`, like \`${key}=25\`.`);
      else if (!/^[a-z][a-z0-9_-]*$/.test(key))
        report(`\`${w}\`: metric names are words like \`teachers_reached\`.`);
      else {
        const value = parseHumanNumber(raw);
        if (value === undefined) report(`\`${w}\`: expected a number like \`25\`, \`7,000\` or \`12.5\`.`);
        else if (args.values.some((v) => v.key === key)) report(`\`${key}\` is given twice; give it once.`);
        else args.values.push({ key, value, typed: w });
      }
      continue;
    }
    args.note = text.slice(word.start).trim();
    break;
  }
  if (args.note.length > MAX_NOTE_LENGTH) {
    report(
      `Your note is ${args.note.length.toLocaleString("en-US")} characters; the limit is 2,000. Shorten it or link to a doc.`,
    );
  }
  if (
    problems === 0 &&
    !args.status &&
    args.percent === undefined &&
    args.values.length === 0 &&
    !args.note
  ) {
    report(
      "Tell me what changed: a status (on-track, at-risk, off-track, done), a %, metric=value pairs, or a note.",
    );
  }
  return args;
}
