import type { CommandContext } from "../../core/command.ts";
import type { ChartRequest } from "../../core/reply.ts";
import type { KrView } from "../../domain/model.ts";

/**
 * Asks for the KR's progress chart, unless charts are off. The adapter renders and attaches it
 * after the reply is out, so the answer never waits for the ~40 ms a chart takes.
 */
export function krChartRequest(ctx: CommandContext, kr: KrView): ChartRequest[] {
  return ctx.settings.charts === false ? [] : [{ kind: "kr", code: kr.code }];
}
