import type { CommandContext } from "../../core/command.ts";
import { noPlanError } from "../../core/preconditions.ts";
import type { PlanInfo } from "../../domain/model.ts";

/** The workspace's plan, or a UserError telling the admin how to load one. */
export async function requirePlan(ctx: CommandContext): Promise<PlanInfo> {
  if (ctx.plan) return ctx.plan;
  const plan = await ctx.store.plans.get(ctx.workspace.id);
  if (!plan) throw noPlanError();
  return plan;
}
