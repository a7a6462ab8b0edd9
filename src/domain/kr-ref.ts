import { UserError } from "./errors.ts";
import { closest } from "./suggest.ts";

/** The fields reference resolution needs from a key result. */
export interface KrRefTarget {
  code: string;
  title: string;
  objectiveCode: string;
}

/** The fields reference resolution needs from an objective. */
export interface ObjectiveRefTarget {
  code: string;
}

const ROMAN: [number, string][] = [
  [1000, "M"],
  [900, "CM"],
  [500, "D"],
  [400, "CD"],
  [100, "C"],
  [90, "XC"],
  [50, "L"],
  [40, "XL"],
  [10, "X"],
  [9, "IX"],
  [5, "V"],
  [4, "IV"],
  [1, "I"],
];

/** 4 → "IV". */
export function toRoman(n: number): string {
  let out = "";
  for (const [value, numeral] of ROMAN) {
    while (n >= value) {
      out += numeral;
      n -= value;
    }
  }
  return out;
}

/** "iv" → 4; undefined when the text is not a canonical roman numeral. */
export function fromRoman(s: string): number | undefined {
  const upper = s.toUpperCase();
  if (!/^[MDCLXVI]+$/.test(upper)) return undefined;
  let n = 0;
  let rest = upper;
  for (const [value, numeral] of ROMAN) {
    while (rest.startsWith(numeral)) {
      n += value;
      rest = rest.slice(numeral.length);
    }
  }
  return toRoman(n) === upper ? n : undefined;
}

/** Whether a typed objective code names a plan's objective code: `4`, `iv` and `IV` all name IV. */
export function objectiveCodeMatches(typed: string, code: string): boolean {
  const a = typed.toUpperCase();
  const b = code.toUpperCase();
  if (a === b) return true;
  const an = /^\d+$/.test(a) ? Number(a) : fromRoman(a);
  const bn = /^\d+$/.test(b) ? Number(b) : fromRoman(b);
  return an !== undefined && an === bn;
}

/** The KR part of a code without its "KR" prefix: "KR2" → "2". */
function krNumber(localOrTyped: string): string {
  return localOrTyped
    .toUpperCase()
    .replace(/^KR/, "")
    .replace(/^0+(?=\d)/, "");
}

/** Splits a typed reference into objective and KR parts: `IV.KR2`, `iv-kr2`, `4.2`, `IV.2`, `IVKR2`. */
export function splitKrRef(raw: string): { objective: string; kr: string } | undefined {
  const s = raw.trim();
  const withKr = /^([A-Za-z0-9]+?)[\s.\-_/:]*KR\s*[.\-_]?\s*(\d+)$/i.exec(s);
  if (withKr) return { objective: withKr[1] as string, kr: withKr[2] as string };
  const dotted = /^([A-Za-z0-9]+)[.\-_/:](\d+)$/.exec(s);
  if (dotted) return { objective: dotted[1] as string, kr: dotted[2] as string };
  return undefined;
}

const codeOf = (kr: KrRefTarget) => kr.code.slice(kr.objectiveCode.length + 1);

/** Finds the key result a user meant, or throws a UserError that names the closest matches. */
export function resolveKr<T extends KrRefTarget>(raw: string, krs: readonly T[]): T {
  const typed = raw.trim();
  if (!typed) throw new UserError("Name a key result, like `IV.KR2`.");
  const parts = splitKrRef(typed);
  if (parts) {
    const inObjective = krs.filter((kr) => objectiveCodeMatches(parts.objective, kr.objectiveCode));
    const hit = inObjective.find((kr) => krNumber(codeOf(kr)) === krNumber(parts.kr));
    if (hit) return hit;
    if (inObjective.length > 0) {
      const objective = inObjective[0]?.objectiveCode;
      throw new UserError(`Objective ${objective} has no key result ${krNumber(parts.kr)}.`, [
        `Its key results are ${inObjective.map((kr) => kr.code).join(", ")}.`,
      ]);
    }
  }
  const byObjective = krs.filter((kr) => objectiveCodeMatches(typed, kr.objectiveCode));
  if (byObjective.length > 0) {
    throw new UserError(`\`${typed}\` is an objective; which of its key results do you mean?`, [
      `Type one of ${byObjective.map((kr) => kr.code).join(", ")}.`,
    ]);
  }
  throw new UserError(`I don't know a key result called \`${typed}\`.`, suggestionHints(typed, krs));
}

function suggestionHints(typed: string, krs: readonly KrRefTarget[]): string[] {
  const byCode = closest(
    typed,
    krs.map((kr) => kr.code),
  );
  const needle = typed.toLowerCase();
  const byTitle =
    needle.length >= 3
      ? krs.filter((kr) => kr.title.toLowerCase().includes(needle)).map((kr) => kr.code)
      : [];
  const picks = [...new Set([...byTitle, ...byCode])].slice(0, 5);
  if (picks.length === 0)
    return ["Type `/kr list` to see every key result; codes look like `IV.KR2` or `4.2`."];
  const describe = (code: string) => {
    const kr = krs.find((k) => k.code === code);
    return kr ? `\`${kr.code}\` ${kr.title}` : code;
  };
  return [`Did you mean ${picks.map(describe).join(", ")}?`];
}

/** Finds the objective a user meant (`IV`, `iv`, `4`), or throws with the valid codes. */
export function resolveObjective<T extends ObjectiveRefTarget>(raw: string, objectives: readonly T[]): T {
  const hit = objectives.find((o) => objectiveCodeMatches(raw.trim(), o.code));
  if (hit) return hit;
  throw new UserError(`There is no objective \`${raw.trim()}\`.`, [
    `Objectives are ${objectives.map((o) => o.code).join(", ")}.`,
  ]);
}

/** Whether the text names an objective rather than a key result. */
export function looksLikeObjective(raw: string, objectives: readonly ObjectiveRefTarget[]): boolean {
  return objectives.some((o) => objectiveCodeMatches(raw.trim(), o.code));
}
