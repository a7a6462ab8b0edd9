import type { ChartRequest, ReplyFile } from "../domain/chart-request.ts";
import type { Store } from "../store/store.ts";

export type { ChartRequest } from "../domain/chart-request.ts";

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
  const plan = await store.plans.get(workspaceId);
  if (!plan || requests.length === 0) return [];
  const [{ krChartSpec, objectiveChartSpec }, { renderPng }] = await Promise.all([
    import("./kr-chart.ts"),
    import("./render.ts"),
  ]);
  const objectives = await store.plans.listObjectives(workspaceId);
  const period = { start: plan.periodStart, end: plan.periodEnd };
  const history = async (krId: number) =>
    (await store.checkIns.list(workspaceId, krId, 500))
      .filter((c) => !c.undoneAt)
      .map((c) => ({ at: c.at, progress: c.progress, status: c.status }));
  const files: ReplyFile[] = [];
  for (const request of requests.slice(0, MAX_CHARTS_PER_MESSAGE)) {
    if (request.kind === "kr") {
      try {
        const ref = await store.keyResults.findByCode(workspaceId, request.code);
        const kr = ref && (await store.keyResults.get(workspaceId, ref.id));
        if (!kr) continue;
        const png = await renderPng(
          krChartSpec({
            code: kr.code,
            title: kr.title,
            period,
            status: kr.status,
            points: await history(kr.id),
            now,
          }),
        );
        files.push({
          name: `${kr.code}-progress.png`,
          contentType: "image/png",
          bytes: png,
          title: `${kr.code} progress`,
        });
      } catch {
        // A chart is an extra: the reply stands without it.
      }
      continue;
    }
    const objective = objectives.find((o) => o.code === request.code);
    if (!objective) continue;
    try {
      const krs = await store.keyResults.listWhere(workspaceId, { objectiveCode: objective.code });
      const inputs = await Promise.all(
        krs.map(async (kr) => ({
          code: kr.code,
          title: kr.title,
          period,
          status: kr.status,
          now,
          points: await history(kr.id),
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
