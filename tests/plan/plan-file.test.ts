import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import type { Plan } from "../../src/domain/plan.ts";
import {
  BUNDLED_PLAN_PATH,
  PlanFileError,
  parsePlan,
  planToYaml,
  readPlanFile,
} from "../../src/plan/plan-file.ts";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite/index.ts";
import { PlanExistsError } from "../../src/store/sqlite/plan-repo.ts";
import type { Workspace } from "../../src/store/store.ts";
import { snapshotStore } from "../helpers/db-snapshot.ts";

const bundledText = readFileSync(BUNDLED_PLAN_PATH, "utf8");
const bundled: Plan = readPlanFile(BUNDLED_PLAN_PATH);

/** The bundled plan's YAML after `change` edits its raw (unvalidated) document. */
function mutated(change: (doc: Plan) => void): string {
  const doc = parse(bundledText) as Plan;
  change(doc);
  return stringify(doc);
}

/** The objective with `code` in a raw document. */
function objective(doc: Plan, code: string) {
  const found = doc.objectives.find((o) => o.code === code);
  if (!found) throw new Error(`no objective ${code}`);
  return found;
}

type Kr = Plan["objectives"][number]["key_results"][number];
type Metric = Kr["metrics"][number];

/** The key result with a full code like `IV.KR2` in a raw document. */
function krOf(doc: Plan, fullCode: string): Kr {
  const [o, k] = fullCode.split(".");
  const found = objective(doc, o as string).key_results.find((x) => x.code === k);
  if (!found) throw new Error(`no key result ${fullCode}`);
  return found;
}

/** Metric number `i` of the key result `fullCode` in a raw document. */
function metricOf(doc: Plan, fullCode: string, i: number): Metric {
  const found = krOf(doc, fullCode).metrics[i];
  if (!found) throw new Error(`no metric ${i} on ${fullCode}`);
  return found;
}

/** The problems parsePlan reports for `text`; fails when it accepts the plan or throws anything else. */
function problemsOf(text: string): string[] {
  try {
    parsePlan(text, "bad.yaml");
  } catch (err) {
    if (err instanceof PlanFileError) return err.problems;
    throw err;
  }
  throw new Error("expected parsePlan to reject the plan");
}

const metric = (key: string, target: unknown) => ({
  key,
  label: `Label ${key}`,
  unit: "things",
  baseline: 0,
  target,
  comparator: "at_least",
});

