import type { CommandContext } from "../../core/command.ts";
import { actorIsAdmin, notAdminError } from "../../core/preconditions.ts";
import { UserError } from "../../domain/errors.ts";
import type { KrView } from "../../domain/model.ts";

/**
 * Whether the actor administers the workspace: the platform says so (Slack admin or owner,
 * Discord Manage Server, the shell's local user) or KRBOT_ADMINS lists them.
 */
export function isAdmin(ctx: CommandContext): boolean {
  return actorIsAdmin(ctx);
}

/** Refuses unless the actor is an admin; the message says who can do it. */
export function requireAdmin(ctx: CommandContext, action: string): void {
  if (!isAdmin(ctx)) throw notAdminError(action);
}

const names = (list: string[]) => (list.length ? list.join(", ") : "none yet");

/**
 * Refuses a check-in unless the actor owns the KR, belongs to one of its teams, administers the
 * workspace, or the workspace lets anyone update. The message names who can.
 */
export async function requireCanUpdate(ctx: CommandContext, kr: KrView): Promise<void> {
  const me = ctx.invocation.actor.id;
  if (isAdmin(ctx) || kr.owners.some((o) => o.platformUserId === me)) return;
  const [settings, myTeams] = await Promise.all([
    ctx.store.workspaces.settings(ctx.workspace.id),
    ctx.store.teams.teamsOf(ctx.workspace.id, me),
  ]);
  if (settings.openUpdates || kr.teams.some((t) => myTeams.includes(t))) return;
  throw new UserError(
    `You can't update ${kr.code}: only its owners, members of its teams, or a workspace admin can.`,
    [
      `Owners: ${names(kr.owners.map((o) => o.displayName))}. Teams: ${names(kr.teams)}.`,
      "An admin can add you with `/kr owner <kr> add @you` or `/kr team <name> add @you`, or let anyone update with `/kr settings updates anyone`.",
    ],
  );
}

/** The KRs a person may check in on, theirs first: what forms and pickers offer them. */
export interface UpdatableKrs {
  /** KRs the actor owns. */
  owned: KrView[];
  /** KRs of the actor's teams that they don't own. */
  teams: KrView[];
  /** Everything else they may update: all other KRs for admins or when anyone may update, else none. */
  others: KrView[];
}

/** Splits KRs into those the actor owns, their teams' and (if they may) the rest; same rules as requireCanUpdate. */
export async function updatableKrs(ctx: CommandContext, krs: readonly KrView[]): Promise<UpdatableKrs> {
  const me = ctx.invocation.actor.id;
  const [settings, myTeams] = await Promise.all([
    ctx.store.workspaces.settings(ctx.workspace.id),
    ctx.store.teams.teamsOf(ctx.workspace.id, me),
  ]);
  const owned = krs.filter((kr) => kr.owners.some((o) => o.platformUserId === me));
  const teams = krs.filter((kr) => !owned.includes(kr) && kr.teams.some((t) => myTeams.includes(t)));
  const anyone = isAdmin(ctx) || settings.openUpdates;
  const others = anyone ? krs.filter((kr) => !owned.includes(kr) && !teams.includes(kr)) : [];
  return { owned, teams, others };
}

/** What to tell someone who may update no key result at all, and how that changes. */
export const CANNOT_UPDATE_ANY = [
  "You can't update any key result yet: only a KR's owners, members of its teams, or a workspace admin can.",
  "An admin can add you with `/kr owner <kr> add @you` or `/kr team <name> add @you`, or let anyone update with `/kr settings updates anyone`.",
] as const;

/** Refuses unless the actor is one of the KR's owners or an admin; the message names who can. */
export function requireOwnerOrAdmin(
  ctx: CommandContext,
  kr: KrView,
  action: string,
  moreHints: string[] = [],
): void {
  if (isAdmin(ctx) || kr.owners.some((o) => o.platformUserId === ctx.invocation.actor.id)) return;
  throw new UserError(`Only ${kr.code}'s owners or a workspace admin can ${action}.`, [
    `Owners: ${names(kr.owners.map((o) => o.displayName))}.`,
    ...moreHints,
  ]);
}
