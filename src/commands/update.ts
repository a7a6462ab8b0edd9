import { defineCommand } from "../core/command.ts";
import { UserError } from "../core/errors.ts";
import { grammar } from "../core/grammar.ts";
import { type Block, reply } from "../core/reply.ts";
import { metricProgress, pace } from "../core/status-math.ts";
import { closest } from "../core/suggest.ts";
import { formatNumber } from "../core/words.ts";
import type { KrView, MetricView } from "../store/store.ts";
import { findKr } from "./shared/find-kr.ts";
import { metricValue, paceText, percent } from "./shared/format.ts";
import { actorOf } from "./shared/members.ts";
import { requirePlan } from "./shared/plan-context.ts";
import { statusLabel } from "./shared/status-words.ts";
import { parseUpdate, type UpdateArgs } from "./shared/update-grammar.ts";

/** `/kr update …`: a check-in, recorded once per request even if the platform retries. */
export const update = defineCommand({
  name: "update",
  aliases: ["checkin", "ci"],
  summary: "Check in on a key result: status, progress %, metric values and a note.",
  usage: "/kr update <kr> [on-track|at-risk|off-track|done] [<0-100>%] [<metric>=<number> …] [note …]",
  examples: [
    "/kr update IV.KR2 on-track trainers=25 teachers_reached=5,200 Cohort 3 certified",
    "/kr update II.KR1 at-risk 40% waiting on legal review",
    "/kr update 1.1 emerging_communities=12",
  ],
  visibility: "channel",
  writes: true,
  args: grammar(parseUpdate),
  async execute(args, ctx) {
    const plan = await requirePlan(ctx);
    const kr = await findKr(args.ref, ctx);
    const values = checkValues(kr, args);
    const now = ctx.now();
    const { checkIn, duplicate } = await ctx.store.recordCheckIn(ctx.workspace.id, {
      krId: kr.id,
      author: actorOf(ctx),
      ...(args.status ? { status: args.status } : {}),
      ...(args.percent !== undefined ? { reportedProgress: args.percent / 100 } : {}),
      values,
      note: args.note,
      requestId: ctx.invocation.requestId,
      at: now,
    });
    const after = kr.metrics.map((m): MetricView => {
      const v = checkIn.values.find((x) => x.key === m.key);
      return v ? { ...m, current: v.value } : m;
    });
    const p = pace(checkIn.progress, { start: plan.periodStart, end: plan.periodEnd }, now);
    const was = (a: string, b: string) => (a === b ? a : `${a} (was ${b})`);
    const blocks: Block[] = [
      { kind: "heading", text: `${kr.code} ${kr.title}` },
      {
        kind: "fields",
        items: [
          { label: "Status", value: was(statusLabel(checkIn.status), statusLabel(checkIn.previousStatus)) },
          { label: "Progress", value: was(percent(checkIn.progress), percent(checkIn.previousProgress)) },
          { label: "Pace", value: paceText(p) },
          { label: "Checked in by", value: checkIn.author },
        ],
      },
      ...after
        .filter((m) => checkIn.values.some((v) => v.key === m.key))
        .map((m): Block => {
          const previous = checkIn.values.find((v) => v.key === m.key)?.previous ?? null;
          return {
            kind: "progress",
            label: `${m.label} (${m.key})`,
            ratio: metricProgress(m),
            status: checkIn.status,
            note: `${metricValue(m)}${previous === null ? "" : ` (was ${formatNumber(previous)})`}`,
          };
        }),
    ];
    if (checkIn.note) blocks.push({ kind: "text", markdown: checkIn.note });
    if (duplicate)
      blocks.push({ kind: "context", text: "This check-in was already recorded; nothing changed." });
    return reply(
      `${checkIn.author} checked in ${kr.code}: ${statusLabel(checkIn.status)}, ${percent(checkIn.progress)}`,
      { tone: duplicate ? "info" : "success", visibility: "channel", blocks },
    );
  },
});

/** Matches typed metric keys to the KR's metrics; every problem is reported at once. */
function checkValues(kr: KrView, args: UpdateArgs): { metricId: number; value: number }[] {
  const problems: string[] = [];
  const hints: string[] = [];
  if (args.percent !== undefined && kr.metrics.length > 0) {
    problems.push(`${kr.code}'s progress comes from its metrics, so a % can't be set.`);
    hints.push(`Report the numbers instead, e.g. \`/kr update ${kr.code} ${kr.metrics[0]?.key}=…\``);
  }
  const out: { metricId: number; value: number }[] = [];
  for (const v of args.values) {
    const metric = kr.metrics.find((m) => m.key === v.key);
    if (!metric) {
      if (kr.metrics.length === 0) {
        problems.push(`${kr.code} has no metrics (it is tracked by %), so \`${v.typed}\` can't be recorded.`);
        hints.push(`Report progress as a percentage, e.g. \`/kr update ${kr.code} 40%\`.`);
      } else {
        const near = closest(
          v.key,
          kr.metrics.map((m) => m.key),
          3,
          1,
        );
        problems.push(
          `${kr.code} has no metric \`${v.key}\`.${near[0] ? ` Did you mean \`${near[0]}\`?` : ""}`,
        );
        hints.push(`Its metrics are ${kr.metrics.map((m) => `\`${m.key}\` (${m.label})`).join(", ")}.`);
      }
      continue;
    }
    if (v.value < 0 && metric.baseline >= 0 && metric.target >= 0) {
      problems.push(`\`${v.typed}\`: ${metric.key} counts ${metric.unit || "things"} and can't be negative.`);
      hints.push(
        `Report the running total (0 or more), e.g. \`${metric.key}=${metric.current ?? metric.baseline}\`.`,
      );
      continue;
    }
    out.push({ metricId: metric.id, value: v.value });
  }
  if (problems.length) throw new UserError(problems.join("\n"), [...new Set(hints)]);
  return out;
}
