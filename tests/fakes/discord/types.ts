/** The fake Discord's public types: options, recorded calls and payloads, builder inputs, the handle. */
import type { IncomingHttpHeaders } from "node:http";

/** A JSON object as Discord sends or receives it. */
export type JsonObject = Record<string, unknown>;

/** A user object as Discord sends it. */
export interface FakeDiscordUser {
  id: string;
  username: string;
  global_name: string | null;
  discriminator: string;
  avatar: string | null;
  bot?: boolean;
  [key: string]: unknown;
}

/** How tests name a user: only `id` is required; the rest is synthesized. */
export interface UserInput {
  id: string;
  username?: string;
  globalName?: string | null;
  bot?: boolean;
}

/** A guild the fake serves: READY lists it, GUILD_CREATE sends it with one text channel. */
export interface FakeGuild {
  id: string;
  name: string;
  /** The guild's only text channel. */
  textChannelId: string;
}

export interface FakeDiscordOptions {
  /** Default "500000000000000005". Also the bot user's id unless `botUser.id` is set (as on Discord). */
  applicationId?: string;
  botUser?: { id?: string; username?: string };
  /** Default `["100000000000000001"]`. The first guild's text channel is "200000000000000002". */
  guildIds?: string[];
  /** Who acts in interactions by default. Default `{ id: "300000000000000003", username: "alice" }`. */
  defaultUser?: UserInput;
  /**
   * When set, REST calls with another bot token answer 401 and an IDENTIFY/RESUME with another token is
   * closed with 4004. Otherwise any `Bot …` token is accepted.
   */
  token?: string;
  /** HELLO's heartbeat_interval. Default 45000 (Discord's ~41250 is close; tests may shorten it). */
  heartbeatIntervalMs?: number;
  /** Accept GuildMembers / GuildPresences / MessageContent in IDENTIFY. Default false: closed with 4014. */
  allowPrivilegedIntents?: boolean;
  /**
   * An interaction callback later than this after dispatch answers 404 `10062 Unknown interaction`, as
   * Discord does after 3 s. Default 3000; 0 disables the check.
   */
  interactionDeadlineMs?: number;
  /** Interaction `locale` / guild `preferred_locale`. Default "en-US". */
  locale?: string;
}

/** A file part of a multipart request. */
export interface FakeDiscordFile {
  /** Form field name, e.g. `files[0]`. */
  field: string;
  filename: string;
  contentType: string;
  size: number;
  /** The file's bytes as sent. */
  bytes: Buffer;
}

/** One REST request as the fake saw it. */
export interface FakeDiscordCall {
  method: string;
  /** Path after `/api/v10`, percent-decoded, without the query: `/webhooks/5…/tok/messages/@original`. */
  path: string;
  query: Record<string, string>;
  /** Parsed JSON body, or a multipart request's `payload_json`; null when there was none. */
  body: unknown;
  /** Files of a multipart request. */
  files: FakeDiscordFile[];
  headers: IncomingHttpHeaders;
  /** The Authorization header as sent (`Bot <token>`), undefined when absent (interaction callbacks). */
  auth: string | undefined;
  /** `Date.now()` on arrival. */
  at: number;
  /** What the fake answered (status 204 has body null). */
  response: { status: number; body: unknown };
}

/** An accepted `POST /interactions/:id/:token/callback`. */
export interface FakeInteractionCallback {
  interactionId: string;
  token: string;
  /** 1 pong, 4 message, 5 deferred message, 6 deferred update, 7 update, 8 autocomplete, 9 modal, … */
  type: number;
  data: JsonObject | undefined;
  call: FakeDiscordCall;
}

/** A message object the fake created (channel message, interaction original or follow-up). */
export interface FakeDiscordMessage extends JsonObject {
  id: string;
  channel_id: string;
  content: string;
  embeds: unknown[];
  components: unknown[];
  flags: number;
}

/** A queued failure for the next matching REST call. */
export type FakeDiscordFailure =
  /** 429 with body `{ message, retry_after, global }`, `Retry-After` and `X-RateLimit-*` headers. */
  | { status: 429; retryAfter: number; global?: boolean }
  /** A server error: body `{ message: "<status>: …", code: 0 }`. */
  | { status: 500 | 502 | 503 | 504 }
  /** Any API error: body `{ code, message }`. */
  | { status: number; code: number; message: string };

export interface WaitOptions {
  /** Default 3000. */
  timeoutMs?: number;
  /** Resolve with the `count`-th match (default 1). */
  count?: number;
}

/** A registered application command as the fake stores and returns it. */
export interface RegisteredCommand extends JsonObject {
  id: string;
  application_id: string;
  name: string;
  type: number;
  version: string;
}

/** A gateway payload (either direction). */
export interface GatewayPayload {
  op: number;
  d: unknown;
  s?: number | null;
  t?: string | null;
}

/** The `d` of the client's IDENTIFY. */
export interface GatewayIdentify extends JsonObject {
  token: string;
  intents: number;
  properties: JsonObject;
  shard?: [number, number];
  compress?: boolean;
}

/** One accepted gateway WebSocket connection. */
export interface GatewayConnectionInfo {
  /** Query string of the upgrade request, e.g. `{ v: "10", encoding: "json" }`. */
  query: Record<string, string>;
  at: number;
}

