import { percent, planPeriod } from "../../domain/kr-text.ts";
import type { PlanInfo, Workspace } from "../../domain/model.ts";
import { elapsedShare, planPhase } from "../../domain/status-math.ts";

/**
 * Where the plan period stands, for headers: "50% of 2021-07-01 → 2022-06-30 elapsed" while it
 * runs, "period 2021-07-01 → 2022-06-30 ended on 2022-06-30: final results" after, and
 * "period 2027-07-01 → 2028-06-30 starts on 2027-07-01" before.
 */
export function periodText(plan: PlanInfo, now: Date): string {
  const period = planPeriod(plan);
  const span = `${plan.periodStart} → ${plan.periodEnd}`;
  switch (planPhase(period, now)) {
    case "ended":
      return `period ${span} ended on ${plan.periodEnd}: final results`;
    case "not_started":
      return `period ${span} starts on ${plan.periodStart}`;
    case "running":
      return `${percent(elapsedShare(period, now))} of ${span} elapsed`;
  }
}

/** For admins once the period is over: how to start the next one (a new plan file, imported on the server). */
export function nextPeriodHint(workspace: Pick<Workspace, "platform" | "externalId">): string {
  return `This plan's period is over. To start the next period, import its plan on the server: \`krbot plan import <next-plan.yaml> --workspace ${workspace.platform}:${workspace.externalId} --replace\`.`;
}
