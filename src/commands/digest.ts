import { type CommandContext, defineCommand } from "../core/command.ts";
import { digestWindowStart, gatherDigest, scopeLabel } from "../core/digest/gather.ts";
import { type Block, reply } from "../core/reply.ts";
import { UserError } from "../domain/errors.ts";
import { grammar } from "../domain/grammar.ts";
import { resolveObjective } from "../domain/kr-ref.ts";
import type { DigestSchedule, DigestScope } from "../domain/model.ts";
import { parseWeeklyRule } from "../domain/occurrences.ts";
import { formatDateTime } from "../domain/time.ts";
import { splitWords } from "../domain/words.ts";
import { actorOf } from "./shared/members.ts";
import { requireAdmin } from "./shared/permissions.ts";
import { requirePlan } from "./shared/plan-context.ts";
import { nextText, ruleText, workspaceZone } from "./shared/schedule-text.ts";

type DigestArgs =
  | { action: "here"; weekday?: string; time?: string; zone?: string; scope?: DigestScope }
  | { action: "off" | "list" | "preview" };

/** A new digest's slot when none is given: Mondays 09:00. */
const DEFAULT_SLOT = { weekday: 1, time: "09:00" };

const USAGE_HINT = "Type it like `/kr digest here mon 09:00 Europe/Berlin team Growth`.";

/** `/kr digest …`: a channel's weekly digest (set, stop, list, preview). */
export const digest = defineCommand({
  name: "digest",
  summary:
    "Post a weekly digest in this channel (default Mondays 09:00), stop it, list digests, or preview one. Changing a digest keeps what you don't name.",
  usage:
    "/kr digest here [<weekday> <HH:MM> [<zone>]] [objective <code> | team <name> | all] | off | list | preview",
  examples: [
    "/kr digest here",
    "/kr digest here fri 16:00 Europe/Berlin objective IV",
    "/kr digest preview",
    "/kr digest off",
  ],
  needsPlan: true,
  needsProfile: true,
  options: [
    {
      name: "action",
      type: "string",
      description: "here: post it in this channel; off; list; preview",
      required: true,
      choices: ["here", "off", "list", "preview"],
    },
    {
      name: "weekday",
      type: "string",
      description: "Day of the week (default mon)",
      choices: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"],
    },
    { name: "time", type: "string", description: "Local time HH:MM (default 09:00)", maxLength: 5 },
    {
      name: "zone",
      type: "string",
      description: "IANA time zone, like Europe/Berlin; alone it moves the digest to it",
      maxLength: 64,
    },
    { name: "objective", type: "string", description: "Only this objective", autocomplete: "objective" },
    { name: "team", type: "string", description: "Only this team", autocomplete: "team" },
  ],
  visibility: "ephemeral",
  writes: true,
  args: grammar((text, report): DigestArgs => {
    const [action, ...rest] = splitWords(text);
    const a = action?.toLowerCase();
    if (a === "off" || a === "list" || a === "preview") {
      if (rest.length) report(`\`digest ${a}\` takes nothing more.`);
      return { action: a };
    }
    if (a !== "here") {
      report(`Say what to do with the digest: \`here\`, \`off\`, \`list\` or \`preview\`. ${USAGE_HINT}`);
      return { action: "list" };
    }
    const args: Extract<DigestArgs, { action: "here" }> = { action: "here" };
    let i = 0;
    const scopeAt = rest.findIndex((w) => /^(objective|team|all)$/i.test(w));
    const slot = scopeAt >= 0 ? rest.slice(0, scopeAt) : rest;
    // A zone alone moves an existing digest to that zone at the same day and time.
    const zoneAlone = slot.length === 1 && /\/|^(utc|gmt)$/i.test(slot[0] as string);
    if (zoneAlone) args.zone = slot[0];
    else if (slot.length === 1 || slot.length > 3)
      report(`Give a weekday and a time, and optionally a zone (or a zone alone). ${USAGE_HINT}`);
    if (slot.length >= 2) {
      args.weekday = slot[0];
      args.time = slot[1];
      if (slot[2]) args.zone = slot[2];
    }
    i = scopeAt;
    if (i >= 0) {
      const kind = rest[i]?.toLowerCase() as "objective" | "team" | "all";
      const value = rest.slice(i + 1).join(" ");
      if (kind === "all") {
        if (value) report("`all` (the whole plan) takes nothing more.");
        args.scope = { kind };
        return args;
      }
      if (!value) report(`Name the ${kind}, like \`${kind === "team" ? "team Growth" : "objective IV"}\`.`);
      if (kind === "objective" && rest.length - i - 1 > 1) report("Name one objective, like `objective IV`.");
      args.scope = { kind, value };
    }
    return args;
  }),
  async execute(args, ctx) {
    const plan = await requirePlan(ctx);
    const ws = ctx.workspace.id;
    const channelId = ctx.invocation.channel.id;
    const zone = await workspaceZone(ctx);
    if (args.action === "here" || args.action === "off") requireAdmin(ctx, "change channel digests");
    if (args.action === "here") {
      if (ctx.invocation.channel.isDirect) {
        throw new UserError("A digest is posted in a channel, and this is a direct message.", [
          "Run `/kr digest here` in the channel that should get the digest (invite krbot there first).",
        ]);
      }
      // Changing a digest keeps what the command doesn't name: its slot, zone and scope.
      const existing = (await ctx.store.schedules.listDigests(ws)).find((s) => s.channelId === channelId);
      const rule = parseWeeklyRule(
        args.weekday ?? String(existing?.weekday ?? DEFAULT_SLOT.weekday),
        args.time ?? existing?.time ?? DEFAULT_SLOT.time,
        args.zone ?? existing?.timezone ?? zone,
      );
      if (typeof rule === "string") throw new UserError(rule, [USAGE_HINT]);
      const scope = args.scope ? await resolveScope(args.scope, ctx) : (existing?.scope ?? { kind: "all" });
      const access = await ctx.postAccess?.(channelId);
      if (access && !access.ok) {
        throw new UserError(
          `krbot can't post in this channel (${access.reason}), so a digest here would never arrive.`,
          [access.fix],
        );
      }
      const { replaced } = await ctx.store.schedules.upsertDigest(ws, {
        channelId,
        weekday: rule.weekday,
        time: rule.time,
        timezone: args.zone ? rule.timezone : (existing?.timezone ?? null),
        scope,
        createdBy: ctx.invocation.actor.id,
        activeFrom: ctx.now(),
      });
      const what = scopeLabel(scope) ?? "the whole plan";
      const last = await ctx.store.claims.last(ws, "digest", channelId);
      const next = nextText(rule, ctx.now(), { claimedPeriod: last?.periodKey, activeFrom: ctx.now() });
      const text = `${replaced ? "Changed this channel's digest" : "This channel gets a weekly digest"}: ${ruleText(rule)}, covering ${what} (${next}).`;
      return reply(text, { tone: "success", visibility: "channel" });
    }
    if (args.action === "off") {
      const removed = await ctx.store.schedules.removeDigest(ws, channelId, actorOf(ctx));
      if (!removed) throw new UserError("This channel has no digest.", ["Start one with `/kr digest here`."]);
      return reply("This channel's weekly digest is off.", { tone: "success", visibility: "channel" });
    }
    const schedules = await ctx.store.schedules.listDigests(ws);
    if (args.action === "list") {
      if (schedules.length === 0) {
        return reply("No channel has a digest yet.", {
          blocks: [
            { kind: "text", markdown: "No channel has a digest yet." },
            { kind: "context", text: "Start one in a channel with `/kr digest here`." },
          ],
        });
      }
      const lines = await Promise.all(schedules.map((s) => describeSchedule(s, zone, ctx)));
      return reply(`${schedules.length} digest${schedules.length === 1 ? "" : "s"}`, {
        blocks: [
          { kind: "heading", text: "Weekly digests" },
          { kind: "fields", items: lines },
        ],
      });
    }
    const mine = schedules.find((s) => s.channelId === channelId);
    const last = await ctx.store.claims.last(ws, "digest", channelId);
    const previous = last?.snapshot;
    const rule = mine
      ? { weekday: mine.weekday, time: mine.time, timezone: mine.timezone ?? zone }
      : { ...DEFAULT_SLOT, timezone: zone };
    // What the next digest would say so far: from where it will start counting, until now.
    const built = await gatherDigest(ctx.store, ws, {
      scope: mine?.scope ?? { kind: "all" },
      timezone: rule.timezone,
      from: digestWindowStart(rule, ctx.now(), last),
      to: ctx.now(),
      now: ctx.now(),
      staleDays: ctx.settings.staleDays,
      ...(previous ? { previous } : {}),
    });
    if (!built) throw new UserError(`${plan.title} has no key results to digest.`);
    const blocks: Block[] = [
      ...built.main.blocks,
      {
        kind: "context",
        text: mine
          ? "Preview: only you see this."
          : "Preview of a whole-plan digest; start one here with `/kr digest here`.",
      },
    ];
    return reply(built.main.summary, { visibility: "ephemeral", blocks });
  },
});

