import { defineCommand } from "../core/command.ts";
import { reply } from "../core/reply.ts";
import { UserError } from "../domain/errors.ts";
import { grammar } from "../domain/grammar.ts";
import { parseWeeklyRule } from "../domain/occurrences.ts";
import { splitWords } from "../domain/words.ts";
import { actorOf } from "./shared/members.ts";
import { nextText, ruleText } from "./shared/schedule-text.ts";
import { actorZone } from "./shared/zone.ts";

type RemindArgs =
  | { action: "on" | "off" | "show" }
  | { action: "at"; weekday?: string; time?: string; zone?: string };

const EXAMPLE = "like `/kr remind thu 15:00 Europe/Berlin`, or just `/kr remind Europe/Berlin`";

/** Which part of a reminder slot a typed word is: a day (`thu`, `Thursday`, `4`), a time (`15:00`), else a zone. */
function slotPart(word: string): "time" | "zone" | "weekday" {
  if (typeof parseWeeklyRule(word, "00:00", "UTC") !== "string") return "weekday";
  if (word.includes(":") || /^\d+$/.test(word)) return "time";
  return "zone";
}

/** `/kr remind …`: your own weekly check-in reminder (a DM while you own KRs without a check-in). */
export const remind = defineCommand({
  name: "remind",
  summary:
    "Turn your weekly check-in reminder on or off, or move it to your own day, time or zone (the rest stays).",
  usage: "/kr remind [on | off | [<weekday>] [<HH:MM>] [<zone>]]",
  examples: ["/kr remind", "/kr remind thu 15:00 Asia/Kolkata", "/kr remind Europe/Berlin", "/kr remind off"],
  needsProfile: true,
  options: [
    { name: "state", type: "string", description: "Turn reminders on or off", choices: ["on", "off"] },
    {
      name: "weekday",
      type: "string",
      description: "Your reminder day (the rest stays)",
      choices: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    },
    { name: "time", type: "string", description: "Your local time HH:MM", maxLength: 5 },
    {
      name: "zone",
      type: "string",
      description: "Your IANA time zone, like Asia/Kolkata; alone it sets just your zone",
      maxLength: 64,
    },
  ],
  visibility: "ephemeral",
  writes: true,
  args: grammar((text, report): RemindArgs => {
    const words = splitWords(text);
    const first = words[0]?.toLowerCase();
    if (!first) return { action: "show" };
    if (first === "on" || first === "off") {
      if (words.length > 1) report(`\`remind ${first}\` takes nothing more.`);
      return { action: first };
    }
    const slot: { weekday?: string; time?: string; zone?: string } = {};
    for (const word of words) {
      const part = slotPart(word);
      if (part === "zone" && !/^[A-Za-z][\w+/-]*$/.test(word)) {
        report(
          `\`${word}\` isn't a day, a time or a zone. Type \`on\`, \`off\`, or a weekday, time or zone, ${EXAMPLE}.`,
        );
      }
      if (slot[part] !== undefined) {
        report(`\`${slot[part]}\` and \`${word}\` are both a ${part}; give one of each at most, ${EXAMPLE}.`);
      }
      slot[part] = word;
    }
    return { action: "at", ...slot };
  }),
  async execute(args, ctx) {
    const ws = ctx.workspace.id;
    const me = actorOf(ctx);
    const settings = await ctx.store.workspaces.settings(ws);
    const mine = () => ctx.store.members.getSettings(ws, me.platformUserId);
    const before = await mine();
    // A zone chosen here or in settings wins over the one the platform profile reports.
    const { zone } = await actorZone(ctx);
    // A changed reminder starts now: earlier occurrences are neither sent nor logged as missed.
    if (args.action === "on" || args.action === "off") {
      await ctx.store.members.setReminderSettings(ws, me, {
        remindEnabled: args.action === "on",
        ...(args.action === "on" ? { remindFrom: ctx.now() } : {}),
      });
    } else if (args.action === "at") {
      // What was not typed stays as it was: a zone alone moves the reminder to that zone, same day and time.
      const rule = parseWeeklyRule(
        args.weekday ?? String(before?.remindWeekday ?? settings.reminderWeekday),
        args.time ?? before?.remindTime ?? settings.reminderTime,
        args.zone ?? zone,
      );
      if (typeof rule === "string") throw new UserError(rule, [`Type it ${EXAMPLE}.`]);
      await ctx.store.members.setReminderSettings(ws, me, {
        remindEnabled: true,
        ...(args.weekday ? { remindWeekday: rule.weekday } : {}),
        ...(args.time ? { remindTime: rule.time } : {}),
        remindFrom: ctx.now(),
        ...(args.zone ? { remindTimezone: rule.timezone } : {}),
      });
    }
    const after = (await mine()) ?? before;
    const enabled = after?.remindEnabled ?? true;
    const rule = {
      weekday: after?.remindWeekday ?? settings.reminderWeekday,
      time: after?.remindTime ?? settings.reminderTime,
      timezone: after?.remindTimezone ?? zone,
    };
    const last = await ctx.store.claims.last(ws, "reminder", me.platformUserId);
    const next = nextText(rule, ctx.now(), {
      claimedPeriod: last?.periodKey,
      activeFrom: after?.remindFrom ?? undefined,
    });
    const text = enabled
      ? `Your check-in reminder: ${ruleText(rule)} (${next}), only when a key result you own has no check-in that week.`
      : "Your check-in reminders are off. Turn them on with `/kr remind on`.";
    return reply(text, { tone: args.action === "show" ? "info" : "success" });
  },
});
