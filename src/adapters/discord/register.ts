import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { type REST, Routes } from "discord.js";

/** Where commands are registered: one guild (instant) or globally. */
export interface RegistrationTarget {
  applicationId: string;
  guildId?: string;
}

const route = (t: RegistrationTarget) =>
  t.guildId
    ? Routes.applicationGuildCommands(t.applicationId, t.guildId)
    : Routes.applicationCommands(t.applicationId);

/** Values Discord leaves out or fills in by default, which must not count as a difference. */
const isDefault = (v: unknown) =>
  v === undefined || v === null || v === false || (Array.isArray(v) && v.length === 0);

/**
 * Whether what Discord has registered already says everything ours says. Discord adds fields of
 * its own (ids, versions, localisations), so this compares only the keys we set, recursively.
 */
export function alreadyRegistered(ours: unknown, theirs: unknown): boolean {
  if (Array.isArray(ours)) {
    return (
      Array.isArray(theirs) &&
      ours.length === theirs.length &&
      ours.every((o, i) => alreadyRegistered(o, theirs[i]))
    );
  }
  if (ours && typeof ours === "object") {
    if (!theirs || typeof theirs !== "object") return false;
    return Object.entries(ours).every(([k, v]) => {
      if (v === undefined) return true; // a key we leave unset: Discord's default, whatever it is
      const t = (theirs as Record<string, unknown>)[k];
      return isDefault(v) ? isDefault(t) : alreadyRegistered(v, t);
    });
  }
  return ours === theirs || (isDefault(ours) && isDefault(theirs));
}

/**
 * Registers `/kr` with Discord's bulk-overwrite PUT. Without `force`, it first reads what is
 * registered and skips the PUT when nothing changed (startup); `krbot discord register` forces it.
 * Returns whether a PUT was sent.
 */
export async function registerCommands(
  rest: REST,
  target: RegistrationTarget,
  commands: RESTPostAPIChatInputApplicationCommandsJSONBody[],
  opts: { force?: boolean } = {},
): Promise<boolean> {
  if (!opts.force) {
    const current = (await rest.get(route(target))) as unknown[];
    const byName = (name: string) => current.find((c) => (c as { name?: string }).name === name);
    const same =
      current.length === commands.length && commands.every((c) => alreadyRegistered(c, byName(c.name)));
    if (same) return false;
  }
  await rest.put(route(target), { body: commands });
  return true;
}
