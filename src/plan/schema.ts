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
export const KeyResultSchema = z
  .strictObject({
    code,
    title: text(80),
    text: z.string().trim().max(2000, "at most 2000 characters").default(""),
    programs: z.array(text(120)).default([]),
    teams: z.array(text(120)).default([]),
    /** Platform user ids of the KR's owners. */
    owners: z.array(text(120)).default([]),
    metrics: z.array(MetricSchema).default([]),
  })
  .superRefine((kr, ctx) => {
    const seen = new Set<string>();
    kr.metrics.forEach((m, i) => {
      if (seen.has(m.key)) {
        ctx.addIssue({
          code: "custom",
          path: ["metrics", i, "key"],
          message: `duplicate metric key ${m.key}`,
        });
      }
      seen.add(m.key);
    });
  });

/** An objective groups key results under one goal. */
export const ObjectiveSchema = z
  .strictObject({
    code,
    goal: z.string().trim().min(1, "must name a goal key"),
    title: text(300),
    key_results: z.array(KeyResultSchema).min(1, "an objective needs at least one key result"),
  })
  .superRefine((o, ctx) => {
    const seen = new Set<string>();
    o.key_results.forEach((kr, i) => {
      const k = kr.code.toUpperCase();
      if (seen.has(k))
        ctx.addIssue({
          code: "custom",
          path: ["key_results", i, "code"],
          message: `duplicate code ${kr.code}`,
        });
      seen.add(k);
    });
  });

/** A whole plan file: the unit `krbot plan import` reads and `krbot plan export` writes. */
export const PlanSchema = z
  .strictObject({
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
  })
  .superRefine((plan, ctx) => {
    if (plan.period.end < plan.period.start) {
      ctx.addIssue({ code: "custom", path: ["period", "end"], message: "must not be before period.start" });
    }
    const goals = new Set(plan.goals.map((g) => g.key));
    const seen = new Set<string>();
    plan.objectives.forEach((o, i) => {
      if (!goals.has(o.goal)) {
        ctx.addIssue({
          code: "custom",
          path: ["objectives", i, "goal"],
          message: `unknown goal ${o.goal}; expected one of ${[...goals].join(", ")}`,
        });
      }
      const k = o.code.toUpperCase();
      if (seen.has(k))
        ctx.addIssue({
          code: "custom",
          path: ["objectives", i, "code"],
          message: `duplicate code ${o.code}`,
        });
      seen.add(k);
    });
  });

/** A validated plan, as the store imports and exports it. */
export type Plan = z.output<typeof PlanSchema>;
/** One validated metric of a plan. */
export type PlanMetric = z.output<typeof MetricSchema>;