describe("parsePlan", () => {
  it("accepts the bundled plan text unchanged", () => {
    expect(parsePlan(bundledText)).toEqual(bundled);
  });

  it("reports a target given as a string as one line with its path", () => {
    const text = mutated((doc) => {
      // objectives[2] is III; its first KR has no metrics in the bundled plan.
      Object.assign(krOf(doc, "III.KR1"), {
        metrics: [metric("grants", 10), metric("groups", "ten")],
      });
    });
    expect(problemsOf(text)).toEqual(["objectives[2].key_results[0].metrics[1].target: expected a number"]);
  });

  it("does not coerce a quoted number into a target", () => {
    const text = mutated((doc) => {
      Object.assign(metricOf(doc, "IV.KR2", 5), { target: "600" });
    });
    expect(problemsOf(text)).toEqual(["objectives[3].key_results[1].metrics[5].target: expected a number"]);
  });

  it("puts the file name and every problem in the error message", () => {
    const text = mutated((doc) => {
      Object.assign(metricOf(doc, "IV.KR2", 0), { target: "forty" });
    });
    expect(() => parsePlan(text, "bad.yaml")).toThrow(PlanFileError);
    expect(() => parsePlan(text, "bad.yaml")).toThrow(
      /bad\.yaml[\s\S]*objectives\[3\]\.key_results\[1\]\.metrics\[0\]\.target: expected a number/,
    );
  });

  it("reports a missing required field as required", () => {
    const text = mutated((doc) => {
      delete (doc as { title?: string }).title;
    });
    expect(problemsOf(text)).toEqual(["title: is required"]);
  });

  it("reports a missing metric label with its path", () => {
    const text = mutated((doc) => {
      delete (metricOf(doc, "I.KR2", 0) as { label?: string }).label;
    });
    expect(problemsOf(text)).toEqual(["objectives[0].key_results[1].metrics[0].label: is required"]);
  });

  it("rejects an unknown field such as the typo `metric:`", () => {
    const text = mutated((doc) => {
      const kr = krOf(doc, "I.KR1");
      Object.assign(kr, { metric: kr.metrics });
      delete (kr as { metrics?: unknown }).metrics;
    });
    expect(problemsOf(text)).toEqual(["objectives[0].key_results[0]: unknown field metric"]);
  });

  it("rejects a comparator outside at_least, at_most, exactly", () => {
    const text = mutated((doc) => {
      Object.assign(metricOf(doc, "I.KR1", 0), { comparator: "greater_than" });
    });
    expect(problemsOf(text)).toEqual([
      "objectives[0].key_results[0].metrics[0].comparator: expected one of at_least, at_most, exactly",
    ]);
  });

  it("rejects a date that is not a real YYYY-MM-DD date", () => {
    const text = mutated((doc) => {
      doc.period.start = "2021-13-01";
    });
    expect(problemsOf(text)).toEqual(["period.start: expected a date like 2021-07-01"]);
  });

  it("reports a malformed date once, without a spurious ordering complaint", () => {
    const text = mutated((doc) => {
      doc.period.start = "July 1, 2021";
    });
    expect(problemsOf(text)).toEqual(["period.start: expected a date like 2021-07-01"]);
  });

  it("rejects a period that ends before it starts", () => {
    const text = mutated((doc) => {
      doc.period.end = "2021-06-30";
    });
    expect(problemsOf(text)).toEqual(["period.end: must not be before period.start"]);
  });

  it("rejects an objective naming an unknown goal and lists the known ones", () => {
    const text = mutated((doc) => {
      objective(doc, "V").goal = "world-peace";
    });
    expect(problemsOf(text)).toEqual([
      "objectives[4].goal: unknown goal world-peace; expected one of strong-movement, diverse-communities",
    ]);
  });

  it("rejects a duplicate KR code within an objective, ignoring case", () => {
    const text = mutated((doc) => {
      const krs = objective(doc, "III").key_results;
      (krs[1] as { code: string }).code = "KR1";
      (krs[3] as { code: string }).code = "kr1";
    });
    expect(problemsOf(text)).toEqual([
      "objectives[2].key_results[1].code: duplicate code KR1",
      "objectives[2].key_results[3].code: duplicate code kr1",
    ]);
  });

  it("rejects a duplicate objective code", () => {
    const text = mutated((doc) => {
      objective(doc, "V").code = "iv";
    });
    expect(problemsOf(text)).toEqual(["objectives[4].code: duplicate code iv"]);
  });

  it("rejects a duplicate metric key within a KR", () => {
    const text = mutated((doc) => {
      metricOf(doc, "IV.KR2", 2).key = "trainers";
    });
    expect(problemsOf(text)).toEqual([
      "objectives[3].key_results[1].metrics[2].key: duplicate metric key trainers",
    ]);
  });

  it("rejects a team listed twice on one KR (it cannot be stored)", () => {
    const text = mutated((doc) => {
      krOf(doc, "IV.KR1").teams.push("Growth");
    });
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^objectives\[3\]\.key_results\[0\]\.teams\[6\]: .*Growth/);
  });

  it("reports a YAML syntax error with its line", () => {
    const problems = problemsOf("id: broken\ntitle: [unclosed\nperiod: {}\n");
    expect(problems.length).toBeGreaterThan(0);
    for (const p of problems) expect(p).toMatch(/line \d+/);
  });

  it.each([
    ["a scalar", "just a sentence\n"],
    ["an empty document", ""],
    ["a comment-only document", "# nothing here\n"],
  ])("rejects %s: a plan must be a mapping", (_name, text) => {
    expect(problemsOf(text)).toEqual([
      "expected a YAML mapping with id, title, period, goals and objectives",
    ]);
  });

  it("rejects a sequence at the top level with a single problem", () => {
    const problems = problemsOf("- id: x\n- title: y\n");
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/expected (a YAML mapping|an object)/);
  });

  it("lists every structural problem, not only the first", () => {
    const text = mutated((doc) => {
      Object.assign(doc, { title: 5 });
      (doc.goals[0] as { title: string }).title = "";
      Object.assign(metricOf(doc, "I.KR1", 0), { target: "x" });
      Object.assign(krOf(doc, "II.KR1"), { metric: [] });
    });
    expect(problemsOf(text)).toEqual([
      "title: expected a string",
      "goals[0].title: must not be empty",
      "objectives[0].key_results[0].metrics[0].target: expected a number",
      "objectives[1].key_results[0]: unknown field metric",
    ]);
  });

  it("lists every cross-field problem at once", () => {
    const text = mutated((doc) => {
      doc.period.end = "2020-01-01";
      objective(doc, "V").goal = "x";
      krOf(doc, "III.KR2").code = "KR1";
      metricOf(doc, "IV.KR2", 2).key = "trainers";
    });
    expect([...problemsOf(text)].sort()).toEqual(
      [
        "period.end: must not be before period.start",
        "objectives[4].goal: unknown goal x; expected one of strong-movement, diverse-communities",
        "objectives[2].key_results[1].code: duplicate code KR1",
        "objectives[3].key_results[1].metrics[2].key: duplicate metric key trainers",
      ].sort(),
    );
  });

  it("lists cross-field problems alongside a type error elsewhere in the file", () => {
    const text = mutated((doc) => {
      Object.assign(metricOf(doc, "IV.KR2", 1), { target: "6" });
      objective(doc, "V").goal = "world-peace";
      doc.period.end = "2020-01-01";
      krOf(doc, "III.KR2").code = "KR1";
    });
    expect([...problemsOf(text)].sort()).toEqual(
      [
        "objectives[3].key_results[1].metrics[1].target: expected a number",
        "objectives[4].goal: unknown goal world-peace; expected one of strong-movement, diverse-communities",
        "period.end: must not be before period.start",
        "objectives[2].key_results[1].code: duplicate code KR1",
      ].sort(),
    );
  });
});

