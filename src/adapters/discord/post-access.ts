import { PermissionFlagsBits } from "discord.js";
import type { PostAccess } from "../../core/adapter.ts";

/** What a digest needs in a channel: see it, post in it, and post embeds (the digest is embeds). */
const NEEDED: [bigint, string][] = [
  [PermissionFlagsBits.ViewChannel, "View Channel"],
  [PermissionFlagsBits.SendMessages, "Send Messages"],
  [PermissionFlagsBits.EmbedLinks, "Embed Links"],
];

/** How many channels' permissions are remembered (the newest win). */
const MAX_CHANNELS = 1000;

/**
 * The bot's permissions per channel, as Discord states them in every interaction
 * (`app_permissions`): a command typed in a channel says exactly what krbot may do there, so no
 * API call is needed to answer "can krbot post here?".
 */
export class ChannelAccess {
  private readonly seen = new Map<string, bigint>();

  /** Records the bot's permissions in a channel from an interaction made there. */
  record(channelId: string | null, permissions: { bitfield: bigint } | null | undefined): void {
    if (!channelId || !permissions) return;
    this.seen.delete(channelId);
    this.seen.set(channelId, permissions.bitfield);
    if (this.seen.size > MAX_CHANNELS) this.seen.delete(this.seen.keys().next().value as string);
  }

  /** Whether krbot can post a digest in the channel; ok when no interaction there told us. */
  check(channelId: string): PostAccess {
    const bits = this.seen.get(channelId);
    if (bits === undefined) return { ok: true };
    const missing = NEEDED.filter(([flag]) => (bits & flag) !== flag).map(([, name]) => name);
    if (missing.length === 0) return { ok: true };
    return {
      ok: false,
      code: "missing_permissions",
      reason: `krbot lacks ${missing.join(", ")} here`,
      fix: `Give krbot ${missing.join(", ")} in this channel (Edit Channel → Permissions → add krbot), then run the command again.`,
    };
  }
}
