/** Messages the fake creates and edits: channel messages, interaction originals and follow-ups. */
import { isObject, snowflake } from "./objects.ts";
import { MessageFlag } from "./protocol.ts";
import type { FakeState } from "./state.ts";
import type { FakeDiscordFile, FakeDiscordMessage, JsonObject } from "./types.ts";

/** Builds a message from a create body (and its uploaded files) and records it in `state.messages`. */
export function createMessage(
  state: FakeState,
  channelId: string,
  body: JsonObject,
  files: FakeDiscordFile[],
  extra: JsonObject = {},
) {
  const guild = state.guildOfChannel(channelId);
  const id = snowflake();
  const attachments = files.map((f, i) => ({
    // What the request said of the file (description, title …); its `id` there is only the part's index.
    ...(Array.isArray(body.attachments) && isObject(body.attachments[i]) ? body.attachments[i] : {}),
    id: snowflake(),
    filename: f.filename,
    size: f.size,
    content_type: f.contentType,
    url: `https://cdn.discordapp.com/attachments/${channelId}/${id}/${f.filename}`,
    proxy_url: `https://media.discordapp.net/attachments/${channelId}/${id}/${f.filename}`,
  }));
  const message: FakeDiscordMessage = {
    id,
    type: 0,
    channel_id: channelId,
    ...(guild ? { guild_id: guild.id } : {}),
    author: state.botUser,
    content: typeof body.content === "string" ? body.content : "",
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: body.tts === true,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments,
    embeds: Array.isArray(body.embeds) ? body.embeds : [],
    components: Array.isArray(body.components) ? body.components : [],
    pinned: false,
    flags: Number(body.flags ?? 0) & ~MessageFlag.Loading,
    ...extra,
  };
  if (body.nonce !== undefined) message.nonce = body.nonce;
  state.messages.push(message);
  return message;
}

export function editMessage(message: FakeDiscordMessage, body: JsonObject): FakeDiscordMessage {
  if (typeof body.content === "string" || body.content === null) message.content = body.content ?? "";
  if (Array.isArray(body.embeds)) message.embeds = body.embeds;
  if (Array.isArray(body.components)) message.components = body.components;
  if (typeof body.flags === "number") message.flags = body.flags;
  message.flags &= ~MessageFlag.Loading;
  message.edited_timestamp = new Date().toISOString();
  return message;
}
