import { defineCommand } from "../core/command.ts";
import { grammar } from "../domain/grammar.ts";
import { STATUS_WORDS } from "../domain/status-words.ts";
import { MAX_NOTE_LENGTH } from "../domain/update-fields.ts";
import { parseUpdate } from "../domain/update-grammar.ts";
import { KR_OPTION } from "./shared/options.ts";
import { recordUpdate } from "./shared/record-update.ts";

/** `/kr update …`: a check-in, recorded once per request even if the platform retries. */
export const update = defineCommand({
  name: "update",
  aliases: ["checkin", "ci"],
  summary: "Check in on a key result: status, progress %, metric values and a note.",
  usage: "/kr update <kr> [on-track|at-risk|off-track|done] [<0-100>%] [<metric>=<number> …] [note …]",
  examples: [
    "/kr update IV.KR2 on-track trainers=25 teachers_reached=5,200 Cohort 3 certified",
    "/kr update II.KR1 at-risk 40% waiting on legal review",
    "/kr update 1.1 emerging_communities=12",
  ],
  needsProfile: true,
  optionsSummary:
    "Check in on a key result: status, progress %, metric values and a note. Leave the rest empty for a form.",
  options: [
    KR_OPTION,
    { name: "status", type: "string", description: "How it is going", choices: STATUS_WORDS },
    {
      name: "progress",
      type: "integer",
      description: "Progress in %, for KRs without metrics",
      min: 0,
      max: 100,
    },
    {
      name: "metrics",
      type: "string",
      description: "Metric values, like trainers=25 teachers_reached=5,200",
      maxLength: 500,
    },
    { name: "note", type: "string", description: "What happened", maxLength: MAX_NOTE_LENGTH },
  ],
  visibility: "channel",
  writes: true,
  args: grammar(parseUpdate),
  async execute(args, ctx) {
    return recordUpdate(args, ctx);
  },
});
