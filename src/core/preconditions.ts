import { UserError } from "../domain/errors.ts";
import type { AnyCommand, CommandContext } from "./command.ts";

/**
 * Whether the actor administers the workspace: the platform says so (Slack admin or owner,
 * Discord Manage Server, the shell's local user) or KRBOT_ADMINS lists them.
 */
export function actorIsAdmin(ctx: Pick<CommandContext, "invocation" | "settings">): boolean {
  const { actor, workspace } = ctx.invocation;
  return Boolean(actor.isAdmin) || (ctx.settings.admins ?? []).includes(`${workspace.platform}:${actor.id}`);
}

/** The refusal for someone who is not an admin; `action` says what they tried. */
export function notAdminError(action: string): UserError {
  return new UserError(`Only a workspace admin can ${action}.`, [
    "Admins are the platform's own (Slack admins and owners, Discord members with Manage Server) and anyone in KRBOT_ADMINS.",
  ]);
}

/** The refusal when the workspace has no plan, telling the admin how to load one. */
export function noPlanError(): UserError {
  return new UserError("This workspace has no plan yet.", [
    "An admin can load one with `krbot plan import FILE --workspace <id>`.",
  ]);
}

/**
 * The checks a command's declaration asks for, run once by the core before `execute`: admins
 * only (`access: { admin }`), then a loaded plan (`needsPlan`).
 */
export async function checkPreconditions(command: AnyCommand, ctx: CommandContext): Promise<void> {
  const access = command.access ?? "anyone";
  if (access !== "anyone" && !actorIsAdmin(ctx)) throw notAdminError(access.admin);
  if (!command.needsPlan) return;
  const plan = await ctx.store.plans.get(ctx.workspace.id);
  if (!plan) throw noPlanError();
  // Kept for the command, so the plan it declared it needs is not read a second time.
  ctx.plan = plan;
}