/** One digest for `/kr digest list`: when, what, the next one really sent, and whether it is failing. */
export async function describeSchedule(
  s: DigestSchedule,
  zone: string,
  ctx: CommandContext,
): Promise<{ label: string; value: string }> {
  const rule = { weekday: s.weekday, time: s.time, timezone: s.timezone ?? zone };
  const last = await ctx.store.claims.last(ctx.workspace.id, "digest", s.channelId);
  const next = nextText(rule, ctx.now(), { claimedPeriod: last?.periodKey, activeFrom: s.activeFrom });
  const failing = s.failing
    ? ` · ⚠ failing since ${formatDateTime(s.failing.since, rule.timezone).slice(0, 10)}: ${s.failing.reason}`
    : "";
  return {
    label: s.channelId,
    value: `${ruleText(rule)} · ${scopeLabel(s.scope) ?? "whole plan"} · ${next}${failing}`,
  };
}

/** Canonicalises a digest scope: objective codes as the plan writes them, team names as stored. */
async function resolveScope(scope: DigestScope, ctx: CommandContext): Promise<DigestScope> {
  const ws = ctx.workspace.id;
  if (scope.kind === "objective") {
    return {
      kind: "objective",
      value: resolveObjective(scope.value, await ctx.store.plans.listObjectives(ws)).code,
    };
  }
  if (scope.kind === "team") {
    const teams = [...new Set((await ctx.store.keyResults.list(ws)).flatMap((kr) => kr.teams))];
    const team = teams.find((t) => t.toLowerCase() === scope.value.toLowerCase());
    if (!team)
      throw new UserError(`There is no team called "${scope.value}".`, [`Teams: ${teams.join(", ")}.`]);
    return { kind: "team", value: team };
  }
  return scope;
}
