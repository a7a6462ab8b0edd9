import { z } from "zod";
import type { Report } from "./grammar.ts";
import { looksLikeStatusWord, parseStatusWord, STATUS_WORDS } from "./status-words.ts";
import { type RawUpdateFields, type UpdateArgs, UpdateFieldsSchema } from "./update-fields.ts";
import { mentionsAsText } from "./user-ref.ts";
import { splitWordsWithOffsets } from "./words.ts";

export { MAX_NOTE_LENGTH, type UpdateArgs } from "./update-fields.ts";

/**
 * Reads `<kr> [status] [n%] [metric=value …] [note …]`. The structured words come first, in any
 * order; the first word that is none of them starts the note, which runs to the end verbatim (but for
 * named mentions, which read `@name`).
 * Word-level mistakes are reported here; the values then pass the same schema as form input.
 */
export function parseUpdate(text: string, report: Report): UpdateArgs {
  const words = splitWordsWithOffsets(text);
  const raw: RawUpdateFields = { ref: words[0]?.value ?? "", values: [], note: "" };
  let percentWord = "";
  let problems = 0;
  const problem = (message: string) => {
    problems++;
    report(message);
  };
  for (const word of words.slice(1)) {
    const w = word.value;
    if (parseStatusWord(w)) {
      if (raw.status) problem(`Two status words (\`${raw.status}\` and \`${w}\`): pick one.`);
      raw.status = w;
      continue;
    }
    if (looksLikeStatusWord(w)) {
      problem(`\`${w}\` isn't a status; use one of ${STATUS_WORDS.join(", ")}.`);
      continue;
    }
    if (w.endsWith("%")) {
      if (raw.percent !== undefined) problem(`Two percentages (\`${percentWord}\` and \`${w}\`): give one.`);
      raw.percent = w;
      percentWord = w;
      continue;
    }
    const eq = w.indexOf("=");
    if (eq >= 0) {
      const key = w.slice(0, eq).toLowerCase();
      const value = w.slice(eq + 1);
      if (!key) problem(`\`${w}\`: put the metric name before \`=\`, like \`trainers=25\`.`);
      else if (!value) problem(`\`${w}\`: give a value after \`=\`, like \`${key}=25\`.`);
      else if (raw.values.some((v) => v.key === key)) problem(`\`${key}\` is given twice; give it once.`);
      else raw.values.push({ key, raw: value });
      continue;
    }
    // A person mentioned in a note reads as they were typed, `@Carol Jones`, not as mention syntax.
    raw.note = mentionsAsText(text.slice(word.start));
    break;
  }
  const result = UpdateFieldsSchema.safeParse(raw);
  if (result.success) return result.data;
  for (const issue of result.error.issues) {
    const [field, index] = issue.path;
    // "Nothing to update" only helps when the words typed were not already rejected above.
    if (field === undefined && problems > 0) continue;
    if (field === "values" && typeof index === "number") {
      const v = raw.values[index];
      report(`\`${v?.key}=${v?.raw}\`: ${issue.message}`);
    } else if (field === "percent") report(`\`${percentWord}\`: ${issue.message}`);
    else report(issue.message);
  }
  // Only reached after report(): like any failed zod transform, its value is never used.
  return z.NEVER;
}
