import { defineCommand } from "../core/command.ts";
import { UserError } from "../core/errors.ts";
import { grammar } from "../core/grammar.ts";
import { reply } from "../core/reply.ts";
import { splitWords } from "../core/words.ts";
import { parseWeeklyRule } from "../scheduler/occurrences.ts";
import { actorOf } from "./shared/members.ts";
import { nextText, ruleText, workspaceZone } from "./shared/schedule-text.ts";

type RemindArgs =
  | { action: "on" | "off" | "show" }
  | { action: "at"; weekday: string; time: string; zone?: string };

/** `/kr remind …`: your own weekly check-in reminder (a DM while you own KRs without a check-in). */
export const remind = defineCommand({
  name: "remind",
  summary: "Turn your weekly check-in reminder on or off, or move it to your own day, time and zone.",
  usage: "/kr remind [on | off | <weekday> <HH:MM> [<zone>]]",
  examples: ["/kr remind", "/kr remind thu 15:00 Asia/Kolkata", "/kr remind off"],
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
    if (words.length < 2 || words.length > 3) {
      report(
        "Type `on`, `off`, or a weekday and time with an optional zone, like `/kr remind thu 15:00 Europe/Berlin`.",
      );
    }
    return {
      action: "at",
      weekday: words[0] ?? "",
      time: words[1] ?? "",
      ...(words[2] ? { zone: words[2] } : {}),
    };
  }),
  async execute(args, ctx) {
    const ws = ctx.workspace.id;
    const me = actorOf(ctx);
    const settings = await ctx.store.getWorkspaceSettings(ws);
    const mine = async () =>
      (await ctx.store.listMembers(ws)).find((m) => m.platformUserId === me.platformUserId);
    const before = await mine();
    // A zone chosen here wins over the one the platform profile reports (see the scheduler).
    const zone = before?.remindTimezone ?? before?.timezone ?? me.timezone ?? (await workspaceZone(ctx));
    // A changed reminder starts now: earlier occurrences are neither sent nor logged as missed.
    if (args.action === "on" || args.action === "off") {
      await ctx.store.setReminderSettings(ws, me, {
        remindEnabled: args.action === "on",
        ...(args.action === "on" ? { remindFrom: ctx.now() } : {}),
      });
    } else if (args.action === "at") {
      const rule = parseWeeklyRule(args.weekday, args.time, args.zone ?? zone);
      if (typeof rule === "string")
        throw new UserError(rule, ["Type it like `/kr remind thu 15:00 Europe/Berlin`."]);
      await ctx.store.setReminderSettings(ws, me, {
        remindEnabled: true,
        remindWeekday: rule.weekday,
        remindTime: rule.time,
        remindFrom: ctx.now(),
        ...(args.zone ? { remindTimezone: rule.timezone } : {}),
      });
    }
    const after = (await mine()) ?? before;
    const enabled = after?.remindEnabled ?? true;
    const rule = {
      weekday: after?.remindWeekday ?? settings.reminderWeekday,
      time: after?.remindTime ?? settings.reminderTime,
      timezone: after?.remindTimezone ?? after?.timezone ?? zone,
    };
    const last = await ctx.store.lastClaim(ws, "reminder", me.platformUserId);
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
