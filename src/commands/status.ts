import { encodeAction } from "../core/actions.ts";
import type { CommandContext } from "../core/command.ts";
import { defineCommand } from "../core/command.ts";
import { type Block, type Reply, reply } from "../core/reply.ts";
import { statusLine } from "../core/status-line.ts";
import { UserError } from "../domain/errors.ts";
import { grammar } from "../domain/grammar.ts";
import { looksLikeObjective, resolveObjective } from "../domain/kr-ref.ts";
import { age, krPace, metricValue, ownersText, paceText, percent, planPeriod } from "../domain/kr-text.ts";
import type { KrSnooze, KrView, ObjectiveView, PlanInfo } from "../domain/model.ts";
import { plural } from "../domain/plural.ts";
import { everyoneText } from "../domain/snooze-text.ts";
import { metricProgress, planPhase } from "../domain/status-math.ts";
import { statusLabel } from "../domain/status-words.ts";
import { closest } from "../domain/suggest.ts";
import { parseUserRef, type UserRef } from "../domain/user-ref.ts";
import { splitWords } from "../domain/words.ts";
import { krChartRequest } from "./shared/chart-file.ts";
import { findKr } from "./shared/find-kr.ts";
import { actorOf, resolveUser } from "./shared/members.ts";
import { nextPeriodHint, periodText } from "./shared/period-text.ts";
import { isAdmin } from "./shared/permissions.ts";
import { requirePlan } from "./shared/plan-context.ts";
import { todayIn, workspaceZone } from "./shared/schedule-text.ts";

type Scope =
  | { kind: "all" }
  | { kind: "mine" }
  | { kind: "team"; name: string }
  | { kind: "user"; user: UserRef }
  | { kind: "ref"; ref: string };

/** `/kr status …`: where the key results stand, from the current-state columns only. */
export const status = defineCommand({
  name: "status",
  aliases: ["st"],
  summary: "Show where key results stand: all, one objective, one KR, a team's, a person's or yours.",
  usage: "/kr status [mine | <objective> | <kr> | team <name> | @user]",
  examples: ["/kr status", "/kr status IV.KR2", "/kr status IV", "/kr status team Growth", "/kr status mine"],
  needsPlan: true,
  options: [
    {
      name: "kr",
      type: "string",
      description: "A key result or objective, like IV.KR2 or IV",
      autocomplete: "kr",
    },
    {
      name: "team",
      type: "string",
      description: "Only this team's key results",
      autocomplete: "team",
      keyword: "team",
    },
    { name: "user", type: "user", description: "Only the key results this person owns" },
    { name: "mine", type: "boolean", description: "Only the key results you own" },
  ],
  exclusive: [["kr", "team", "user", "mine"]],
  visibility: "ephemeral",
  writes: false,
  args: grammar((text, report): Scope => {
    const words = splitWords(text);
    const first = words[0];
    if (!first) return { kind: "all" };
    if (first.toLowerCase() === "team") {
      const name = words.slice(1).join(" ");
      if (!name) report("Name the team, like `/kr status team Growth`.");
      return { kind: "team", name };
    }
    if (words.length > 1) {
      report(
        `\`status\` takes one thing to look at; I got \`${words.join(" ")}\`. For a team, type \`/kr status team <name>\`.`,
      );
    }
    if (first.toLowerCase() === "mine" || first.toLowerCase() === "me") return { kind: "mine" };
    const user = parseUserRef(first);
    if (user) return { kind: "user", user };
    return { kind: "ref", ref: first };
  }),
  async execute(scope, ctx) {
    const plan = await requirePlan(ctx);
    const ws = ctx.workspace.id;
    const objectives = await ctx.store.plans.listObjectives(ws);
    if (scope.kind === "ref" && !looksLikeObjective(scope.ref, objectives)) {
      const kr = await findKr(scope.ref, ctx);
      const charts = krChartRequest(ctx, kr);
      const pauses = await pausesOf(ctx);
      return { ...detail(kr, plan, ctx, pauses), ...(charts.length ? { chartRequests: charts } : {}) };
    }
    switch (scope.kind) {
      case "all":
        return overview(
          await pausesOf(ctx),
          plan.title,
          await ctx.store.keyResults.list(ws),
          objectives,
          plan,
          ctx,
        );
      case "ref": {
        const o = resolveObjective(scope.ref, objectives);
        const krs = await ctx.store.keyResults.listWhere(ws, { objectiveCode: o.code });
        return overview(await pausesOf(ctx), `${o.code}. ${o.title}`, krs, [o], plan, ctx);
      }
      case "team": {
        const exact = await ctx.store.keyResults.listWhere(ws, { team: scope.name });
        if (exact.length)
          return overview(await pausesOf(ctx), `Team ${scope.name}`, exact, objectives, plan, ctx);
        const krs = await ctx.store.keyResults.list(ws);
        const teams = [...new Set(krs.flatMap((kr) => kr.teams))];
        const team = teams.find((t) => t.toLowerCase() === scope.name.toLowerCase());
        if (!team) {
          const near = closest(scope.name, teams, 3, 3);
          const partial = teams.filter((t) => t.toLowerCase().includes(scope.name.toLowerCase()));
          const picks = [...new Set([...partial, ...near])].slice(0, 4);
          throw new UserError(`There is no team called "${scope.name}".`, [
            picks.length
              ? `Did you mean ${picks.map((t) => `"${t}"`).join(", ")}?`
              : `Teams: ${teams.join(", ")}.`,
          ]);
        }
        return overview(
          await pausesOf(ctx),
          `Team ${team}`,
          krs.filter((kr) => kr.teams.includes(team)),
          objectives,
          plan,
          ctx,
        );
      }
      case "mine":
      case "user": {
        const who = scope.kind === "mine" ? actorOf(ctx) : await resolveUser(scope.user, ctx);
        const owned = await ctx.store.keyResults.listWhere(ws, { ownerId: who.platformUserId });
        if (owned.length === 0) {
          const subject = scope.kind === "mine" ? "You don't own" : `${who.displayName} doesn't own`;
          return reply(`${subject} any key results yet.`, {
            blocks: [
              { kind: "text", markdown: `${subject} any key results yet.` },
              { kind: "context", text: "Add an owner with `/kr owner <kr> add @user`." },
            ],
          });
        }
        const title = scope.kind === "mine" ? "Your key results" : `${who.displayName}'s key results`;
        return overview(await pausesOf(ctx), title, owned, objectives, plan, ctx);
      }
    }
  },
});

