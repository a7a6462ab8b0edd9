import { describe, expect, it } from "vitest";
import { UserError } from "../../src/domain/errors.ts";
import {
  fromRoman,
  objectiveCodeMatches,
  resolveKr,
  resolveObjective,
  splitKrRef,
  toRoman,
} from "../../src/domain/kr-ref.ts";

const krs = [
  { code: "I.KR1", title: "Governance reform with emerging communities", objectiveCode: "I" },
  { code: "I.KR2", title: "Ratified UCoC enforcement protocol", objectiveCode: "I" },
  { code: "IV.KR1", title: "Data-driven newcomer growth pilots", objectiveCode: "IV" },
  { code: "IV.KR2", title: "Reading Wikipedia in the Classroom expansion", objectiveCode: "IV" },
];

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error("expected a UserError");
}

describe("KR references", () => {
  it.each(["IV.KR2", "iv.kr2", "IV-KR2", "4.2", "IV.2", "ivkr2", "IV KR2", "iv_kr_2", "4-2", "IV.KR02"])(
    "reads %s as IV.KR2",
    (typed) => {
      expect(resolveKr(typed, krs).code).toBe("IV.KR2");
    },
  );

  it("converts roman numerals both ways and rejects non-canonical ones", () => {
    expect(toRoman(4)).toBe("IV");
    expect(toRoman(1994)).toBe("MCMXCIV");
    expect(fromRoman("iv")).toBe(4);
    expect(fromRoman("IIII")).toBeUndefined();
    expect(fromRoman("kr")).toBeUndefined();
  });

  it("matches objectives by roman or arabic number", () => {
    expect(objectiveCodeMatches("4", "IV")).toBe(true);
    expect(objectiveCodeMatches("iv", "IV")).toBe(true);
    expect(objectiveCodeMatches("5", "IV")).toBe(false);
    expect(resolveObjective("4", [{ code: "I" }, { code: "IV" }]).code).toBe("IV");
  });

  it("splits references without a separator before KR", () => {
    expect(splitKrRef("IVKR2")).toEqual({ objective: "IV", kr: "2" });
    expect(splitKrRef("governance")).toBeUndefined();
  });

  it("names the objective's key results when the KR number is unknown", () => {
    const e = userError(() => resolveKr("IV.KR9", krs));
    expect(e.message).toContain("no key result 9");
    expect(e.hints.join(" ")).toContain("IV.KR1, IV.KR2");
  });

  it("treats a bare objective as ambiguous and lists its key results", () => {
    const e = userError(() => resolveKr("IV", krs));
    expect(e.message).toContain("objective");
    expect(e.hints.join(" ")).toContain("IV.KR1, IV.KR2");
  });

  it("suggests key results whose title contains the typed word", () => {
    const e = userError(() => resolveKr("classroom", krs));
    expect(e.hints.join(" ")).toContain("IV.KR2");
  });

  it("suggests the closest codes for a typo", () => {
    const e = userError(() => resolveKr("IV.KRR2x", krs));
    expect(e.message).toContain("IV.KRR2x");
    expect(e.hints.length).toBeGreaterThan(0);
  });

  it("lists the valid objectives for an unknown objective", () => {
    const e = userError(() => resolveObjective("IX", [{ code: "I" }, { code: "IV" }]));
    expect(e.hints.join(" ")).toContain("I, IV");
  });
});

describe("exact-code candidates (the indexed fast path)", () => {
  it("turns every accepted spelling into the codes it could mean", async () => {
    const { candidateCodes } = await import("../../src/commands/shared/find-kr.ts");
    expect(candidateCodes("4.2")).toEqual(["4.KR2", "4.2", "IV.KR2", "IV.2"]);
    expect(candidateCodes("iv-kr02")).toEqual(["IV.KR2", "IV.2", "4.KR2", "4.2"]);
    expect(candidateCodes("classroom")).toEqual([]);
  });
});
