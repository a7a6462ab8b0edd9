import { z } from "zod";
import { defineCommand } from "../core/command.ts";
import { UserError } from "../core/errors.ts";
import { grammar } from "../core/grammar.ts";
import { reply } from "../core/reply.ts";
import { splitWords } from "../core/words.ts";
import { findKr } from "./shared/find-kr.ts";
import { actorOf } from "./shared/members.ts";
import { todayIn, workspaceZone } from "./shared/schedule-text.ts";

const isoDate = z.iso.date();

/** `/kr snooze <kr> until <date>`: no reminders about this KR until then. */
export const snooze = defineCommand({
  name: "snooze",
  summary: "Pause reminders about one key result until a date (or `off` to resume).",
  usage: "/kr snooze <kr> until <YYYY-MM-DD> | /kr snooze <kr> off",
  examples: ["/kr snooze IV.KR2 until 2027-03-15", "/kr snooze IV.KR2 off"],
  visibility: "ephemeral",
  writes: true,
  args: grammar((text, report) => {
    const [ref, word, date, ...extra] = splitWords(text);
    if (!ref) report("Name a key result, like `/kr snooze IV.KR2 until 2027-03-15`.");
    if (word?.toLowerCase() === "off" && !date) return { ref: ref ?? "", until: null };
    if (word?.toLowerCase() !== "until" || !date || extra.length) {
      report("Type `until` and a date, like `/kr snooze IV.KR2 until 2027-03-15`, or `off`.");
    } else if (!isoDate.safeParse(date).success) {
      report(`\`${date}\` isn't a date; type it as YYYY-MM-DD, like 2027-03-15.`);
    }
    return { ref: ref ?? "", until: date ?? null };
  }),
  async execute({ ref, until }, ctx) {
    const kr = await findKr(ref, ctx);
    const me = actorOf(ctx);
    const today = todayIn(ctx.now(), me.timezone ?? (await workspaceZone(ctx)));
    if (until !== null && until < today)
      throw new UserError(`${until} has already passed; pick a later date.`);
    await ctx.store.snoozeKr(ctx.workspace.id, kr.id, until, me);
    return reply(
      until
        ? `Reminders about ${kr.code} are snoozed until ${until}.`
        : `Reminders about ${kr.code} are back on.`,
      { tone: "success" },
    );
  },
});