/** The pauses of reminders in force today (in the asker's zone). */
async function pausesOf(ctx: CommandContext): Promise<KrSnooze[]> {
  const today = todayIn(ctx.now(), ctx.invocation.actor.timezone ?? (await workspaceZone(ctx)));
  return (await ctx.store.snoozes.list(ctx.workspace.id)).filter((s) => s.until >= today);
}

function overview(
  pauses: KrSnooze[],
  title: string,
  krs: KrView[],
  objectives: ObjectiveView[],
  plan: PlanInfo,
  ctx: CommandContext,
): Reply {
  const now = ctx.now();
  const counts = new Map<string, number>();
  for (const kr of krs) counts.set(kr.status, (counts.get(kr.status) ?? 0) + 1);
  const tally = [...counts].map(([s, n]) => `${n} ${statusLabel(s as KrView["status"])}`).join(", ");
  const blocks: Block[] = [
    { kind: "heading", text: title },
    { kind: "context", text: `${plural(krs.length, "key result")}: ${tally} · ${periodText(plan, now)}` },
  ];
  for (const o of objectives) {
    const inObjective = krs.filter((kr) => kr.objectiveCode === o.code);
    if (inObjective.length === 0) continue;
    if (objectives.length > 1) blocks.push({ kind: "heading", text: `${o.code}. ${o.title}` });
    for (const kr of inObjective) {
      const line = statusLine(kr, plan, now, ctx.settings.staleDays);
      const everyone = pauses.find((p) => p.krId === kr.id && p.forEveryone);
      const note = line.kind === "progress" && everyone ? `${line.note} · ${everyoneText(everyone)}` : "";
      blocks.push(note && line.kind === "progress" ? { ...line, note } : line);
    }
  }
  blocks.push(...endedNotes(plan, ctx));
  return reply(`${title}: ${plural(krs.length, "key result")} (${tally})`, { blocks });
}

/** "Reminders: paused for everyone until … by @Ana" and/or the asker's own snooze; nothing when none. */
function remindersField(kr: KrView, pauses: KrSnooze[], me: string): { label: string; value: string }[] {
  const everyone = pauses.find((p) => p.krId === kr.id && p.forEveryone);
  const mine = pauses.find((p) => p.krId === kr.id && !p.forEveryone && p.by.platformUserId === me);
  const parts = [
    everyone ? everyoneText(everyone) : "",
    mine ? `yours snoozed until ${mine.until}` : "",
  ].filter(Boolean);
  return parts.length ? [{ label: "Reminders", value: parts.join("; ") }] : [];
}

/** Once the period is over, admins are told how to start the next one. */
function endedNotes(plan: PlanInfo, ctx: CommandContext): Block[] {
  if (planPhase(planPeriod(plan), ctx.now()) !== "ended" || !isAdmin(ctx)) return [];
  return [{ kind: "context", text: nextPeriodHint(ctx.workspace) }];
}

function detail(kr: KrView, plan: PlanInfo, ctx: CommandContext, pauses: KrSnooze[]): Reply {
  const now = ctx.now();
  const p = krPace(kr, plan, now);
  const blocks: Block[] = [
    { kind: "heading", text: `${kr.code} ${kr.title}` },
    { kind: "text", markdown: kr.text || kr.title },
    {
      kind: "fields",
      items: [
        { label: "Status", value: statusLabel(kr.status) },
        {
          label: "Progress",
          value: kr.metrics.length ? `${percent(kr.progress)} (from metrics)` : percent(kr.progress),
        },
        { label: p.verdict === "ended" ? "Result" : "Pace", value: paceText(p) },
        { label: "Last check-in", value: age(kr.lastCheckInAt, now) },
        { label: "Owners", value: ownersText(kr) },
        { label: "Teams", value: kr.teams.join(", ") || "—" },
        ...remindersField(kr, pauses, ctx.invocation.actor.id),
      ],
    },
    ...kr.metrics.map(
      (m): Block => ({
        kind: "progress",
        label: `${m.label} (${m.key})`,
        ratio: metricProgress(m),
        status: kr.status,
        note: metricValue(m),
      }),
    ),
  ];
  if (kr.lastNote) blocks.push({ kind: "context", text: `Latest note: ${kr.lastNote}` });
  blocks.push({
    kind: "actions",
    items: [{ id: encodeAction({ kind: "update", kr: kr.code }), label: "Update", style: "primary" }],
  });
  blocks.push(...endedNotes(plan, ctx));
  if (kr.metrics.length === 0 && kr.progress === null && p.verdict !== "ended") {
    blocks.push({
      kind: "context",
      text: `No check-ins yet. Post one: \`/kr update ${kr.code} on-track 10% first steps\``,
    });
  }
  return reply(`${kr.code} ${kr.title}: ${statusLabel(kr.status)}, ${percent(kr.progress)}, ${paceText(p)}`, {
    blocks,
  });
}
