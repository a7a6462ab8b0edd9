import type { WebClient } from "@slack/web-api";
import type { PostAccess } from "../../core/adapter.ts";
import type { Logger } from "../../core/logger.ts";

const INVITE = "Invite krbot with `/invite @krbot` in this channel, then run the command again.";

/**
 * Whether the bot can post in a Slack channel, asked with `conversations.info` (scopes
 * `channels:read` and `groups:read`), which posts nothing: a channel the bot is not a member of
 * answers `is_member: false`, a private one it was never invited to `channel_not_found`. When Slack
 * can't say (an install without those scopes, an outage) the answer is ok: the first delivery will tell.
 */
export async function slackPostAccess(
  client: WebClient,
  channelId: string,
  log: Logger,
): Promise<PostAccess> {
  try {
    const info = await client.conversations.info({ channel: channelId });
    const channel = info.channel;
    if (channel?.is_archived) {
      return {
        ok: false,
        code: "is_archived",
        reason: "the channel is archived",
        fix: "Unarchive it, or run `/kr digest here` in another channel.",
      };
    }
    if (channel && !channel.is_im && !channel.is_mpim && channel.is_member === false) {
      return { ok: false, code: "not_in_channel", reason: "krbot is not a member of it", fix: INVITE };
    }
    return { ok: true };
  } catch (err) {
    const code = (err as { data?: { error?: string } }).data?.error;
    if (code === "channel_not_found") {
      return {
        ok: false,
        code,
        reason: "krbot can't see it: it is private and krbot was not invited",
        fix: INVITE,
      };
    }
    log.warn({ code: code ?? (err as Error).message }, "Slack: could not check whether krbot can post");
    return { ok: true };
  }
}
