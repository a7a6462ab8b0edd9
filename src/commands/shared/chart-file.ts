import type { CommandContext } from "../../core/command.ts";
import type { ReplyFile } from "../../core/reply.ts";
import type { KrView, PlanInfo } from "../../store/store.ts";

/** How many check-ins a chart draws at most (a weekly KR over a year has ~52). */
const MAX_CHART_POINTS = 500;

/**
 * The KR's progress chart as a PNG file for the reply, or undefined when charts are off or the
 * renderer fails: a chart is an extra and never fails the command. The charting libraries load
 * on first use, so commands without charts (and the shell's start) don't pay for them.
 */
export async function krChartFile(
  ctx: CommandContext,
  kr: KrView,
  plan: PlanInfo,
): Promise<ReplyFile | undefined> {
  if (ctx.settings.charts === false) return undefined;
  try {
    const [{ krChartSpec }, { renderPng }] = await Promise.all([
      import("../../charts/kr-chart.ts"),
      import("../../charts/render.ts"),
    ]);
    const history = await ctx.store.listCheckIns(ctx.workspace.id, kr.id, MAX_CHART_POINTS);
    const points = history.filter((c) => !c.undoneAt).map((c) => ({ at: c.at, progress: c.progress }));
    const png = await renderPng(
      krChartSpec({
        code: kr.code,
        title: kr.title,
        period: { start: plan.periodStart, end: plan.periodEnd },
        status: kr.status,
        points,
        now: ctx.now(),
      }),
    );
    return {
      name: `${kr.code}-progress.png`,
      contentType: "image/png",
      bytes: png,
      title: `${kr.code} progress`,
    };
  } catch {
    return undefined;
  }
}
