import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { isMap, isSeq, parseDocument, stringify } from "yaml";
import type { z } from "zod";
import { type Plan, PlanSchema } from "../domain/plan.ts";
import { crossCheckPlan } from "../domain/plan-checks.ts";

/** The plan every new workspace starts with unless KRBOT_PLAN names another. */
export const BUNDLED_PLAN_PATH = fileURLToPath(
  new URL("../../plans/thriving-movement-2021-22.yaml", import.meta.url),
);

/** A plan file that failed to parse or validate; `problems` lists every one with its path. */
export class PlanFileError extends Error {
  override readonly name = "PlanFileError";
  constructor(
    readonly source: string,
    readonly problems: string[],
    message = `${source} is not a valid plan:\n${problems.map((p) => `  - ${p}`).join("\n")}`,
  ) {
    super(message);
  }
}

/** Renders a zod path the way people write it: `objectives[2].key_results[0].metrics[1].target`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out || "(top level)";
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === "invalid_type") {
    const article = /^[aeiou]/.test(issue.expected) ? "an" : "a";
    if (issue.message.startsWith("Invalid input")) {
      return issue.message.includes("received undefined")
        ? "is required"
        : `expected ${article} ${issue.expected}`;
    }
  }
  if (issue.code === "unrecognized_keys")
    return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
  return issue.message;
}

/** Parses and validates plan YAML; throws a PlanFileError listing every problem. */
export function parsePlan(yamlText: string, source = "plan"): Plan {
  const doc = parseDocument(yamlText, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new PlanFileError(
      source,
      doc.errors.map((e) => e.message.split("\n")[0] ?? e.message),
    );
  }
  if (!isMap(doc.contents) && !isSeq(doc.contents)) {
    throw new PlanFileError(source, ["expected a YAML mapping with id, title, period, goals and objectives"]);
  }
  const raw: unknown = doc.toJS();
  const result = PlanSchema.safeParse(raw);
  const problems = [
    ...(result.success ? [] : result.error.issues.map((i) => `${formatPath(i.path)}: ${describeIssue(i)}`)),
    ...crossCheckPlan(raw).map((p) => `${formatPath(p.path)}: ${p.message}`),
  ];
  if (!result.success || problems.length > 0) throw new PlanFileError(source, [...new Set(problems)]);
  return result.data;
}

/** Reads a plan file from disk ("-" reads standard input). */
export function readPlanFile(path: string): Plan {
  const source = path === "-" ? "standard input" : path;
  let text: string;
  try {
    text = readFileSync(path === "-" ? 0 : path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "is a folder, not a file"
          : code === "EACCES" || code === "EPERM"
            ? "permission denied"
            : String(code ?? err);
    throw new PlanFileError(
      source,
      [`cannot read the plan file: ${why}`],
      `cannot read the plan file ${source}: ${why}`,
    );
  }
  return parsePlan(text, source);
}

/** Serialises a plan as YAML that `parsePlan` reads back to the same plan. */
export function planToYaml(plan: Plan): string {
  return stringify(plan, { lineWidth: 0 });
}
