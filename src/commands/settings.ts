import { defineCommand } from "../core/command.ts";
import { reply } from "../core/reply.ts";
import { UserError } from "../domain/errors.ts";
import { grammar } from "../domain/grammar.ts";
import { parseWeeklyRule } from "../domain/occurrences.ts";
import { splitWords } from "../domain/words.ts";
import { actorOf } from "./shared/members.ts";
import { isAdmin, requireAdmin } from "./shared/permissions.ts";
import { weekdayText, workspaceZone } from "./shared/schedule-text.ts";
import { actorZone, zoneText } from "./shared/zone.ts";

type SettingsArgs =
  | { action: "show" }
  | { action: "updates"; open: boolean }
  | { action: "timezone"; zone: string }
  | { action: "zone"; zone: string | null };

/** `/kr settings …`: your own time zone; admins: who may update KRs, and the workspace's time zone. */
export const settings = defineCommand({
  name: "settings",
  summary:
    "Show the settings, or set your own time zone; admins can let anyone update KRs or set the workspace's zone.",
  usage: "/kr settings [zone <zone>|off | updates anyone|restricted | timezone <zone>]",
  examples: [
    "/kr settings",
    "/kr settings zone Europe/Berlin",
    "/kr settings updates anyone",
    "/kr settings timezone Europe/Berlin",
  ],
  needsProfile: true,
  options: [
    {
      name: "updates",
      type: "string",
      description: "Who may update key results (admins)",
      choices: ["anyone", "restricted"],
      keyword: "updates",
    },
    {
      name: "timezone",
      type: "string",
      description: "Workspace IANA time zone (admins)",
      maxLength: 64,
      keyword: "timezone",
    },
    {
      name: "zone",
      type: "string",
      description: "Your own IANA time zone, like Europe/Berlin (off to clear)",
      maxLength: 64,
      keyword: "zone",
    },
  ],
  exclusive: [["zone", "updates", "timezone"]],
  visibility: "ephemeral",
  writes: true,
  args: grammar((text, report): SettingsArgs => {
    const [what, value, ...extra] = splitWords(text);
    if (!what) return { action: "show" };
    const key = what.toLowerCase();
    if (key === "updates" && (value === "anyone" || value === "restricted") && !extra.length) {
      return { action: "updates", open: value === "anyone" };
    }
    if (key === "timezone" && value && !extra.length) return { action: "timezone", zone: value };
    if (key === "zone" && value && !extra.length) {
      return { action: "zone", zone: /^(off|reset|none)$/i.test(value) ? null : value };
    }
    report(
      "Type `/kr settings`, `/kr settings zone Europe/Berlin` (your own zone), `/kr settings updates anyone|restricted` or `/kr settings timezone Europe/Berlin` (the workspace's).",
    );
    return { action: "show" };
  }),
  async execute(args, ctx) {
    const ws = ctx.workspace.id;
    if (args.action === "updates") {
      requireAdmin(ctx, "change who may update key results");
      await ctx.store.workspaces.setOpenUpdates(ws, args.open, actorOf(ctx));
    } else if (args.action === "timezone") {
      requireAdmin(ctx, "change the workspace's time zone");
      await ctx.store.workspaces.setTimezone(ws, checkedZone(args.zone), actorOf(ctx));
    } else if (args.action === "zone") {
      await ctx.store.members.setReminderSettings(ws, actorOf(ctx), {
        remindTimezone: args.zone === null ? null : checkedZone(args.zone),
      });
    }
    const s = await ctx.store.workspaces.settings(ws);
    const mine = await actorZone(ctx);
    const who = s.openUpdates ? "anyone in the workspace" : "a KR's owners, members of its teams, and admins";
    const lines = [
      { label: "Who may update key results", value: who },
      { label: "Time zone", value: await workspaceZone(ctx) },
      {
        label: "Reminders by default",
        value: `${weekdayText(s.reminderWeekday)} ${s.reminderTime}, in each owner's zone`,
      },
      { label: "Your time zone", value: zoneText(mine) },
      { label: "You", value: isAdmin(ctx) ? "an admin" : "a member" },
    ];
    const summary =
      args.action === "show"
        ? "Workspace settings"
        : args.action === "zone"
          ? `Your time zone is now ${zoneText(mine)}: your reminders and the times krbot shows you use it.`
          : "Settings updated";
    return reply(summary, {
      tone: args.action === "show" ? "info" : "success",
      blocks: [
        { kind: "heading", text: "Workspace settings" },
        ...(args.action === "zone" ? [{ kind: "text" as const, markdown: summary }] : []),
        { kind: "fields", items: lines },
      ],
    });
  },
});

/** The zone as Intl names it (case fixed), or a UserError saying what to type. */
function checkedZone(zone: string): string {
  const rule = parseWeeklyRule("mon", "09:00", zone);
  if (typeof rule === "string") throw new UserError(rule);
  return rule.timezone;
}
