import { z } from "zod";
import { defineCommand } from "../core/command.ts";
import { type Block, reply } from "../core/reply.ts";
import { UserError } from "../domain/errors.ts";
import { grammar } from "../domain/grammar.ts";
import { activeSnoozes, everyoneText } from "../domain/snooze-text.ts";
import { splitWords } from "../domain/words.ts";
import { findKr } from "./shared/find-kr.ts";
import { actorOf } from "./shared/members.ts";
import { KR_OPTION } from "./shared/options.ts";
import { requireOwnerOrAdmin } from "./shared/permissions.ts";
import { todayIn } from "./shared/schedule-text.ts";
import { actorZone } from "./shared/zone.ts";

const isoDate = z.iso.date();

/** How long `/kr snooze <kr> for a week` (the reminder's "Snooze a week" button) pauses a reminder. */
export const SNOOZE_BUTTON_DAYS = 7;

/** YYYY-MM-DD plus `days` calendar days. */
function addDays(date: string, days: number): string {
  const [y, m, d] = date.split("-").map(Number);
  return new Date(Date.UTC(y as number, (m as number) - 1, (d as number) + days)).toISOString().slice(0, 10);
}

/**
 * `/kr snooze <kr> until <date> [for everyone]`: a person pauses their own reminder about a KR;
 * an owner or admin may pause every owner's (`for everyone`). `off` lifts the pause again.
 */
export const snooze = defineCommand({
  name: "snooze",
  summary:
    "Pause your reminders about one key result until a date (`off` resumes); owners and admins can pause them for everyone.",
  usage: "/kr snooze <kr> until <YYYY-MM-DD> [for everyone] | /kr snooze <kr> off [for everyone]",
  examples: [
    "/kr snooze IV.KR2 until 2027-03-15",
    "/kr snooze IV.KR2 until 2027-06-01 for everyone",
    "/kr snooze IV.KR2 off",
  ],
  needsProfile: true,
  options: [
    KR_OPTION,
    {
      name: "until",
      type: "string",
      description: "Last day of the pause, YYYY-MM-DD, or off",
      required: true,
      maxLength: 10,
    },
    {
      name: "everyone",
      type: "boolean",
      description: "Pause every owner's reminder, not just yours (owners and admins)",
    },
  ],
  visibility: "ephemeral",
  writes: true,
  args: grammar((text, report) => {
    const all = splitWords(text);
    const tail = all.slice(-2).map((w) => w.toLowerCase());
    const forEveryone = all.length >= 2 && tail[0] === "for" && tail[1] === "everyone";
    const [ref, word, date, ...extra] = forEveryone ? all.slice(0, -2) : all;
    const example = "`/kr snooze IV.KR2 until 2027-03-15`";
    if (!ref) report(`Name a key result, like ${example}.`);
    const base = { ref: ref ?? "", forEveryone, aWeek: false };
    if (word?.toLowerCase() === "off" && !date) return { ...base, until: null };
    // What the reminder's "Snooze a week" button sends: the date is counted from today in the
    // presser's zone by the command, not by the adapter.
    if ([word, date, ...extra].join(" ").toLowerCase() === "for a week")
      return { ...base, until: null, aWeek: true };
    if (word?.toLowerCase() !== "until" || !date || extra.length) {
      report(
        `Type \`until\` and a date, like ${example}, or \`off\`; add \`for everyone\` to pause every owner's reminder.`,
      );
    } else if (!isoDate.safeParse(date).success) {
      report(`\`${date}\` isn't a date; type it as YYYY-MM-DD, like 2027-03-15.`);
    }
    return { ...base, until: date ?? null };
  }),
  async execute({ ref, until: typed, forEveryone, aWeek }, ctx) {
    const kr = await findKr(ref, ctx);
    const me = actorOf(ctx);
    if (forEveryone) {
      const action = `pause reminders about ${kr.code} for everyone`;
      requireOwnerOrAdmin(ctx, kr, action, [
        `To pause only your own reminder, type \`/kr snooze ${kr.code} until <YYYY-MM-DD>\`.`,
      ]);
    }
    const today = todayIn(ctx.now(), (await actorZone(ctx)).zone);
    const until = aWeek ? addDays(today, SNOOZE_BUTTON_DAYS) : typed;
    if (until !== null && until < today)
      throw new UserError(`${until} has already passed; pick a later date.`);
    const active = activeSnoozes(await ctx.store.snoozes.list(ctx.workspace.id), kr.id, today);
    const everyone = active.find((s) => s.forEveryone);
    const mine = active.find((s) => !s.forEveryone && s.by.platformUserId === me.platformUserId);
    if (until === null) {
      // Nothing to lift: say so, and write nothing.
      if (forEveryone && !everyone)
        return reply(`Nothing was paused: reminders about ${kr.code} weren't paused for everyone.`);
      if (!forEveryone && !mine) {
        return reply(`Nothing was paused: you hadn't snoozed reminders about ${kr.code}.`, {
          blocks: [
            { kind: "text", markdown: `Nothing was paused: you hadn't snoozed reminders about ${kr.code}.` },
            ...(everyone ? [{ kind: "context" as const, text: `But ${everyoneText(everyone)}.` }] : []),
          ],
        });
      }
    }
    await ctx.store.snoozes.set(ctx.workspace.id, kr.id, until, me, { forEveryone, at: ctx.now() });
    if (forEveryone) {
      return reply(
        until
          ? `Reminders about ${kr.code} are paused for everyone until ${until}; its owners are told in their next reminder.`
          : `Reminders about ${kr.code} are back on for everyone.`,
        { tone: "success" },
      );
    }
    const summary = until
      ? `Your reminders about ${kr.code} are snoozed until ${until}.`
      : `Your reminders about ${kr.code} are back on.`;
    const notes: Block[] = [];
    if (until) {
      notes.push({
        kind: "context",
        text: `Only yours: other owners still get theirs. An owner or admin can pause them for everyone with \`/kr snooze ${kr.code} until ${until} for everyone\`.`,
      });
    }
    if (!until && everyone) notes.push({ kind: "context", text: `But ${everyoneText(everyone)}.` });
    return reply(summary, {
      tone: "success",
      blocks: [{ kind: "text", markdown: summary }, ...notes],
    });
  },
});
