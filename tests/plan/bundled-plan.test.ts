import { describe, expect, it } from "vitest";
import type { Plan } from "../../src/domain/plan.ts";
import { BUNDLED_PLAN_PATH, readPlanFile } from "../../src/plan/plan-file.ts";
import { THRIVING_KR_CODES } from "../helpers/plan-facts.ts";

const plan: Plan = readPlanFile(BUNDLED_PLAN_PATH);

type Kr = Plan["objectives"][number]["key_results"][number];

/** The KR with a full code like `IV.KR2`; fails the test when it is missing. */
function kr(fullCode: string): Kr {
  const [objectiveCode, krCode] = fullCode.split(".");
  const found = plan.objectives
    .find((o) => o.code === objectiveCode)
    ?.key_results.find((k) => k.code === krCode);
  if (!found) throw new Error(`the bundled plan has no ${fullCode}`);
  return found;
}

const allCodes = plan.objectives.flatMap((o) => o.key_results.map((k) => `${o.code}.${k.code}`));

/** Metric key → target, the way the issue states them. */
const targets = (fullCode: string) => Object.fromEntries(kr(fullCode).metrics.map((m) => [m.key, m.target]));

describe("the bundled Thriving Movement plan", () => {
  it("covers the 2021–22 fiscal year", () => {
    expect(plan.period).toEqual({ start: "2021-07-01", end: "2022-06-30" });
  });

  it("has the two goals, Strong movement then Diverse communities", () => {
    expect(plan.goals.map((g) => g.title)).toEqual(["Strong movement", "Diverse communities"]);
  });

  it("files objectives I–III under Strong movement and IV–V under Diverse communities", () => {
    const goalTitle = new Map(plan.goals.map((g) => [g.key, g.title]));
    expect(plan.objectives.map((o) => [o.code, goalTitle.get(o.goal)])).toEqual([
      ["I", "Strong movement"],
      ["II", "Strong movement"],
      ["III", "Strong movement"],
      ["IV", "Diverse communities"],
      ["V", "Diverse communities"],
    ]);
  });

  it("keeps the objectives' full titles", () => {
    const title = (code: string) => plan.objectives.find((o) => o.code === code)?.title ?? "";
    expect(title("I")).toContain("collaboratively and equitably built systems of governance");
    expect(title("I")).toContain("support effective movement management");
    expect(title("V")).toContain("Contributors in underserved communities will be empowered to grow");
    expect(title("V")).toContain("regionally oriented safety protocols in high risk areas");
    for (const o of plan.objectives) expect(o.title.length, `objective ${o.code}`).toBeGreaterThan(60);
  });

  it("has fifteen key results: I:2 II:3 III:4 IV:2 V:4, numbered KR1… within each objective", () => {
    expect(Object.fromEntries(plan.objectives.map((o) => [o.code, o.key_results.length]))).toEqual({
      I: 2,
      II: 3,
      III: 4,
      IV: 2,
      V: 4,
    });
    expect(allCodes).toEqual(THRIVING_KR_CODES);
  });

  it("gives every key result a title, its full text, a program and a team", () => {
    for (const code of allCodes) {
      const k = kr(code);
      expect(k.title, code).not.toBe("");
      expect(k.text.length, code).toBeGreaterThan(k.title.length);
      expect(k.programs.length, code).toBeGreaterThan(0);
      expect(k.teams.length, code).toBeGreaterThan(0);
    }
    expect(kr("IV.KR2").text).toContain("40 new Reading Wikipedia in the Classroom trainers are certified");
  });

  describe("spanning table cells apply to every KR they span", () => {
    it("I.KR2 shares the Systems of Governance program with I.KR1", () => {
      expect(kr("I.KR1").programs).toEqual(["Systems of Governance"]);
      expect(kr("I.KR2").programs).toEqual(["Systems of Governance"]);
    });

    it("II.KR2 has the teams Trust & Safety Tools and Trust & Safety Policy", () => {
      expect(kr("II.KR2").teams).toEqual(["Trust & Safety Tools", "Trust & Safety Policy"]);
    });

    it("IV.KR1 and IV.KR2 have the same six teams", () => {
      const six = ["Growth", "Inuka", "Campaigns", "Moderator Tools", "Brand", "Global Data & Insights"];
      expect(kr("IV.KR1").teams).toEqual(six);
      expect(kr("IV.KR2").teams).toEqual(six);
    });

    it("V.KR1's Empower & protect Underserved Communities program spans V.KR2 to V.KR4", () => {
      for (const code of ["V.KR1", "V.KR2", "V.KR3", "V.KR4"]) {
        expect(kr(code).programs, code).toEqual(["Empower & protect Underserved Communities"]);
      }
    });
  });

  describe("metrics for every number the text commits to", () => {
    const expected: Record<string, Record<string, number>> = {
      "I.KR1": { emerging_communities: 30 },
      "I.KR2": { emerging_communities: 25 },
      "II.KR2": { project_communities: 2, peer_support_pilots: 1 },
      "IV.KR1": { pilots: 3 },
      "IV.KR2": {
        trainers: 40,
        community_implementations: 6,
        partner_implementations: 1,
        teachers_reached: 7000,
        participants: 2300,
        certificates: 600,
      },
      "V.KR2": { regions: 3 },
      "V.KR3": { regions: 3 },
    };

    it.each(Object.entries(expected))(
      "%s has exactly the metrics and targets the issue lists",
      (code, want) => {
        expect(targets(code)).toEqual(want);
      },
    );

    it("lists IV.KR2's metrics in the order the text names them", () => {
      expect(kr("IV.KR2").metrics.map((m) => m.key)).toEqual([
        "trainers",
        "community_implementations",
        "partner_implementations",
        "teachers_reached",
        "participants",
        "certificates",
      ]);
    });

    it("makes every metric an at-least target counted up from 0", () => {
      for (const m of plan.objectives.flatMap((o) => o.key_results.flatMap((k) => k.metrics))) {
        expect(m.comparator, m.key).toBe("at_least");
        expect(m.baseline, m.key).toBe(0);
        expect(m.label, m.key).not.toBe("");
      }
    });

    it("tracks every other KR by progress % (no metrics)", () => {
      const withoutMetrics = allCodes.filter((c) => !(c in expected));
      expect(withoutMetrics).toEqual([
        "II.KR1",
        "II.KR3",
        "III.KR1",
        "III.KR2",
        "III.KR3",
        "III.KR4",
        "V.KR1",
        "V.KR4",
      ]);
      for (const code of withoutMetrics) expect(kr(code).metrics, code).toEqual([]);
    });
  });
});
