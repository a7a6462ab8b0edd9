import { z } from "zod";
import { defineCommand } from "../core/command.ts";
import { reply } from "../core/reply.ts";
import { UserError } from "../domain/errors.ts";
import { grammar } from "../domain/grammar.ts";
import { splitWords } from "../domain/words.ts";
import { actorOf } from "./shared/members.ts";
import { todayIn } from "./shared/schedule-text.ts";
import { actorZone } from "./shared/zone.ts";

const isoDate = z.iso.date();

/** `/kr away until <date> | off`: pause every reminder for you, e.g. on holiday. */
export const away = defineCommand({
  name: "away",
  summary: "Pause all your reminders until a date (say, a holiday), or end that early with `off`.",
  usage: "/kr away until <YYYY-MM-DD> | /kr away off",
  examples: ["/kr away until 2027-08-31", "/kr away off"],
  needsProfile: true,
  options: [
    {
      name: "until",
      type: "string",
      description: "Last day away, YYYY-MM-DD, or off",
      required: true,
      maxLength: 10,
    },
  ],
  visibility: "ephemeral",
  writes: true,
  args: grammar((text, report) => {
    const [word, date, ...extra] = splitWords(text);
    if (word?.toLowerCase() === "off" && !date) return { until: null };
    if (word?.toLowerCase() !== "until" || !date || extra.length) {
      report("Type `until` and a date, like `/kr away until 2027-08-31`, or `off`.");
    } else if (!isoDate.safeParse(date).success) {
      report(`\`${date}\` isn't a date; type it as YYYY-MM-DD, like 2027-08-31.`);
    }
    return { until: date ?? null };
  }),
  async execute({ until }, ctx) {
    const me = actorOf(ctx);
    const today = todayIn(ctx.now(), (await actorZone(ctx)).zone);
    if (until !== null && until < today)
      throw new UserError(`${until} has already passed; pick a later date.`);
    if (until === null) {
      const self = (await ctx.store.members.list(ctx.workspace.id)).find(
        (m) => m.platformUserId === me.platformUserId,
      );
      // Not away (never, or the date has passed): nothing to end, and nothing is written.
      if (!self?.awayUntil || self.awayUntil < today)
        return reply("Nothing was paused: you weren't away, so your reminders were already on.");
    }
    await ctx.store.members.setReminderSettings(ctx.workspace.id, me, { awayUntil: until });
    return reply(
      until
        ? `No reminders for you until ${until} (inclusive). Enjoy!`
        : "Welcome back: your reminders are on again.",
      {
        tone: "success",
      },
    );
  },
});