describe("plans in the store", () => {
  const SHELL = { platform: "shell" as const, id: "local" };
  const stores: SqliteStore[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });

  async function storeWithBundledPlan(): Promise<{ store: SqliteStore; ws: Workspace }> {
    const store = openSqliteStore(":memory:");
    stores.push(store);
    const ws = await store.workspaces.ensure(SHELL);
    await store.plans.import(ws.id, bundled, { actor: "test" });
    return { store, ws };
  }

  async function checkInTrainers(store: SqliteStore, ws: Workspace, value: number) {
    const kr = (await store.keyResults.list(ws.id)).find((k) => k.code === "IV.KR2");
    const trainers = kr?.metrics.find((m) => m.key === "trainers");
    if (!kr || !trainers) throw new Error("IV.KR2 trainers missing");
    await store.checkIns.record(ws.id, {
      krId: kr.id,
      author: { platformUserId: "alice", displayName: "Alice" },
      status: "on_track",
      values: [{ metricId: trainers.id, value }],
      note: "Cohort 3 certified",
      requestId: `req-${value}`,
      at: new Date("2022-01-01T00:00:00Z"),
    });
    return kr.id;
  }

  const renamed = (): Plan => {
    const plan = structuredClone(bundled);
    plan.id = "thriving-movement-v2";
    plan.title = "Thriving Movement, revised";
    metricOf(plan, "IV.KR2", 0).target = 50;
    return plan;
  };

  it("refuses to import over an existing plan and leaves the plan and its check-ins untouched", async () => {
    const { store, ws } = await storeWithBundledPlan();
    const krId = await checkInTrainers(store, ws, 25);
    const before = snapshotStore(store);

    const attempt = store.plans.import(ws.id, renamed(), { actor: "test" });
    await expect(attempt).rejects.toBeInstanceOf(PlanExistsError);
    await expect(store.plans.import(ws.id, renamed(), { actor: "test" })).rejects.toThrow(/--replace/);

    expect(snapshotStore(store)).toBe(before);
    expect(await store.plans.export(ws.id)).toEqual(bundled);
    const history = await store.checkIns.list(ws.id, krId, 10);
    expect(history).toHaveLength(1);
    expect(history[0]?.values).toEqual([
      { key: "trainers", label: "Certified RWC trainers", value: 25, previous: null },
    ]);
  });

  it("replaces the plan with replace: true, dropping the old plan's check-ins", async () => {
    const { store, ws } = await storeWithBundledPlan();
    await checkInTrainers(store, ws, 25);

    await store.plans.import(ws.id, renamed(), { actor: "test", replace: true });

    expect(await store.plans.get(ws.id)).toMatchObject({
      key: "thriving-movement-v2",
      title: "Thriving Movement, revised",
    });
    expect(await store.plans.export(ws.id)).toEqual(renamed());
    const kr = (await store.keyResults.list(ws.id)).find((k) => k.code === "IV.KR2");
    expect(kr?.status).toBe("none");
    expect(kr?.metrics.find((m) => m.key === "trainers")).toMatchObject({ target: 50, current: null });
    expect(store.db.$client.prepare("select count(*) as n from checkins").get()).toEqual({ n: 0 });
    const audit = store.db.$client
      .prepare("select action from audit_log where action like 'plan.%' order by id")
      .all();
    expect(audit).toEqual([{ action: "plan.import" }, { action: "plan.replace" }]);
  });

  it("writes nothing when a plan fails part-way through the import", async () => {
    const store = openSqliteStore(":memory:");
    stores.push(store);
    const ws = await store.workspaces.ensure(SHELL);
    const before = snapshotStore(store);
    const plan = structuredClone(bundled);
    krOf(plan, "IV.KR1").teams.push("Growth"); // a KR–team link stored twice
    await expect(store.plans.import(ws.id, plan, { actor: "test" })).rejects.toThrow();
    expect(snapshotStore(store)).toBe(before);
    expect(await store.plans.get(ws.id)).toBeUndefined();
  });

  it("exports a plan that parses back to exactly the bundled plan", async () => {
    const { store, ws } = await storeWithBundledPlan();
    const exported = await store.plans.export(ws.id);
    expect(exported).toEqual(bundled);
    expect(parsePlan(planToYaml(exported as Plan))).toEqual(bundled);
  });

  it("round-trips export → import into a second store → export to the identical YAML", async () => {
    const first = await storeWithBundledPlan();
    const yaml = planToYaml((await first.store.plans.export(first.ws.id)) as Plan);

    const second = openSqliteStore(":memory:");
    stores.push(second);
    const ws2 = await second.workspaces.ensure(SHELL);
    await second.plans.import(ws2.id, parsePlan(yaml), { actor: "test" });
    expect(planToYaml((await second.plans.export(ws2.id)) as Plan)).toBe(yaml);
  });

  it("exports owners added in the store and keeps them through a round trip", async () => {
    const { store, ws } = await storeWithBundledPlan();
    const krs = await store.keyResults.list(ws.id);
    const kr = (code: string) => krs.find((k) => k.code === code)?.id as number;
    const actor = { platformUserId: "U0ADMIN", displayName: "Admin" };
    await store.owners.add(ws.id, kr("IV.KR2"), { platformUserId: "U0ALICE", displayName: "Alice" }, actor);
    await store.owners.add(ws.id, kr("IV.KR2"), { platformUserId: "U0BOB", displayName: "Bob" }, actor);
    await store.owners.add(ws.id, kr("I.KR1"), { platformUserId: "U0BOB", displayName: "Bob" }, actor);

    const exported = (await store.plans.export(ws.id)) as Plan;
    const owners = (o: string, k: string) =>
      exported.objectives.find((x) => x.code === o)?.key_results.find((x) => x.code === k)?.owners;
    expect(owners("IV", "KR2")).toEqual(["U0ALICE", "U0BOB"]);
    expect(owners("I", "KR1")).toEqual(["U0BOB"]);
    expect(owners("II", "KR1")).toEqual([]);

    const yaml = planToYaml(exported);
    expect(yaml).toContain("U0ALICE");
    const second = openSqliteStore(":memory:");
    stores.push(second);
    const ws2 = await second.workspaces.ensure(SHELL);
    await second.plans.import(ws2.id, parsePlan(yaml), { actor: "test" });
    const again = (await second.plans.export(ws2.id)) as Plan;
    expect(again).toEqual(exported);
    expect(planToYaml(again)).toBe(yaml);
    const ivkr2 = (await second.keyResults.list(ws2.id)).find((k) => k.code === "IV.KR2");
    expect(ivkr2?.owners.map((o) => o.platformUserId)).toEqual(["U0ALICE", "U0BOB"]);
  });
});

describe("reading plan files", () => {
  it("reports a missing file as a plan problem, not a crash", () => {
    try {
      readPlanFile("/definitely/not/here.yaml");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(PlanFileError);
      expect((e as PlanFileError).problems).toEqual(["cannot read the plan file: no such file"]);
    }
  });
});
