import { defineCommand } from "../core/command.ts";
import { reply } from "../core/reply.ts";
import { checkInsCsv } from "../domain/csv.ts";
import { grammar } from "../domain/grammar.ts";
import { plural } from "../domain/plural.ts";
import { splitWords } from "../domain/words.ts";

/** `/kr export`: every check-in as a CSV file, for admins. */
export const exportCommand = defineCommand({
  name: "export",
  summary: "Get every check-in as a CSV file (admins).",
  usage: "/kr export",
  examples: ["/kr export"],
  access: { admin: "export check-ins" },
  options: [],
  needsProfile: true,
  visibility: "ephemeral",
  writes: false,
  args: grammar((text, report) => {
    if (splitWords(text).length)
      report("`export` takes nothing more; for a date range use `krbot export checkins --since`.");
    return {};
  }),
  async execute(_args, ctx) {
    const rows = await ctx.store.checkIns.export(ctx.workspace.id);
    const name = `krbot-checkins-${ctx.now().toISOString().slice(0, 10)}.csv`;
    return {
      ...reply(`Exported ${plural(rows.length, "check-in")} as ${name}.`),
      files: [
        {
          name,
          contentType: "text/csv",
          bytes: new TextEncoder().encode(checkInsCsv(rows)),
          title: "krbot check-ins",
        },
      ],
    };
  },
});
