import { defineCommand } from "../core/command.ts";
import { UserError } from "../core/errors.ts";
import { grammar } from "../core/grammar.ts";
import { reply } from "../core/reply.ts";
import { splitWords } from "../core/words.ts";
import { parseWeeklyRule } from "../scheduler/occurrences.ts";
import { actorOf } from "./shared/members.ts";
import { isAdmin, requireAdmin } from "./shared/permissions.ts";
import { weekdayText, workspaceZone } from "./shared/schedule-text.ts";

type SettingsArgs =
  | { action: "show" }
  | { action: "updates"; open: boolean }
  | { action: "timezone"; zone: string };

/** `/kr settings …`: who may update KRs, and the workspace's time zone. */
export const settings = defineCommand({
  name: "settings",
  summary: "Show the workspace's settings; admins can let anyone update KRs or set the time zone.",
  usage: "/kr settings [updates anyone|restricted | timezone <zone>]",
  examples: ["/kr settings", "/kr settings updates anyone", "/kr settings timezone Europe/Berlin"],
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
    report(
      "Type `/kr settings`, `/kr settings updates anyone|restricted` or `/kr settings timezone Europe/Berlin`.",
    );
    return { action: "show" };
  }),
  async execute(args, ctx) {
    const ws = ctx.workspace.id;
    if (args.action === "updates") {
      requireAdmin(ctx, "change who may update key results");
      await ctx.store.setOpenUpdates(ws, args.open, actorOf(ctx));
    } else if (args.action === "timezone") {
      requireAdmin(ctx, "change the workspace's time zone");
      const rule = parseWeeklyRule("mon", "09:00", args.zone);
      if (typeof rule === "string") throw new UserError(rule);
      await ctx.store.setWorkspaceTimezone(ws, rule.timezone, actorOf(ctx));
    }
    const s = await ctx.store.getWorkspaceSettings(ws);
    const who = s.openUpdates ? "anyone in the workspace" : "a KR's owners, members of its teams, and admins";
    const lines = [
      { label: "Who may update key results", value: who },
      { label: "Time zone", value: await workspaceZone(ctx) },
      {
        label: "Reminders by default",
        value: `${weekdayText(s.reminderWeekday)} ${s.reminderTime}, in each owner's zone`,
      },
      { label: "You", value: isAdmin(ctx) ? "an admin" : "a member" },
    ];
    return reply(args.action === "show" ? "Workspace settings" : "Settings updated", {
      tone: args.action === "show" ? "info" : "success",
      blocks: [
        { kind: "heading", text: "Workspace settings" },
        { kind: "fields", items: lines },
      ],
    });
  },
});
