import { webApi } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { DeliveryError, type PostResult, type PostTarget } from "../../core/adapter.ts";
import type { Logger } from "../../core/logger.ts";
import type { Reply } from "../../core/reply.ts";
import { uploadFiles } from "./files.ts";
import type { CheckInMetadata } from "./modal.ts";
import { renderSlack } from "./render.ts";

/** Sends a reply (and its files) to a channel, a thread or a person's DMs, for the outbox and answers. */
export async function postReply(
  client: WebClient,
  log: Logger,
  workspaceId: string,
  target: PostTarget,
  reply: Reply,
): Promise<PostResult> {
  try {
    let channel = target.channelId;
    if (target.userId) {
      const opened = await client.conversations.open({ users: target.userId });
      channel = opened.channel?.id;
    }
    if (!channel) throw new DeliveryError("channel_not_found", `no channel to post to in ${workspaceId}`);
    let messageId = "";
    for (const message of renderSlack(reply)) {
      const res = await client.chat.postMessage({
        channel,
        ...message,
        ...(target.threadOf ? { thread_ts: target.threadOf } : {}),
        unfurl_links: false,
        unfurl_media: false,
      });
      messageId ||= res.ts ?? "";
    }
    if (reply.files?.length) {
      // The messages are out: a failed upload must not make the outbox send them again, so
      // it is logged and the delivery counts as done (a missing chart beats a doubled digest).
      try {
        await uploadFiles(client, channel, reply.files, {
          ...(target.threadOf ? { threadTs: target.threadOf } : {}),
        });
      } catch (err) {
        const failure = toDeliveryError(err, log, workspaceId);
        log.warn({ workspace: workspaceId, code: failure.code }, "Slack: files not attached");
      }
    }
    return { messageId, channelId: channel };
  } catch (err) {
    throw toDeliveryError(err, log, workspaceId);
  }
}

/** How the handlers send a proactive reply: the adapter's own post. */
export type Post = (workspaceId: string, target: PostTarget, reply: Reply) => Promise<PostResult>;

/** Posts a check-in's reply where the form was opened; if the bot can't post there, DMs the author. */
export async function announce(
  post: Post,
  workspace: string,
  authorId: string,
  meta: CheckInMetadata,
  reply: Reply,
): Promise<void> {
  if (meta.channelId) {
    try {
      await post(workspace, { channelId: meta.channelId }, reply);
      return;
    } catch (err) {
      if (!(err instanceof DeliveryError)) throw err;
    }
  }
  try {
    await post(workspace, { userId: authorId }, reply);
  } catch (err) {
    if (!(err instanceof DeliveryError)) throw err;
  }
}

/** Turns a Web API failure into a DeliveryError, logging it (never the token). */
export function toDeliveryError(err: unknown, log: Logger, workspace: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { code?: string; data?: { error?: string }; message?: string };
  if (e.code === webApi.ErrorCode.PlatformError) {
    const code = e.data?.error ?? "unknown_error";
    log.warn({ workspace, code }, "Slack refused a message");
    return new DeliveryError(code, `Slack refused the message: ${code}`, code === "ratelimited");
  }
  log.warn({ workspace, code: e.code, message: e.message }, "Slack could not be reached");
  return new DeliveryError(e.code ?? "request_failed", e.message ?? "Slack could not be reached", true);
}
