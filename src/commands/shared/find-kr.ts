import type { CommandContext } from "../../core/command.ts";
import { UserError } from "../../core/errors.ts";
import { resolveKr } from "../../core/kr-ref.ts";
import type { KrView } from "../../store/store.ts";

/**
 * Resolves a typed KR reference against the cheap code/title list, then loads just that KR,
 * so single-KR commands cost the same in a 15-KR plan as in a 10,000-KR one.
 */
export async function findKr(ref: string, ctx: CommandContext): Promise<KrView> {
  const target = resolveKr(ref, await ctx.store.listKrRefs(ctx.workspace.id));
  const kr = await ctx.store.getKeyResult(ctx.workspace.id, target.id);
  if (!kr)
    throw new UserError(`${target.code} was removed a moment ago (the plan changed). Try \`/kr list\`.`);
  return kr;
}
