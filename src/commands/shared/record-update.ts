import type { CommandContext } from "../../core/command.ts";
import { type Block, type Reply, reply } from "../../core/reply.ts";
import { UserError } from "../../domain/errors.ts";
import { krPace, metricValue, paceText, percent } from "../../domain/kr-text.ts";
import type { KrView, MetricView } from "../../domain/model.ts";
import { metricProgress } from "../../domain/status-math.ts";
import { statusLabel } from "../../domain/status-words.ts";
import { closest } from "../../domain/suggest.ts";
import type { UpdateArgs } from "../../domain/update-fields.ts";
import { formatNumber } from "../../domain/words.ts";
import { findKr } from "./find-kr.ts";
import { actorOf } from "./members.ts";
import { requireCanUpdate } from "./permissions.ts";
import { requirePlan } from "./plan-context.ts";

/** A problem with a check-in that needs the KR to see, tagged with the form field it belongs to. */
export interface ValueProblem {
  /** `percent`, or `metric:<key>` for one metric's input. */
  field: string;
  message: string;
  hint?: string;
}

/**
 * Records a validated check-in and builds the reply: the one path behind `/kr update` and the
 * Slack and Discord check-in forms. Recorded once per request id, however often it is retried.
 */
export async function recordUpdate(args: UpdateArgs, ctx: CommandContext, kr?: KrView): Promise<Reply> {
  kr ??= await findKr(args.ref, ctx);
  await requireCanUpdate(ctx, kr);
  const problems = valueProblems(kr, args);
  if (problems.length) {
    throw new UserError(problems.map((p) => p.message).join("\n"), [
      ...new Set(problems.flatMap((p) => (p.hint ? [p.hint] : []))),
    ]);
  }
  const values = args.values.map((v) => ({
    metricId: (kr as KrView).metrics.find((m) => m.key === v.key)?.id as number,
    value: v.value,
  }));
  const plan = await requirePlan(ctx);
  const now = ctx.now();
  const { checkIn, duplicate } = await ctx.store.checkIns.record(ctx.workspace.id, {
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
  const p = krPace(checkIn, plan, now);
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
}

/** Checks typed values against the KR's metrics; every problem is returned at once. */
export function valueProblems(kr: KrView, args: UpdateArgs): ValueProblem[] {
  const problems: ValueProblem[] = [];
  if (args.percent !== undefined && kr.metrics.length > 0) {
    problems.push({
      field: "percent",
      message: `${kr.code}'s progress comes from its metrics, so a % can't be set.`,
      hint: `Report the numbers instead, e.g. \`/kr update ${kr.code} ${kr.metrics[0]?.key}=…\``,
    });
  }
  for (const v of args.values) {
    const metric = kr.metrics.find((m) => m.key === v.key);
    if (!metric) {
      if (kr.metrics.length === 0) {
        problems.push({
          field: `metric:${v.key}`,
          message: `${kr.code} has no metrics (it is tracked by %), so \`${v.typed}\` can't be recorded.`,
          hint: `Report progress as a percentage, e.g. \`/kr update ${kr.code} 40%\`.`,
        });
      } else {
        const near = closest(
          v.key,
          kr.metrics.map((m) => m.key),
          3,
          1,
        );
        problems.push({
          field: `metric:${v.key}`,
          message: `${kr.code} has no metric \`${v.key}\`.${near[0] ? ` Did you mean \`${near[0]}\`?` : ""}`,
          hint: `Its metrics are ${kr.metrics.map((m) => `\`${m.key}\` (${m.label})`).join(", ")}.`,
        });
      }
      continue;
    }
    if (v.value < 0 && metric.baseline >= 0 && metric.target >= 0) {
      problems.push({
        field: `metric:${v.key}`,
        message: `\`${v.typed}\`: ${metric.key} counts ${metric.unit || "things"} and can't be negative.`,
        hint: `Report the running total (0 or more), e.g. \`${metric.key}=${metric.current ?? metric.baseline}\`.`,
      });
    }
  }
  return problems;
}
