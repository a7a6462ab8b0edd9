import type { CommandContext } from "../../core/command.ts";
import { workspaceZone } from "./schedule-text.ts";

/** Where a person's zone came from, so replies can say how to change it. */
export type ZoneSource = "chosen" | "platform" | "workspace";

/**
 * The actor's time zone, for every time krbot shows them or schedules for them: the zone they
 * chose (`/kr settings zone …`), else the one their platform profile reports (Slack has one,
 * Discord never does), else the workspace's.
 */
export async function actorZone(ctx: CommandContext): Promise<{ zone: string; source: ZoneSource }> {
  const me = await ctx.store.members.getSettings(ctx.workspace.id, ctx.invocation.actor.id);
  if (me?.remindTimezone) return { zone: me.remindTimezone, source: "chosen" };
  const platform = ctx.invocation.actor.timezone ?? me?.timezone;
  if (platform) return { zone: platform, source: "platform" };
  return { zone: await workspaceZone(ctx), source: "workspace" };
}

/** "Europe/Berlin (your chosen zone)": a zone and where it came from. */
export function zoneText({ zone, source }: { zone: string; source: ZoneSource }): string {
  const from =
    source === "chosen"
      ? "you chose it"
      : source === "platform"
        ? "from your profile"
        : "the workspace's; set yours with `/kr settings zone <zone>`";
  return `${zone} (${from})`;
}
