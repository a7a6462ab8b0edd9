import type { Plan } from "../../src/domain/plan.ts";
import { BUNDLED_PLAN_PATH, readPlanFile } from "../../src/plan/plan-file.ts";

/** The fifteen KR codes of the bundled Thriving Movement plan, in plan order. */
export const THRIVING_KR_CODES = [
  "I.KR1",
  "I.KR2",
  "II.KR1",
  "II.KR2",
  "II.KR3",
  "III.KR1",
  "III.KR2",
  "III.KR3",
  "III.KR4",
  "IV.KR1",
  "IV.KR2",
  "V.KR1",
  "V.KR2",
  "V.KR3",
  "V.KR4",
];

/**
 * The bundled plan moved to a period that runs through the scheduler tests' 2027 dates: the real
 * one ended on 2022-06-30, and an ended plan sends no digests or reminders.
 */
export function runningPlan(): Plan {
  return { ...readPlanFile(BUNDLED_PLAN_PATH), period: { start: "2026-07-01", end: "2028-06-30" } };
}
