import type { ReplyFile } from "../core/reply.ts";
import type { Store } from "../store/store.ts";

/** A chart a queued message asks for; rendered when the message is sent, not when it is queued. */
export interface ChartRequest {
  kind: "objective";
  code: string;
}

/** Discord takes at most 10 attachments per message; a digest asks for one chart per objective. */
export const MAX_CHARTS_PER_MESSAGE = 10;

/**
 * Renders the objective charts a digest message asks for: one small-multiples PNG per objective
 * with each KR's progress over the plan period. Done at delivery time, so building a thousand
 * digests stays fast and the outbox holds no image bytes. A chart that fails is left out.
 */
export async function renderChartRequests(
  store: Store,
  workspaceId: number,
  requests: ChartRequest[],
  now: Date,
): Promise<ReplyFile[]> {
  const plan = await store.getPlan(workspaceId);
  if (!plan || requests.length === 0) return [];
  const [{ objectiveChartSpec }, { renderPng }] = await Promise.all([
    import("../charts/kr-chart.ts"),
    import("../charts/render.ts"),
  ]);
  const objectives = await store.listObjectives(workspaceId);
  const files: ReplyFile[] = [];
  for (const request of requests.slice(0, MAX_CHARTS_PER_MESSAGE)) {
    const objective = objectives.find((o) => o.code === request.code);
    if (!objective) continue;
    try {
      const krs = await store.listKeyResultsWhere(workspaceId, { objectiveCode: objective.code });
      const period = { start: plan.periodStart, end: plan.periodEnd };
      const inputs = await Promise.all(
        krs.map(async (kr) => ({
          code: kr.code,
          title: kr.title,
          period,
          status: kr.status,
          now,
          points: (await store.listCheckIns(workspaceId, kr.id, 500))
            .filter((c) => !c.undoneAt)
            .map((c) => ({ at: c.at, progress: c.progress })),
        })),
      );
      const png = await renderPng(
        objectiveChartSpec({ code: objective.code, title: objective.title, period, now, krs: inputs }),
      );
      files.push({
        name: `objective-${objective.code}.png`,
        contentType: "image/png",
        bytes: png,
        title: `Objective ${objective.code}`,
      });
    } catch {
      // A chart is an extra: the digest goes out without it.
    }
  }
  return files;
}
