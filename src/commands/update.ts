import { defineCommand } from "../core/command.ts";
import { grammar } from "../domain/grammar.ts";
import { parseUpdate } from "../domain/update-grammar.ts";
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
  visibility: "channel",
  writes: true,
  args: grammar(parseUpdate),
  async execute(args, ctx) {
    return recordUpdate(args, ctx);
  },
});
