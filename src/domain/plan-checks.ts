/** One problem found across fields, with the path it belongs to. */
export interface CrossProblem {
  path: (string | number)[];
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);
const arrayAt = (v: unknown, key: string): unknown[] => (isObject(v) && Array.isArray(v[key]) ? v[key] : []);
const isIsoDate = (v: unknown): v is string =>
  typeof v === "string" && /^\d{4}-\d{2}-\d{2}$/.test(v) && !Number.isNaN(Date.parse(`${v}T00:00:00Z`));

/** Reports each repeated value in `items` (compared by `keyOf`) after its first occurrence. */
function duplicates(
  items: unknown[],
  keyOf: (item: unknown) => string | undefined,
  path: (i: number) => (string | number)[],
  what: string,
) {
  const seen = new Set<string>();
  const out: CrossProblem[] = [];
  items.forEach((item, i) => {
    const key = keyOf(item);
    if (key === undefined) return;
    if (seen.has(key))
      out.push({
        path: path(i),
        message: `${what} ${String(isObject(item) ? (item.code ?? item.key) : item)}`,
      });
    seen.add(key);
  });
  return out;
}

/**
 * Checks that span fields: period order, goal references, and duplicate codes, keys, teams,
 * programs and owners. Works on the raw parsed YAML, tolerating any shape, so these problems are
 * listed together with type errors instead of after the user fixes those.
 */
export function crossCheckPlan(raw: unknown): CrossProblem[] {
  const problems: CrossProblem[] = [];
  const period = isObject(raw) ? raw.period : undefined;
  if (isObject(period) && isIsoDate(period.start) && isIsoDate(period.end) && period.end < period.start) {
    problems.push({ path: ["period", "end"], message: "must not be before period.start" });
  }
  const goals = arrayAt(raw, "goals");
  const goalKeys = goals.flatMap((g) => (isObject(g) && typeof g.key === "string" ? [g.key] : []));
  problems.push(
    ...duplicates(
      goals,
      (g) => (isObject(g) && typeof g.key === "string" ? g.key : undefined),
      (i) => ["goals", i, "key"],
      "duplicate goal key",
    ),
  );
  const objectives = arrayAt(raw, "objectives");
  const codeOf = (x: unknown) =>
    isObject(x) && typeof x.code === "string" ? x.code.trim().toUpperCase() : undefined;
  problems.push(...duplicates(objectives, codeOf, (i) => ["objectives", i, "code"], "duplicate code"));
  objectives.forEach((o, oi) => {
    if (isObject(o) && typeof o.goal === "string" && goalKeys.length > 0 && !goalKeys.includes(o.goal)) {
      problems.push({
        path: ["objectives", oi, "goal"],
        message: `unknown goal ${o.goal}; expected one of ${goalKeys.join(", ")}`,
      });
    }
    const krs = arrayAt(o, "key_results");
    problems.push(
      ...duplicates(krs, codeOf, (i) => ["objectives", oi, "key_results", i, "code"], "duplicate code"),
    );
    krs.forEach((kr, ki) => {
      const at = ["objectives", oi, "key_results", ki];
      const metricKey = (m: unknown) => (isObject(m) && typeof m.key === "string" ? m.key : undefined);
      problems.push(
        ...duplicates(
          arrayAt(kr, "metrics"),
          metricKey,
          (i) => [...at, "metrics", i, "key"],
          "duplicate metric key",
        ),
      );
      for (const list of ["teams", "programs", "owners"] as const) {
        const text = (x: unknown) => (typeof x === "string" ? x.trim() : undefined);
        problems.push(...duplicates(arrayAt(kr, list), text, (i) => [...at, list, i], `listed twice:`));
      }
    });
  });
  return problems;
}