/**
 * What a test hands to `dispatchInteraction`: at least `type` and `data`; any other raw field is copied
 * over the defaults. `user` names the actor (default: the fake's default user).
 */
export interface InteractionInput {
  type: number;
  data?: JsonObject;
  user?: UserInput;
  id?: string;
  token?: string;
  /** `null` makes a DM interaction (top-level `user`, a DM channel, context 1). */
  guild_id?: string | null;
  channel_id?: string;
  message?: JsonObject;
  [key: string]: unknown;
}

/** What `dispatchInteraction` sent. */
export interface DispatchedInteraction {
  id: string;
  token: string;
  /** The sequence number of the INTERACTION_CREATE. */
  sequence: number;
  payload: JsonObject;
}

/** A chat-input option: `type` is inferred from `value` when omitted (string 3, integer 4, number 10, boolean 5). */
export interface ChatInputOption {
  name: string;
  value: string | number | boolean;
  /** 3 string, 4 integer, 5 boolean, 6 user, 7 channel, 8 role, 10 number, … */
  type?: number;
  /** For user options (type 6): how the resolved user looks. */
  user?: Omit<UserInput, "id">;
  /** For user options (type 6): the resolved guild member's server nickname (default none). */
  nick?: string | null;
}

/** Options as a list, or as `{ name: value }` with inferred types. */
export type ChatInputOptions = ChatInputOption[] | Record<string, string | number | boolean>;

export interface FakeDiscord {
  /** `http://127.0.0.1:<port>/api` — pass as discord.js `rest.api` (it appends `/v10`). */
  readonly apiUrl: string;
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string;
  /** `ws://127.0.0.1:<port>/gateway` — what `GET /gateway/bot` returns. */
  readonly gatewayUrl: string;
  readonly port: number;
  readonly applicationId: string;
  readonly botUser: FakeDiscordUser;
  /** Who acts in interactions unless a builder says otherwise. */
  readonly defaultUser: FakeDiscordUser;
  readonly guilds: readonly FakeGuild[];
  /** The first guild's id. */
  readonly guildId: string;
  /** The first guild's text channel ("200000000000000002" by default). */
  readonly channelId: string;
  /** Every REST call, in arrival order. */
  readonly calls: FakeDiscordCall[];
  /** Every accepted interaction callback, in order. */
  readonly callbacks: FakeInteractionCallback[];
  /** Every message the fake created (channel messages, originals, follow-ups), in order. */
  readonly messages: FakeDiscordMessage[];
  /** The latest IDENTIFY's `d` (token, intents, properties, shard, …), once one arrived. */
  readonly identify: GatewayIdentify | undefined;
  /** Every payload clients sent on the gateway (heartbeats included), in order. */
  readonly gatewayReceived: GatewayPayload[];
  /** Every gateway connection accepted so far. */
  readonly gatewayConnections: readonly GatewayConnectionInfo[];
  /** Heartbeats received (each was ACKed). */
  readonly heartbeatCount: number;
  /** Calls whose method matches (`"*"` for any) and whose decoded path matches `pathPattern`. */
  callsTo(method: string, pathPattern: string | RegExp): FakeDiscordCall[];
  /** Resolves with the `count`-th matching call (after it was answered). */
  waitForCall(method: string, pathPattern: string | RegExp, opts?: WaitOptions): Promise<FakeDiscordCall>;
  /**
   * Queue a failure for the next call matching method and path (string patterns take `:param` segments,
   * e.g. "/channels/:id/messages", and match the whole path). Queued failures are used in order.
   */
  failNext(method: string, pathPattern: string | RegExp, failure: FakeDiscordFailure): void;
  /** DMs to this user can be opened, but posting in them answers 403 `50007`. */
  blockDms(userId: string): void;
  /** Posting in this channel answers 403 `50013 Missing Permissions`. */
  denyChannel(channelId: string): void;
  /** Commands stored by the last PUT (global when `guildId` is omitted). */
  registeredCommands(guildId?: string): RegisteredCommand[];
  /** The current `@original` of an interaction (by token), once a message callback created it. */
  originalMessage(token: string): FakeDiscordMessage | undefined;
  /** Resolves once READY and every GUILD_CREATE were sent (`count` sessions; default 1). */
  waitForReady(opts?: WaitOptions): Promise<void>;
  /** Sends an INTERACTION_CREATE with defaults filled in. Throws unless a session is ready. */
  dispatchInteraction(input: InteractionInput): DispatchedInteraction;
  /** Sends any dispatch event on the ready connection; returns its sequence number. */
  dispatch(event: string, data: unknown): number;
  /** Resolves with the `count`-th accepted callback for the interaction. */
  waitForCallback(interactionId: string, opts?: WaitOptions): Promise<FakeInteractionCallback>;
  /** Sends op 7 RECONNECT: the client reconnects and RESUMEs (answered with RESUMED). */
  requestReconnect(): void;
  /** Forget recorded calls, callbacks, messages and queued failures (state such as commands stays). */
  reset(): void;
  /**
   * Terminates every socket and closes the server; pending waits reject. Destroy discord.js clients first:
   * a live client whose gateway drops keeps trying to reconnect.
   */
  close(): Promise<void>;
}
