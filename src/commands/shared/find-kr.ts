import type { CommandContext } from "../../core/command.ts";
import { UserError } from "../../domain/errors.ts";
import { fromRoman, resolveKr, splitKrRef, toRoman } from "../../domain/kr-ref.ts";
import type { KrRef, KrView } from "../../domain/model.ts";

/** The exact codes a typed reference could mean: `4.2` → IV.KR2, 4.KR2, IV.2, 4.2 … */
export function candidateCodes(typed: string): string[] {
  const parts = splitKrRef(typed);
  if (!parts) return [];
  const o = parts.objective.toUpperCase();
  const n = /^\d+$/.test(o) ? Number(o) : fromRoman(o);
  const objectives = new Set([o, ...(n ? [toRoman(n), String(n)] : [])]);
  const k = String(Number(parts.kr));
  const krs = [`KR${k}`, k];
  return [...objectives].flatMap((obj) => krs.map((kr) => `${obj}.${kr}`));
}

/**
 * Resolves a typed KR reference and loads that KR. Exact codes (the common case) are looked up
 * by index; only an unusual spelling or an unknown reference reads the code/title list, which
 * forgiving resolution and "did you mean" need. Either way a single KR is loaded, so single-KR
 * commands cost the same in a 15-KR plan as in a 10,000-KR one.
 */
export async function findKr(typed: string, ctx: CommandContext): Promise<KrView> {
  // Full-width digits (４.２) and direction marks around a code are spelling, not meaning.
  const ref = typed.normalize("NFKC").replace(/[\u200E\u200F]/g, "");
  const ws = ctx.workspace.id;
  let target: KrRef | undefined;
  for (const code of candidateCodes(ref)) {
    target = await ctx.store.keyResults.findByCode(ws, code);
    if (target) break;
  }
  target ??= resolveKr(ref, await ctx.store.keyResults.listRefs(ws));
  const kr = await ctx.store.keyResults.get(ws, target.id);
  if (!kr)
    throw new UserError(`${target.code} was removed a moment ago (the plan changed). Try \`/kr list\`.`);
  return kr;
}
