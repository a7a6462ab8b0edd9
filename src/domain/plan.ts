import { z } from "zod";

const isoDate = z.iso.date({ error: "expected a date like 2021-07-01" });
const text = (max: number) =>
  z.string().trim().min(1, "must not be empty").max(max, `at most ${max} characters`);
const code = z
  .string()
  .trim()
  .regex(/^[A-Za-z0-9]+$/, "expected letters and digits only, like IV or KR2")
  .max(12, "at most 12 characters");

/** A measurable target inside a key result. */
export const MetricSchema = z.strictObject({
  key: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, "expected a short slug like teachers_reached (lowercase, digits, _)"),
  label: text(80),
  unit: z.string().trim().max(30, "at most 30 characters").default(""),
  baseline: z.number({ error: "expected a number" }).finite().default(0),
  target: z.number({ error: "expected a number" }).finite(),
  comparator: z.enum(["at_least", "at_most", "exactly"], {
    error: "expected one of at_least, at_most, exactly",
  }),
});

/** A key result: what success looks like, who works on it, and how it is measured. */
export const KeyResultSchema = z.strictObject({
  code,
  title: text(80),
  text: z.string().trim().max(2000, "at most 2000 characters").default(""),
  programs: z.array(text(120)).default([]),
  teams: z.array(text(120)).default([]),
  /** Platform user ids of the KR's owners. */
  owners: z.array(text(120)).default([]),
  metrics: z.array(MetricSchema).default([]),
});

/** An objective groups key results under one goal. */
export const ObjectiveSchema = z.strictObject({
  code,
  goal: z.string().trim().min(1, "must name a goal key"),
  title: text(300),
  key_results: z.array(KeyResultSchema).min(1, "an objective needs at least one key result"),
});

/**
 * The shape of a plan file: the unit `krbot plan import` reads and `krbot plan export` writes.
 * Checks across fields (unknown goals, duplicates, period order) live in `cross-checks.ts` so they
 * are reported even when the file also has type errors.
 */
export const PlanSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, "expected a slug like thriving-movement-2021-22"),
  title: text(200),
  source: z.string().trim().max(500).optional(),
  period: z.strictObject({ start: isoDate, end: isoDate }),
  goals: z
    .array(
      z.strictObject({
        key: z.string().trim().min(1),
        title: text(200),
        description: z.string().trim().max(1000).default(""),
      }),
    )
    .min(1, "a plan needs at least one goal"),
  objectives: z.array(ObjectiveSchema).min(1, "a plan needs at least one objective"),
});

/** A validated plan, as the store imports and exports it. */
export type Plan = z.output<typeof PlanSchema>;
/** One validated metric of a plan. */
export type PlanMetric = z.output<typeof MetricSchema>;
