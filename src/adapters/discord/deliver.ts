import { type AttachmentPayload, type Client, DiscordAPIError, MessageFlags } from "discord.js";
import { DeliveryError, type PostResult, type PostTarget } from "../../core/adapter.ts";
import type { Logger } from "../../core/logger.ts";
import type { Reply, ReplyFile } from "../../core/reply.ts";
import { type DiscordMessage, renderDiscord } from "./render.ts";

/** Files Discord takes on one message. */
export const MAX_ATTACHMENTS = 10;

/** Discord API error codes krbot treats specially. */
export const DISCORD_ERRORS = {
  cannotDmUser: 50007,
  missingPermissions: 50013,
  missingAccess: 50001,
  unknownChannel: 10003,
} as const;

/** Sends proactive replies (the outbox's posts and DMs), remembering who does not take DMs. */
export class DiscordDelivery {
  /** Users whose DMs are closed to the bot (error 50007): not tried again in this process. */
  private readonly dmBlocked = new Set<string>();

  constructor(private readonly log: Logger) {}

  /** Sends a reply (and its files) to a channel or a person's DMs. */
  async post(client: Client, workspaceId: string, target: PostTarget, message: Reply): Promise<PostResult> {
    if (target.userId && this.dmBlocked.has(target.userId)) {
      throw new DeliveryError("dm_blocked", `user ${target.userId} does not accept DMs from the bot`);
    }
    try {
      const channel = target.userId
        ? await client.users.createDM(target.userId)
        : await client.channels.fetch(target.channelId as string);
      if (!channel?.isSendable())
        throw new DeliveryError("channel_not_found", `cannot post in channel ${target.channelId}`);
      let messageId = "";
      for (const m of withFiles(renderDiscord(message), message.files)) {
        const sent = await channel.send(sendable(m));
        messageId ||= sent.id;
      }
      return { messageId, channelId: channel.id };
    } catch (err) {
      throw this.deliveryError(err, workspaceId, target);
    }
  }

  private deliveryError(err: unknown, workspace: string, target: PostTarget): DeliveryError {
    if (err instanceof DeliveryError) return err;
    const log = this.log;
    if (err instanceof DiscordAPIError) {
      if (err.code === DISCORD_ERRORS.cannotDmUser && target.userId) {
        this.dmBlocked.add(target.userId);
        log.warn({ workspace, user: target.userId }, "Discord: user does not accept DMs; not retrying");
        return new DeliveryError("dm_blocked", "this user does not accept direct messages from the bot");
      }
      if (err.code === DISCORD_ERRORS.missingPermissions || err.code === DISCORD_ERRORS.missingAccess) {
        log.warn(
          { workspace, channel: target.channelId },
          "Discord: missing permission to post (needs View Channel, Send Messages, Embed Links, Attach Files)",
        );
        return new DeliveryError(
          "missing_permissions",
          "the bot lacks View Channel, Send Messages, Embed Links or Attach Files here",
        );
      }
      if (err.code === DISCORD_ERRORS.unknownChannel)
        return new DeliveryError("channel_not_found", "no such channel");
      return new DeliveryError(String(err.code), err.message, err.status >= 500);
    }
    log.warn({ workspace, message: (err as Error).message }, "Discord could not be reached");
    return new DeliveryError(
      "request_failed",
      (err as Error).message ?? "Discord could not be reached",
      true,
    );
  }
}

/** A rendered message with the files that go with it. */
export type Outgoing = DiscordMessage & { files?: AttachmentPayload[] };

/**
 * Attaches a reply's files to its first message, at most MAX_ATTACHMENTS of them; any more go on
 * messages of their own after it (with the same ephemeral flag).
 */
export function withFiles(messages: DiscordMessage[], files: ReplyFile[] | undefined): Outgoing[] {
  if (!files?.length) return messages;
  const attachments = files.map(
    (f): AttachmentPayload => ({
      // A Buffer view of the reply's bytes, not a copy.
      attachment: Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength),
      name: f.name,
      // Discord shows an attachment's description as its alt text.
      ...(f.title ? { description: f.title } : {}),
    }),
  );
  const chunks: AttachmentPayload[][] = [];
  for (let at = 0; at < attachments.length; at += MAX_ATTACHMENTS)
    chunks.push(attachments.slice(at, at + MAX_ATTACHMENTS));
  const [first, ...more] = chunks;
  const [head, ...tail] = messages;
  const flags = head?.flags;
  return [
    { ...(head ?? { embeds: [], components: [] }), files: first ?? [] },
    ...tail,
    ...more.map((chunk) => ({ embeds: [], components: [], ...(flags ? { flags } : {}), files: chunk })),
  ];
}

/** A rendered message as a channel send / edit takes it (no interaction flags). */
export function sendable(m: Outgoing) {
  return {
    ...(m.content !== undefined ? { content: m.content } : {}),
    embeds: m.embeds,
    components: m.components,
    ...(m.files?.length ? { files: m.files } : {}),
  };
}

/** A rendered message as an interaction reply takes it (ephemeral flag kept). */
export function withFlags(m: Outgoing) {
  return { ...sendable(m), ...(m.flags ? { flags: MessageFlags.Ephemeral as const } : {}) };
}
