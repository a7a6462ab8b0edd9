import type { CommandContext } from "../../core/command.ts";
import { UserError } from "../../domain/errors.ts";
import type { ActorInput, MemberView } from "../../domain/model.ts";
import type { UserRef } from "../../domain/user-ref.ts";

/** The invoking user as a store actor. */
export function actorOf(ctx: CommandContext): ActorInput {
  const { actor } = ctx.invocation;
  return {
    platformUserId: actor.id,
    displayName: actor.name,
    ...(actor.timezone ? { timezone: actor.timezone } : {}),
  };
}

/**
 * Turns a typed user reference into a person. Platform mentions carry the id; a plain `@name`
 * must match a known member, except in the shell, where the name is the id.
 */
export async function resolveUser(
  ref: UserRef,
  ctx: CommandContext,
): Promise<ActorInput & { memberId?: number }> {
  const ws = ctx.workspace.id;
  const asActor = (m: MemberView) => ({
    platformUserId: m.platformUserId,
    displayName: m.displayName,
    memberId: m.id,
  });
  if (ref.kind === "id") {
    const [found] = await ctx.store.members.find(ws, { platformUserId: ref.id });
    // A mention carries the name the platform shows today: it replaces a stale one (or a raw id).
    if (found) return { ...asActor(found), ...(ref.name ? { displayName: ref.name } : {}) };
    return { platformUserId: ref.id, displayName: ref.name ?? ref.id };
  }
  const [byId] = await ctx.store.members.find(ws, { platformUserId: ref.name });
  if (byId) return asActor(byId);
  const byName = await ctx.store.members.find(ws, { displayName: ref.name });
  if (byName.length === 1) return asActor(byName[0] as MemberView);
  if (byName.length > 1) {
    throw new UserError(`More than one person is called @${ref.name}.`, [
      "Mention them so the platform links the right one.",
    ]);
  }
  if (ctx.workspace.platform === "shell") return { platformUserId: ref.name, displayName: ref.name };
  throw new UserError(`I don't know @${ref.name} yet.`, [
    "Mention them (pick the name from the list) so the platform links them.",
  ]);
}
