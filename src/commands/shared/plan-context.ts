import type { CommandContext } from "../../core/command.ts";
import { UserError } from "../../domain/errors.ts";
import type { PlanInfo } from "../../domain/model.ts";

/** The workspace's plan, or a UserError telling the admin how to load one. */
export async function requirePlan(ctx: CommandContext): Promise<PlanInfo> {
  const plan = await ctx.store.plans.get(ctx.workspace.id);
  if (!plan) {
    throw new UserError("This workspace has no plan yet.", [
      "An admin can load one with `krbot plan import FILE --workspace <id>`.",
    ]);
  }
  return plan;
}
