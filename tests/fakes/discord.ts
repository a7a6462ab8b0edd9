/**
 * A local fake of Discord — REST API v10 and the gateway WebSocket on one loopback port — that the real
 * discord.js client logs in to. Give the client `rest: { api: fake.apiUrl, retries: 0 }`; it learns the
 * gateway URL from `GET /gateway/bot`.
 *
 * Every REST call is recorded (`calls`); interaction callbacks, originals and follow-ups are checked like
 * Discord checks them (unknown / already acknowledged / expired interactions, empty messages, embed and
 * modal limits, command shapes) and answered with Discord's error codes. Failures (429 with Retry-After,
 * 5xx, any API error) can be queued per route with `failNext`. The gateway sends HELLO, ACKs heartbeats,
 * answers IDENTIFY with READY and one GUILD_CREATE per guild, RESUME with RESUMED, and `dispatchInteraction`
 * sends INTERACTION_CREATE payloads built by `chatInput`, `autocomplete`, `button`, `stringSelect` and
 * `modalSubmit`. No compression is negotiated (discord.js only asks for it when zlib-sync is installed).
 */
import { randomBytes } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { type RawData, type WebSocket, WebSocketServer } from "ws";

// ---------------------------------------------------------------------------------------------------------
// Types

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

// ---------------------------------------------------------------------------------------------------------
// Constants

const API_PREFIX = "/api/v10";
const GATEWAY_PATH = "/gateway";
const ALL_PERMISSIONS = "2199023255551";
const DISCORD_EPOCH = 1_420_070_400_000n;
const JOINED_AT = "2024-01-01T00:00:00.000000+00:00";

const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Resume: 6,
  Reconnect: 7,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

/** GuildMembers, GuildPresences, MessageContent. */
const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);

const InteractionType = {
  Ping: 1,
  ApplicationCommand: 2,
  Component: 3,
  Autocomplete: 4,
  ModalSubmit: 5,
} as const;

const Callback = {
  Pong: 1,
  Message: 4,
  DeferredMessage: 5,
  DeferredUpdate: 6,
  Update: 7,
  Autocomplete: 8,
  Modal: 9,
  PremiumRequired: 10,
  LaunchActivity: 12,
} as const;
const CALLBACK_TYPES = new Set<number>(Object.values(Callback));

const MessageFlag = { Ephemeral: 64, Loading: 128 } as const;

/** Discord's documented limits that the fake enforces (50035 Invalid Form Body past them). */
export const DISCORD_LIMITS = {
  content: 2000,
  embeds: 10,
  embedTitle: 256,
  embedDescription: 4096,
  embedFields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  embedTotal: 6000,
  actionRows: 5,
  autocompleteChoices: 25,
  choiceName: 100,
  choiceValue: 100,
  modalTitle: 45,
  modalComponents: 5,
  textInputLabel: 45,
  textInputPlaceholder: 100,
  customId: 100,
  commandName: 32,
  commandDescription: 100,
  commandOptions: 25,
} as const;

// ---------------------------------------------------------------------------------------------------------
// Small helpers

let snowflakeIncrement = 0n;

/** A real snowflake (timestamp from now), so discord.js's `createdAt` is sane. */
export function snowflake(): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement);
}

function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function makeUser(input: UserInput, fallbackName: string): FakeDiscordUser {
  return {
    id: input.id,
    username: input.username ?? fallbackName,
    global_name: input.globalName ?? null,
    discriminator: "0",
    avatar: null,
    ...(input.bot ? { bot: true } : {}),
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

function synthUser(input: UserInput): FakeDiscordUser {
  return makeUser(input, `user${input.id.slice(-4)}`);
}

function memberOf(user: FakeDiscordUser | undefined): JsonObject {
  return {
    ...(user ? { user } : {}),
    roles: [],
    permissions: ALL_PERMISSIONS,
    joined_at: JOINED_AT,
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    nick: null,
    avatar: null,
    banner: null,
    flags: 0,
    communication_disabled_until: null,
  };
}

function textChannel(id: string, guildId: string): JsonObject {
  return {
    id,
    type: 0,
    guild_id: guildId,
    name: "general",
    position: 0,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

function dmChannel(id: string, recipient: FakeDiscordUser): JsonObject {
  return { id, type: 1, last_message_id: null, flags: 0, recipients: [recipient] };
}

/** `"/channels/:id/messages"` → a whole-path regex; a RegExp is used as is. */
function toMatcher(pattern: string | RegExp): (path: string) => boolean {
  if (pattern instanceof RegExp) return (path) => pattern.test(path);
  const source = pattern
    .split("/")
    .map((seg) => (seg.startsWith(":") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  const re = new RegExp(`^${source}$`);
  return (path) => re.test(path);
}

function methodMatches(want: string, got: string): boolean {
  return want === "*" || want.toUpperCase() === got.toUpperCase();
}

function describeCalls(calls: FakeDiscordCall[]): string {
  if (calls.length === 0) return "none";
  return calls.map((c) => `${c.method} ${c.path} → ${c.response.status}`).join("; ");
}

/** Discord's nested form-error shape: `{ data: { embeds: { 0: { description: { _errors: [...] } } } } }`. */
class FormErrors {
  readonly tree: JsonObject = {};
  count = 0;
  add(path: (string | number)[], code: string, message: string): void {
    let node = this.tree;
    for (const key of path) {
      const k = String(key);
      const next = node[k];
      if (isObject(next)) node = next;
      else {
        const created: JsonObject = {};
        node[k] = created;
        node = created;
      }
    }
    const list = Array.isArray(node._errors) ? (node._errors as unknown[]) : [];
    list.push({ code, message });
    node._errors = list;
    this.count++;
  }
  maxLength(path: (string | number)[], value: unknown, max: number): void {
    if (typeof value === "string" && value.length > max) {
      this.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
    }
  }
  range(path: (string | number)[], value: unknown, min: number, max: number): void {
    if (typeof value !== "string" || value.length < min || value.length > max) {
      this.add(path, "BASE_TYPE_BAD_LENGTH", `Must be between ${min} and ${max} in length.`);
    }
  }
  maxItems(path: (string | number)[], value: unknown, max: number): void {
    if (Array.isArray(value) && value.length > max) {
      this.add(path, "BASE_TYPE_MAX_LENGTH", `Must be ${max} or fewer in length.`);
    }
  }
}

function strLen(v: unknown): number {
  return typeof v === "string" ? v.length : 0;
}

function validateMessage(body: JsonObject, prefix: (string | number)[], errors: FormErrors): void {
  errors.maxLength([...prefix, "content"], body.content, DISCORD_LIMITS.content);
  const embeds = body.embeds;
  if (Array.isArray(embeds)) {
    errors.maxItems([...prefix, "embeds"], embeds, DISCORD_LIMITS.embeds);
    let total = 0;
    embeds.forEach((embed, i) => {
      if (!isObject(embed)) return;
      const p = [...prefix, "embeds", i];
      errors.maxLength([...p, "title"], embed.title, DISCORD_LIMITS.embedTitle);
      errors.maxLength([...p, "description"], embed.description, DISCORD_LIMITS.embedDescription);
      total += strLen(embed.title) + strLen(embed.description);
      if (isObject(embed.footer)) {
        errors.maxLength([...p, "footer", "text"], embed.footer.text, DISCORD_LIMITS.footerText);
        total += strLen(embed.footer.text);
      }
      if (isObject(embed.author)) {
        errors.maxLength([...p, "author", "name"], embed.author.name, DISCORD_LIMITS.authorName);
        total += strLen(embed.author.name);
      }
      if (Array.isArray(embed.fields)) {
        errors.maxItems([...p, "fields"], embed.fields, DISCORD_LIMITS.embedFields);
        embed.fields.forEach((field, j) => {
          if (!isObject(field)) return;
          errors.range([...p, "fields", j, "name"], field.name, 1, DISCORD_LIMITS.fieldName);
          errors.range([...p, "fields", j, "value"], field.value, 1, DISCORD_LIMITS.fieldValue);
          total += strLen(field.name) + strLen(field.value);
        });
      }
    });
    if (total > DISCORD_LIMITS.embedTotal) {
      errors.add(
        [...prefix, "embeds"],
        "MAX_EMBED_SIZE_EXCEEDED",
        `Embed size exceeds maximum size of ${DISCORD_LIMITS.embedTotal}`,
      );
    }
  }
  if (Array.isArray(body.components) && !(Number(body.flags ?? 0) & (1 << 15))) {
    errors.maxItems([...prefix, "components"], body.components, DISCORD_LIMITS.actionRows);
  }
}

function isEmptyMessage(body: JsonObject, files: FakeDiscordFile[]): boolean {
  const nonEmptyArray = (v: unknown) => Array.isArray(v) && v.length > 0;
  return (
    (typeof body.content !== "string" || body.content === "") &&
    !nonEmptyArray(body.embeds) &&
    !nonEmptyArray(body.components) &&
    !nonEmptyArray(body.attachments) &&
    !nonEmptyArray(body.sticker_ids) &&
    body.poll === undefined &&
    files.length === 0
  );
}

function validateModal(data: JsonObject, errors: FormErrors): void {
  errors.range(["data", "title"], data.title, 1, DISCORD_LIMITS.modalTitle);
  errors.range(["data", "custom_id"], data.custom_id, 1, DISCORD_LIMITS.customId);
  const rows = data.components;
  if (!Array.isArray(rows) || rows.length < 1 || rows.length > DISCORD_LIMITS.modalComponents) {
    errors.add(
      ["data", "components"],
      "BASE_TYPE_BAD_LENGTH",
      `Must be between 1 and ${DISCORD_LIMITS.modalComponents} in length.`,
    );
    return;
  }
  rows.forEach((row, i) => {
    if (!isObject(row)) return;
    const inputs: [JsonObject, (string | number)[]][] = [];
    if (Array.isArray(row.components)) {
      row.components.forEach((c, j) => {
        if (isObject(c)) inputs.push([c, ["data", "components", i, "components", j]]);
      });
    }
    if (isObject(row.component)) inputs.push([row.component, ["data", "components", i, "component"]]);
    if (typeof row.label === "string") {
      errors.range(["data", "components", i, "label"], row.label, 1, DISCORD_LIMITS.textInputLabel);
    }
    for (const [input, p] of inputs) {
      if (input.type !== 4) continue;
      errors.range([...p, "custom_id"], input.custom_id, 1, DISCORD_LIMITS.customId);
      if ("label" in input) errors.range([...p, "label"], input.label, 1, DISCORD_LIMITS.textInputLabel);
      errors.maxLength([...p, "placeholder"], input.placeholder, DISCORD_LIMITS.textInputPlaceholder);
      errors.maxLength([...p, "value"], input.value, 4000);
    }
  });
}

function validateChoices(data: JsonObject, errors: FormErrors): void {
  const choices = data.choices;
  if (!Array.isArray(choices)) {
    errors.add(["data", "choices"], "BASE_TYPE_REQUIRED", "This field is required");
    return;
  }
  errors.maxItems(["data", "choices"], choices, DISCORD_LIMITS.autocompleteChoices);
  choices.forEach((c, i) => {
    if (!isObject(c)) return;
    errors.range(["data", "choices", i, "name"], c.name, 1, DISCORD_LIMITS.choiceName);
    if (typeof c.value === "string")
      errors.maxLength(["data", "choices", i, "value"], c.value, DISCORD_LIMITS.choiceValue);
  });
}

const NAME_RE = /^[-_\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

function validateCommandOptions(options: unknown, path: (string | number)[], errors: FormErrors): void {
  if (options === undefined) return;
  if (!Array.isArray(options)) {
    errors.add(path, "BASE_TYPE_ARRAY", "Must be an array.");
    return;
  }
  errors.maxItems(path, options, DISCORD_LIMITS.commandOptions);
  const seen = new Set<string>();
  let sawOptional = false;
  options.forEach((o, i) => {
    if (!isObject(o)) return;
    const p = [...path, i];
    if (typeof o.name !== "string" || !NAME_RE.test(o.name) || o.name !== o.name.toLowerCase()) {
      errors.add([...p, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
    } else if (seen.has(o.name)) {
      errors.add(
        [...p, "name"],
        "APPLICATION_COMMAND_OPTION_NAME_ALREADY_EXISTS",
        "Option name already exists",
      );
    } else seen.add(o.name);
    errors.range([...p, "description"], o.description, 1, DISCORD_LIMITS.commandDescription);
    if (Array.isArray(o.choices)) {
      errors.maxItems([...p, "choices"], o.choices, 25);
      if (o.autocomplete === true) {
        errors.add([...p, "autocomplete"], "AUTOCOMPLETE_CHOICES", "Autocomplete cannot be set with choices");
      }
    }
    const isSub = o.type === 1 || o.type === 2;
    if (isSub) validateCommandOptions(o.options, [...p, "options"], errors);
    else if (o.required === true && sawOptional) {
      errors.add(
        [...p, "required"],
        "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID",
        "Required options must be placed before non-required options",
      );
    } else if (o.required !== true) sawOptional = true;
  });
}

function validateCommand(cmd: unknown, index: number, errors: FormErrors): void {
  if (!isObject(cmd)) {
    errors.add([index], "DICT_TYPE_CONVERT", "Only dictionaries may be used in a DictType");
    return;
  }
  const type = cmd.type ?? 1;
  if (
    typeof cmd.name !== "string" ||
    (type === 1 && (!NAME_RE.test(cmd.name) || cmd.name !== cmd.name.toLowerCase()))
  ) {
    errors.add([index, "name"], "APPLICATION_COMMAND_INVALID_NAME", "Command name is invalid");
  }
  if (type === 1) {
    errors.range([index, "description"], cmd.description, 1, DISCORD_LIMITS.commandDescription);
    validateCommandOptions(cmd.options, [index, "options"], errors);
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

async function parseBody(
  raw: Buffer,
  contentType: string,
): Promise<{ body: unknown; files: FakeDiscordFile[] }> {
  const files: FakeDiscordFile[] = [];
  if (raw.length === 0) return { body: null, files };
  const type = contentType.split(";")[0]?.trim().toLowerCase() ?? "";
  if (type === "multipart/form-data") {
    // undici parses multipart for us.
    const form = await new Response(new Uint8Array(raw), {
      headers: { "content-type": contentType },
    }).formData();
    let body: unknown = null;
    for (const [field, value] of form.entries()) {
      if (typeof value === "string") {
        if (field === "payload_json") body = JSON.parse(value);
      } else {
        files.push({ field, filename: value.name, contentType: value.type, size: value.size });
      }
    }
    return { body, files };
  }
  const text = raw.toString("utf8");
  try {
    return { body: JSON.parse(text), files };
  } catch {
    return { body: text, files };
  }
}

// ---------------------------------------------------------------------------------------------------------
// Builders: payloads for dispatchInteraction

function inferType(value: string | number | boolean): number {
  if (typeof value === "boolean") return 5;
  if (typeof value === "number") return Number.isInteger(value) ? 4 : 10;
  return 3;
}

function normalizeOptions(options: ChatInputOptions | undefined): ChatInputOption[] {
  if (!options) return [];
  if (Array.isArray(options)) return options;
  return Object.entries(options).map(([name, value]) => ({ name, value }));
}

function commandData(
  subcommand: string,
  options: ChatInputOption[],
  extra: JsonObject | undefined,
  commandName: string,
): JsonObject {
  const resolvedUsers: JsonObject = {};
  const resolvedMembers: JsonObject = {};
  const raw = options.map((o) => {
    const type = o.type ?? inferType(o.value);
    if (type === 6 && typeof o.value === "string") {
      resolvedUsers[o.value] = synthUser({ id: o.value, ...o.user });
      resolvedMembers[o.value] = memberOf(undefined);
    }
    return { name: o.name, type, value: o.value };
  });
  const data: JsonObject = {
    name: commandName,
    type: 1,
    options: [{ name: subcommand, type: 1, options: extra ? [...raw, extra] : raw }],
  };
  if (Object.keys(resolvedUsers).length > 0)
    data.resolved = { users: resolvedUsers, members: resolvedMembers };
  return data;
}

/** A `/kr <subcommand>` chat-input command (type 2) with one subcommand option. */
export function chatInput(
  subcommand: string,
  options?: ChatInputOptions,
  opts: { user?: UserInput; commandName?: string } = {},
): InteractionInput {
  return {
    type: InteractionType.ApplicationCommand,
    data: commandData(subcommand, normalizeOptions(options), undefined, opts.commandName ?? "kr"),
    ...(opts.user ? { user: opts.user } : {}),
  };
}

/** An autocomplete request (type 4) for `/kr <subcommand>` with `focusedOptionName` being typed. */
export function autocomplete(
  subcommand: string,
  focusedOptionName: string,
  partialValue: string,
  otherOptions?: ChatInputOptions,
  opts: { user?: UserInput; commandName?: string; focusedType?: number } = {},
): InteractionInput {
  const focused = {
    name: focusedOptionName,
    type: opts.focusedType ?? 3,
    value: partialValue,
    focused: true,
  };
  return {
    type: InteractionType.Autocomplete,
    data: commandData(subcommand, normalizeOptions(otherOptions), focused, opts.commandName ?? "kr"),
    ...(opts.user ? { user: opts.user } : {}),
  };
}

/** A button press (type 3, component_type 2). The message defaults to one by the bot holding the button. */
export function button(
  customId: string,
  opts: { message?: JsonObject; user?: UserInput } = {},
): InteractionInput {
  const row = {
    type: 1,
    components: [{ type: 2, style: 1, label: customId.slice(0, 80), custom_id: customId }],
  };
  return {
    type: InteractionType.Component,
    data: { custom_id: customId, component_type: 2 },
    message: { content: "", components: [row], ...opts.message },
    ...(opts.user ? { user: opts.user } : {}),
  };
}

/** A string-select choice (type 3, component_type 3) with the chosen `values`. */
export function stringSelect(
  customId: string,
  values: string[],
  opts: { message?: JsonObject; user?: UserInput } = {},
): InteractionInput {
  const menu = {
    type: 3,
    custom_id: customId,
    options: values.map((v) => ({ label: v, value: v })),
    min_values: 0,
    max_values: Math.max(1, values.length),
  };
  return {
    type: InteractionType.Component,
    data: { custom_id: customId, component_type: 3, values },
    message: { content: "", components: [{ type: 1, components: [menu] }], ...opts.message },
    ...(opts.user ? { user: opts.user } : {}),
  };
}

/** A modal submission (type 5): one action row per field, each a text input `{ type: 4, custom_id, value }`. */
export function modalSubmit(
  customId: string,
  fields: Record<string, string>,
  opts: { user?: UserInput; message?: JsonObject } = {},
): InteractionInput {
  return {
    type: InteractionType.ModalSubmit,
    data: {
      custom_id: customId,
      components: Object.entries(fields).map(([id, value]) => ({
        type: 1,
        components: [{ type: 4, custom_id: id, value }],
      })),
    },
    ...(opts.message ? { message: opts.message } : {}),
    ...(opts.user ? { user: opts.user } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The fake

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

interface InteractionState {
  id: string;
  token: string;
  type: number;
  dispatchedAt: number;
  acknowledged: boolean;
  channelId: string;
  guildId: string | null;
  user: FakeDiscordUser;
  /** The component's message (type 3), which `@original` edits after deferUpdate/update. */
  message: FakeDiscordMessage | undefined;
  original: FakeDiscordMessage | undefined;
  followUps: Map<string, FakeDiscordMessage>;
}

interface Waiter {
  check(): boolean;
  fail(err: Error): void;
}

interface Route {
  method: string;
  re: RegExp;
  handle(ctx: RouteContext): Answer | Promise<Answer>;
}

interface RouteContext {
  call: FakeDiscordCall;
  params: Record<string, string>;
  body: JsonObject;
}

const apiError = (status: number, code: number, message: string, extra?: JsonObject): Answer => ({
  status,
  body: { message, code, ...extra },
});
const notFound = (): Answer => apiError(404, 0, "404: Not Found");
const invalidForm = (errors: FormErrors): Answer =>
  apiError(400, 50035, "Invalid Form Body", { errors: errors.tree });
const ok = (body: unknown): Answer => ({ status: 200, body });

function route(method: string, pattern: string, handle: Route["handle"]): Route {
  const source = pattern
    .split("/")
    .map((seg) =>
      seg.startsWith(":") ? `(?<${seg.slice(1)}>[^/]+)` : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return { method, re: new RegExp(`^${source}$`), handle };
}

/** Starts the fake on 127.0.0.1 (port 0). */
export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const applicationId = opts.applicationId ?? "500000000000000005";
  const botUser: FakeDiscordUser = {
    ...makeUser(
      { id: opts.botUser?.id ?? applicationId, username: opts.botUser?.username ?? "krbot", bot: true },
      "krbot",
    ),
    verified: true,
    mfa_enabled: false,
  };
  const defaultUser = makeUser(opts.defaultUser ?? { id: "300000000000000003", username: "alice" }, "alice");
  const guildIds = opts.guildIds ?? ["100000000000000001"];
  const guilds: FakeGuild[] = guildIds.map((id, i) => ({
    id,
    name: i === 0 ? "Fake Guild" : `Fake Guild ${i + 1}`,
    textChannelId: String(200000000000000002n + BigInt(i)),
  }));
  const firstGuild = guilds[0];
  if (!firstGuild) throw new Error("startFakeDiscord: guildIds must not be empty");
  const heartbeatInterval = opts.heartbeatIntervalMs ?? 45_000;
  const deadlineMs = opts.interactionDeadlineMs ?? 3000;
  const locale = opts.locale ?? "en-US";

  const calls: FakeDiscordCall[] = [];
  const callbacks: FakeInteractionCallback[] = [];
  const messages: FakeDiscordMessage[] = [];
  const gatewayReceived: GatewayPayload[] = [];
  const gatewayConnections: GatewayConnectionInfo[] = [];
  const failures: { method: string; match: (p: string) => boolean; failure: FakeDiscordFailure }[] = [];
  const blockedDms = new Set<string>();
  const deniedChannels = new Set<string>();
  const globalCommands: RegisteredCommand[] = [];
  const guildCommands = new Map<string, RegisteredCommand[]>();
  const commandIds = new Map<string, string>();
  const interactions = new Map<string, InteractionState>();
  const byToken = new Map<string, InteractionState>();
  const users = new Map<string, FakeDiscordUser>([
    [botUser.id, botUser],
    [defaultUser.id, defaultUser],
  ]);
  const waiters = new Set<Waiter>();
  let identify: GatewayIdentify | undefined;
  let heartbeatCount = 0;
  let readyCount = 0;
  let sequence = 0;
  let sessionId = "";
  let active: WebSocket | undefined;
  let closed = false;

  const notify = () => {
    for (const w of [...waiters]) if (w.check()) waiters.delete(w);
  };

  function waitFor<T>(get: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (closed) {
        reject(new Error("fake Discord is closed"));
        return;
      }
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${describe()}`));
      }, timeoutMs);
      const waiter: Waiter = {
        check() {
          const value = get();
          if (value === undefined) return false;
          clearTimeout(timer);
          resolve(value);
          return true;
        },
        fail(err) {
          clearTimeout(timer);
          reject(err);
        },
      };
      if (!waiter.check()) waiters.add(waiter);
    });
  }

  const userFor = (input: UserInput | undefined): FakeDiscordUser => {
    if (!input) return defaultUser;
    const known = users.get(input.id);
    const user =
      known && input.username === undefined && input.globalName === undefined ? known : synthUser(input);
    users.set(user.id, user);
    return user;
  };

  const guildOfChannel = (channelId: string): FakeGuild | undefined =>
    guilds.find((g) => g.textChannelId === channelId);

  function createMessage(
    channelId: string,
    body: JsonObject,
    files: FakeDiscordFile[],
    extra: JsonObject = {},
  ) {
    const guild = guildOfChannel(channelId);
    const id = snowflake();
    const attachments = files.map((f, i) => ({
      id: snowflake(),
      filename: f.filename,
      size: f.size,
      content_type: f.contentType,
      url: `https://cdn.discordapp.com/attachments/${channelId}/${id}/${f.filename}`,
      proxy_url: `https://media.discordapp.net/attachments/${channelId}/${id}/${f.filename}`,
      ...(Array.isArray(body.attachments) && isObject(body.attachments[i]) ? body.attachments[i] : {}),
    }));
    const message: FakeDiscordMessage = {
      id,
      type: 0,
      channel_id: channelId,
      ...(guild ? { guild_id: guild.id } : {}),
      author: botUser,
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
    messages.push(message);
    return message;
  }

  function editMessage(message: FakeDiscordMessage, body: JsonObject): FakeDiscordMessage {
    if (typeof body.content === "string" || body.content === null) message.content = body.content ?? "";
    if (Array.isArray(body.embeds)) message.embeds = body.embeds;
    if (Array.isArray(body.components)) message.components = body.components;
    if (typeof body.flags === "number") message.flags = body.flags;
    message.flags &= ~MessageFlag.Loading;
    message.edited_timestamp = new Date().toISOString();
    return message;
  }

  const requireInteractionWebhook = (params: Record<string, string>): InteractionState | Answer => {
    const state = params.token ? byToken.get(params.token) : undefined;
    if (!state || params.app !== applicationId || !state.acknowledged) {
      return apiError(404, 10015, "Unknown Webhook");
    }
    return state;
  };
  const isAnswer = (v: InteractionState | Answer): v is Answer => "status" in v;

  // ----- REST routes
  const routes: Route[] = [
    route("GET", "/gateway", () => ok({ url: `ws://127.0.0.1:${port}${GATEWAY_PATH}` })),
    route("GET", "/gateway/bot", () =>
      ok({
        url: `ws://127.0.0.1:${port}${GATEWAY_PATH}`,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      }),
    ),
    route("GET", "/users/@me", () => ok(botUser)),
    route("GET", "/users/:user", ({ params }) => ok(userFor({ id: params.user ?? "" }))),
    route("GET", "/applications/@me", () =>
      ok({
        id: applicationId,
        name: botUser.username,
        icon: null,
        description: "",
        summary: "",
        bot_public: true,
        bot_require_code_grant: false,
        verify_key: "0".repeat(64),
        flags: 0,
        team: null,
        owner: defaultUser,
        bot: botUser,
        approximate_guild_count: guilds.length,
      }),
    ),
    ...commandRoutes("/applications/:app/commands", () => globalCommands, undefined),
    ...commandRoutes(
      "/applications/:app/guilds/:guild/commands",
      (params) => {
        const id = params.guild ?? "";
        let list = guildCommands.get(id);
        if (!list) {
          list = [];
          guildCommands.set(id, list);
        }
        return list;
      },
      (params) => params.guild,
    ),
    route("POST", "/interactions/:id/:token/callback", ({ params, body, call }) =>
      interactionCallback(params.id ?? "", params.token ?? "", body, call),
    ),
    route("GET", "/webhooks/:app/:token/messages/:message", ({ params }) => {
      const state = requireInteractionWebhook(params);
      if (isAnswer(state)) return state;
      const message =
        params.message === "@original" ? state.original : state.followUps.get(params.message ?? "");
      return message ? ok(message) : apiError(404, 10008, "Unknown Message");
    }),
    route("PATCH", "/webhooks/:app/:token/messages/:message", ({ params, body }) => {
      const state = requireInteractionWebhook(params);
      if (isAnswer(state)) return state;
      const message =
        params.message === "@original" ? state.original : state.followUps.get(params.message ?? "");
      if (!message) return apiError(404, 10008, "Unknown Message");
      const errors = new FormErrors();
      validateMessage(body, [], errors);
      if (errors.count > 0) return invalidForm(errors);
      return ok(editMessage(message, body));
    }),
    route("DELETE", "/webhooks/:app/:token/messages/:message", ({ params }) => {
      const state = requireInteractionWebhook(params);
      if (isAnswer(state)) return state;
      if (params.message === "@original") {
        if (!state.original) return apiError(404, 10008, "Unknown Message");
        state.original = undefined;
      } else if (!state.followUps.delete(params.message ?? ""))
        return apiError(404, 10008, "Unknown Message");
      return { status: 204, body: null };
    }),
    route("POST", "/webhooks/:app/:token", ({ params, body, call }) => {
      const state = requireInteractionWebhook(params);
      if (isAnswer(state)) return state;
      if (isEmptyMessage(body, call.files)) return apiError(400, 50006, "Cannot send an empty message");
      const errors = new FormErrors();
      validateMessage(body, [], errors);
      if (errors.count > 0) return invalidForm(errors);
      const message = createMessage(state.channelId, body, call.files, {
        webhook_id: applicationId,
        application_id: applicationId,
      });
      state.followUps.set(message.id, message);
      return call.query.wait === "false" ? { status: 204, body: null } : ok(message);
    }),
    route("POST", "/users/@me/channels", ({ body }) => {
      const recipient = typeof body.recipient_id === "string" ? body.recipient_id : undefined;
      if (!recipient) {
        const errors = new FormErrors();
        errors.add(["recipient_id"], "BASE_TYPE_REQUIRED", "This field is required");
        return invalidForm(errors);
      }
      return ok(dmChannel(`dm-${recipient}`, userFor({ id: recipient })));
    }),
    route("GET", "/channels/:channel", ({ params }) => {
      const id = params.channel ?? "";
      if (id.startsWith("dm-")) return ok(dmChannel(id, userFor({ id: id.slice(3) })));
      return ok(textChannel(id, (guildOfChannel(id) ?? firstGuild).id));
    }),
    route("POST", "/channels/:channel/messages", ({ params, body, call }) => {
      const id = params.channel ?? "";
      if (id.startsWith("dm-") && blockedDms.has(id.slice(3))) {
        return apiError(403, 50007, "Cannot send messages to this user");
      }
      if (deniedChannels.has(id)) return apiError(403, 50013, "Missing Permissions");
      if (isEmptyMessage(body, call.files)) return apiError(400, 50006, "Cannot send an empty message");
      const errors = new FormErrors();
      validateMessage(body, [], errors);
      if (errors.count > 0) return invalidForm(errors);
      return ok(createMessage(id, body, call.files));
    }),
    route("GET", "/guilds/:guild", ({ params }) => {
      const guild = guilds.find((g) => g.id === params.guild);
      return guild ? ok(guildObject(guild)) : apiError(404, 10004, "Unknown Guild");
    }),
    route("GET", "/guilds/:guild/members/:user", ({ params }) => {
      if (!guilds.some((g) => g.id === params.guild)) return apiError(404, 10004, "Unknown Guild");
      return ok(memberOf(userFor({ id: params.user ?? "" })));
    }),
  ];

  function commandRoutes(
    base: string,
    list: (params: Record<string, string>) => RegisteredCommand[],
    guildOf: ((params: Record<string, string>) => string | undefined) | undefined,
  ): Route[] {
    const store = (cmd: JsonObject, params: Record<string, string>): RegisteredCommand => {
      const guildId = guildOf?.(params);
      const type = typeof cmd.type === "number" ? cmd.type : 1;
      const key = `${guildId ?? "global"}:${type}:${String(cmd.name)}`;
      let id = commandIds.get(key);
      if (!id) {
        id = snowflake();
        commandIds.set(key, id);
      }
      return {
        default_member_permissions: null,
        nsfw: false,
        integration_types: [0],
        ...cmd,
        id,
        application_id: applicationId,
        ...(guildId ? { guild_id: guildId } : {}),
        name: String(cmd.name),
        type,
        version: snowflake(),
      };
    };
    const wrongApp = (params: Record<string, string>) => params.app !== applicationId;
    return [
      route("GET", base, ({ params }) => (wrongApp(params) ? notFound() : ok(list(params)))),
      route("PUT", base, ({ params, call }) => {
        if (wrongApp(params)) return notFound();
        const body = call.body;
        if (!Array.isArray(body)) return apiError(400, 50109, "The request body contains invalid JSON.");
        const errors = new FormErrors();
        body.forEach((cmd, i) => {
          validateCommand(cmd, i, errors);
        });
        if (errors.count > 0) return invalidForm(errors);
        const stored = body.map((cmd) => store(cmd as JsonObject, params));
        const target = list(params);
        target.splice(0, target.length, ...stored);
        return ok(stored);
      }),
      route("POST", base, ({ params, body }) => {
        if (wrongApp(params)) return notFound();
        const errors = new FormErrors();
        validateCommand(body, 0, errors);
        if (errors.count > 0) return invalidForm(errors);
        const cmd = store(body, params);
        const target = list(params);
        const at = target.findIndex((c) => c.id === cmd.id);
        if (at >= 0) target[at] = cmd;
        else target.push(cmd);
        return { status: at >= 0 ? 200 : 201, body: cmd };
      }),
    ];
  }

  function interactionCallback(id: string, token: string, body: JsonObject, call: FakeDiscordCall): Answer {
    const state = interactions.get(id);
    if (!state || state.token !== token) return apiError(404, 10062, "Unknown interaction");
    if (state.acknowledged) return apiError(400, 40060, "Interaction has already been acknowledged.");
    if (deadlineMs > 0 && Date.now() - state.dispatchedAt > deadlineMs) {
      return apiError(404, 10062, "Unknown interaction");
    }
    const type = body.type;
    if (typeof type !== "number" || !CALLBACK_TYPES.has(type)) {
      const errors = new FormErrors();
      errors.add(["type"], "BASE_TYPE_CHOICES", `Value must be one of {${[...CALLBACK_TYPES].join(", ")}}.`);
      return invalidForm(errors);
    }
    const data = isObject(body.data) ? body.data : undefined;
    const isComponentish =
      state.type === InteractionType.Component || state.type === InteractionType.ModalSubmit;
    const errors = new FormErrors();
    if (type === Callback.Autocomplete) {
      if (state.type !== InteractionType.Autocomplete)
        return apiError(400, 50035, "Invalid interaction application command");
      validateChoices(data ?? {}, errors);
    } else if (state.type === InteractionType.Autocomplete) {
      return apiError(400, 50035, "Invalid interaction response type for an autocomplete interaction");
    } else if (
      (type === Callback.DeferredUpdate || type === Callback.Update) &&
      !(isComponentish && state.message)
    ) {
      return apiError(400, 40004, "Interaction response type is not valid for this interaction");
    } else if (type === Callback.Modal) {
      if (state.type === InteractionType.ModalSubmit)
        return apiError(400, 50035, "Cannot respond to a modal with a modal");
      validateModal(data ?? {}, errors);
    } else if (type === Callback.Message) {
      if (isEmptyMessage(data ?? {}, call.files)) return apiError(400, 50006, "Cannot send an empty message");
      validateMessage(data ?? {}, ["data"], errors);
    } else if (type === Callback.Update) {
      validateMessage(data ?? {}, ["data"], errors);
    }
    if (errors.count > 0) return invalidForm(errors);

    state.acknowledged = true;
    if (type === Callback.Message) {
      state.original = createMessage(state.channelId, data ?? {}, call.files, {
        webhook_id: applicationId,
        application_id: applicationId,
        interaction_metadata: { id, type: state.type, user: state.user },
      });
    } else if (type === Callback.DeferredMessage) {
      state.original = createMessage(
        state.channelId,
        { content: "", flags: (Number(data?.flags ?? 0) & MessageFlag.Ephemeral) | MessageFlag.Loading },
        [],
        { webhook_id: applicationId, application_id: applicationId },
      );
      state.original.flags |= MessageFlag.Loading;
    } else if (type === Callback.DeferredUpdate || type === Callback.Update) {
      state.original = state.message;
      if (type === Callback.Update && state.original) editMessage(state.original, data ?? {});
    }
    callbacks.push({ interactionId: id, token, type, data, call });

    if (call.query.with_response !== "true") return { status: 204, body: null };
    const message = state.original;
    return ok({
      interaction: {
        id,
        type: state.type,
        activity_instance_id: null,
        response_message_id: message?.id ?? null,
        response_message_loading: message ? (message.flags & MessageFlag.Loading) !== 0 : null,
        response_message_ephemeral: message ? (message.flags & MessageFlag.Ephemeral) !== 0 : null,
      },
      resource: { type, ...(message && type !== Callback.Autocomplete ? { message } : {}) },
    });
  }

  function rateLimitAnswer(failure: { retryAfter: number; global?: boolean }, bucket: string): Answer {
    const retryAfter = failure.retryAfter;
    // Discord rounds the Retry-After header up to whole seconds; the fake sends the exact value so tests
    // can use sub-second waits (discord.js reads the header; the body carries the same value).
    const headers: Record<string, string> = {
      "retry-after": String(retryAfter),
      "x-ratelimit-scope": failure.global ? "global" : "user",
    };
    if (failure.global) headers["x-ratelimit-global"] = "true";
    else {
      headers["x-ratelimit-limit"] = "5";
      headers["x-ratelimit-remaining"] = "0";
      headers["x-ratelimit-reset"] = ((Date.now() + retryAfter * 1000) / 1000).toFixed(3);
      headers["x-ratelimit-reset-after"] = String(retryAfter);
      headers["x-ratelimit-bucket"] = bucket;
    }
    return {
      status: 429,
      body: {
        message: "You are being rate limited.",
        retry_after: retryAfter,
        global: failure.global === true,
      },
      headers,
    };
  }

  async function answerRest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const raw = await readBody(req);
    const method = (req.method ?? "GET").toUpperCase();
    const rawPath = url.pathname.startsWith(API_PREFIX)
      ? url.pathname.slice(API_PREFIX.length)
      : url.pathname;
    let path: string;
    try {
      path = decodeURIComponent(rawPath);
    } catch {
      path = rawPath;
    }
    let parsed: { body: unknown; files: FakeDiscordFile[] };
    let parseError = false;
    try {
      parsed = await parseBody(raw, req.headers["content-type"] ?? "");
    } catch {
      parsed = { body: raw.toString("utf8"), files: [] };
      parseError = true;
    }
    const call: FakeDiscordCall = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: parsed.body,
      files: parsed.files,
      headers: req.headers,
      auth: req.headers.authorization,
      at: Date.now(),
      response: { status: 0, body: null },
    };
    calls.push(call);

    let answer: Answer;
    const failureAt = failures.findIndex((f) => methodMatches(f.method, method) && f.match(path));
    const failure = failureAt >= 0 ? failures.splice(failureAt, 1)[0]?.failure : undefined;
    const needsAuth = !path.startsWith("/interactions/") && !path.startsWith("/webhooks/");
    const auth = call.auth;
    if (!url.pathname.startsWith(`${API_PREFIX}/`)) answer = notFound();
    else if (failure) {
      if (failure.status === 429 && "retryAfter" in failure) {
        answer = rateLimitAnswer(failure, `fake-bucket-${method}-${path.replace(/\d{17,20}/g, ":id")}`);
      } else if ("code" in failure) answer = apiError(failure.status, failure.code, failure.message);
      else answer = apiError(failure.status, 0, `${failure.status}: Server Error`);
    } else if (
      needsAuth &&
      (!auth?.startsWith("Bot ") || (opts.token !== undefined && auth !== `Bot ${opts.token}`))
    ) {
      answer = apiError(401, 0, "401: Unauthorized");
    } else if (parseError) answer = apiError(400, 50109, "The request body contains invalid JSON.");
    else {
      const matching = routes.flatMap((r) => {
        const m = r.re.exec(path);
        return m ? [{ r, params: { ...m.groups } }] : [];
      });
      const hit = matching.find(({ r }) => r.method === method);
      if (hit) {
        const body = isObject(call.body) ? call.body : {};
        answer = await hit.r.handle({ call, params: hit.params, body });
      } else answer = matching.length > 0 ? apiError(405, 0, "405: Method Not Allowed") : notFound();
    }

    call.response = { status: answer.status, body: answer.body };
    const headers: Record<string, string> = { ...answer.headers };
    let payload: string | undefined;
    if (answer.status !== 204 && answer.body !== null && answer.body !== undefined) {
      payload = JSON.stringify(answer.body);
      headers["content-type"] = "application/json";
    }
    res.writeHead(answer.status, headers);
    res.end(payload);
    notify();
  }

  // ----- Gateway
  function guildObject(g: FakeGuild): JsonObject {
    return {
      id: g.id,
      name: g.name,
      icon: null,
      icon_hash: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: defaultUser.id,
      afk_channel_id: null,
      afk_timeout: 300,
      widget_enabled: false,
      widget_channel_id: null,
      verification_level: 0,
      default_message_notifications: 0,
      explicit_content_filter: 0,
      mfa_level: 0,
      nsfw_level: 0,
      premium_tier: 0,
      premium_subscription_count: 0,
      premium_progress_bar_enabled: false,
      preferred_locale: locale,
      features: [],
      roles: [
        {
          id: g.id,
          name: "@everyone",
          color: 0,
          colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
          hoist: false,
          icon: null,
          unicode_emoji: null,
          position: 0,
          permissions: "1071698660929",
          managed: false,
          mentionable: false,
          flags: 0,
        },
      ],
      emojis: [],
      stickers: [],
      application_id: null,
      system_channel_id: g.textChannelId,
      system_channel_flags: 0,
      rules_channel_id: null,
      public_updates_channel_id: null,
      safety_alerts_channel_id: null,
      max_presences: null,
      max_members: 500_000,
      max_video_channel_users: 25,
      max_stage_video_channel_users: 50,
      vanity_url_code: null,
      incidents_data: null,
    };
  }

  function guildCreate(g: FakeGuild): JsonObject {
    return {
      ...guildObject(g),
      joined_at: JOINED_AT,
      large: false,
      unavailable: false,
      member_count: 2,
      voice_states: [],
      members: [],
      channels: [textChannel(g.textChannelId, g.id)],
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
      embedded_activities: [],
      lazy: true,
    };
  }

  const send = (ws: WebSocket, payload: GatewayPayload) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
  };
  const sendDispatch = (ws: WebSocket, t: string, d: unknown): number => {
    sequence += 1;
    send(ws, { op: Op.Dispatch, t, s: sequence, d });
    return sequence;
  };
  const tokenOk = (token: unknown) =>
    typeof token === "string" && token !== "" && (opts.token === undefined || token === opts.token);

  function onGatewayMessage(ws: WebSocket, data: RawData): void {
    let payload: GatewayPayload;
    try {
      payload = JSON.parse(data.toString()) as GatewayPayload;
    } catch {
      ws.close(4002, "Error while decoding payload.");
      return;
    }
    gatewayReceived.push(payload);
    switch (payload.op) {
      case Op.Heartbeat:
        heartbeatCount++;
        send(ws, { op: Op.HeartbeatAck, d: null });
        break;
      case Op.Identify: {
        const d = (isObject(payload.d) ? payload.d : {}) as GatewayIdentify;
        identify = d;
        if (!tokenOk(d.token)) {
          ws.close(4004, "Authentication failed.");
          break;
        }
        if (!opts.allowPrivilegedIntents && (Number(d.intents) & PRIVILEGED_INTENTS) !== 0) {
          ws.close(4014, "Disallowed intent(s).");
          break;
        }
        active = ws;
        sessionId = randomBytes(16).toString("hex");
        sequence = 0;
        sendDispatch(ws, "READY", {
          v: 10,
          user: botUser,
          user_settings: {},
          guilds: guilds.map((g) => ({ id: g.id, unavailable: true })),
          session_id: sessionId,
          session_type: "normal",
          resume_gateway_url: `ws://127.0.0.1:${port}${GATEWAY_PATH}`,
          application: { id: applicationId, flags: 0 },
          shard: [0, 1],
          private_channels: [],
          relationships: [],
          presences: [],
          guild_join_requests: [],
          geo_ordered_rtc_regions: [],
          auth: {},
        });
        for (const g of guilds) sendDispatch(ws, "GUILD_CREATE", guildCreate(g));
        readyCount++;
        notify();
        break;
      }
      case Op.Resume: {
        const d = isObject(payload.d) ? payload.d : {};
        if (!tokenOk(d.token)) {
          ws.close(4004, "Authentication failed.");
        } else if (d.session_id === sessionId && sessionId !== "") {
          active = ws;
          sendDispatch(ws, "RESUMED", {});
        } else {
          send(ws, { op: Op.InvalidSession, d: false });
        }
        notify();
        break;
      }
      default:
        // Presence updates, member requests, voice: recorded, not answered.
        break;
    }
  }

  // ----- Server
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    answerRest(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `fake Discord error: ${String(err)}`, code: 0 }));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== GATEWAY_PATH || closed) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      gatewayConnections.push({ query: Object.fromEntries(url.searchParams), at: Date.now() });
      ws.on("message", (data) => onGatewayMessage(ws, data));
      ws.on("close", () => {
        if (active === ws) active = undefined;
      });
      ws.on("error", () => {});
      send(ws, { op: Op.Hello, d: { heartbeat_interval: heartbeatInterval, _trace: ["fake-discord"] } });
      notify();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const baseUrl = `http://127.0.0.1:${port}`;

  function dispatchInteraction(input: InteractionInput): DispatchedInteraction {
    const ws = active;
    if (!ws || ws.readyState !== ws.OPEN) {
      throw new Error(
        "fake Discord: no ready gateway session — log the client in and await waitForReady() first",
      );
    }
    const { user: userInput, ...raw } = input;
    const user = userFor(userInput);
    const id = input.id ?? snowflake();
    const token = input.token ?? randomBytes(48).toString("base64url");
    const isDm = input.guild_id === null;
    const guild = isDm ? undefined : (guilds.find((g) => g.id === input.guild_id) ?? firstGuild);
    const channelId = input.channel_id ?? (guild ? guild.textChannelId : `dm-${user.id}`);
    const channel = guild
      ? { ...textChannel(channelId, guild.id), permissions: ALL_PERMISSIONS }
      : dmChannel(channelId, user);

    const data: JsonObject = { ...input.data };
    if (
      (input.type === InteractionType.ApplicationCommand || input.type === InteractionType.Autocomplete) &&
      !data.id
    ) {
      const name = String(data.name ?? "");
      const registered = [...(guild ? (guildCommands.get(guild.id) ?? []) : []), ...globalCommands].find(
        (c) => c.name === name && c.type === (data.type ?? 1),
      );
      data.id = registered?.id ?? snowflake();
      if (registered?.guild_id) data.guild_id = registered.guild_id;
    }

    let message: FakeDiscordMessage | undefined;
    if (input.message) {
      message = {
        id: snowflake(),
        type: 0,
        channel_id: channelId,
        ...(guild ? { guild_id: guild.id } : {}),
        author: botUser,
        content: "",
        timestamp: new Date().toISOString(),
        edited_timestamp: null,
        tts: false,
        mention_everyone: false,
        mentions: [],
        mention_roles: [],
        attachments: [],
        embeds: [],
        components: [],
        pinned: false,
        flags: 0,
        ...input.message,
      };
    }

    const payload: JsonObject = {
      id,
      application_id: applicationId,
      data,
      token,
      version: 1,
      channel,
      channel_id: channelId,
      locale,
      app_permissions: ALL_PERMISSIONS,
      entitlements: [],
      authorizing_integration_owners: isDm ? { "1": user.id } : { "0": guild?.id ?? "" },
      context: isDm ? 1 : 0,
      attachment_size_limit: 10_485_760,
      ...(guild ? { guild_id: guild.id, guild_locale: locale, member: memberOf(user) } : { user }),
      ...(message ? { message } : {}),
      ...raw,
    };
    if (message) payload.message = message;
    payload.type = input.type;
    payload.data = data;
    payload.id = id;
    payload.token = token;
    if (isDm) delete payload.guild_id;

    const state: InteractionState = {
      id,
      token,
      type: input.type,
      dispatchedAt: Date.now(),
      acknowledged: false,
      channelId,
      guildId: guild?.id ?? null,
      user,
      message,
      original: undefined,
      followUps: new Map(),
    };
    interactions.set(id, state);
    byToken.set(token, state);
    const seq = sendDispatch(ws, "INTERACTION_CREATE", payload);
    return { id, token, sequence: seq, payload };
  }

  const fake: FakeDiscord = {
    apiUrl: `${baseUrl}/api`,
    baseUrl,
    gatewayUrl: `ws://127.0.0.1:${port}${GATEWAY_PATH}`,
    port,
    applicationId,
    botUser,
    defaultUser,
    guilds,
    guildId: firstGuild.id,
    channelId: firstGuild.textChannelId,
    calls,
    callbacks,
    messages,
    get identify() {
      return identify;
    },
    gatewayReceived,
    gatewayConnections,
    get heartbeatCount() {
      return heartbeatCount;
    },
    callsTo(method, pathPattern) {
      const match = toMatcher(pathPattern);
      return calls.filter((c) => methodMatches(method, c.method) && match(c.path) && c.response.status !== 0);
    },
    waitForCall(method, pathPattern, { timeoutMs = 3000, count = 1 } = {}) {
      return waitFor(
        () => fake.callsTo(method, pathPattern)[count - 1],
        timeoutMs,
        () => `call #${count} to ${method} ${String(pathPattern)} (calls so far: ${describeCalls(calls)})`,
      );
    },
    failNext(method, pathPattern, failure) {
      failures.push({ method, match: toMatcher(pathPattern), failure });
    },
    blockDms(userId) {
      blockedDms.add(userId);
    },
    denyChannel(channelId) {
      deniedChannels.add(channelId);
    },
    registeredCommands(guildId) {
      return guildId === undefined ? [...globalCommands] : [...(guildCommands.get(guildId) ?? [])];
    },
    originalMessage(token) {
      return byToken.get(token)?.original;
    },
    waitForReady({ timeoutMs = 5000, count = 1 } = {}) {
      return waitFor(
        () => (readyCount >= count ? true : undefined),
        timeoutMs,
        () =>
          `READY #${count} (gateway connections: ${gatewayConnections.length}, identify: ${identify ? "received" : "none"}; REST calls: ${describeCalls(calls)})`,
      ).then(() => undefined);
    },
    dispatchInteraction,
    dispatch(event, data) {
      if (!active || active.readyState !== active.OPEN) {
        throw new Error("fake Discord: no ready gateway session — await waitForReady() first");
      }
      return sendDispatch(active, event, data);
    },
    waitForCallback(interactionId, { timeoutMs = 3000, count = 1 } = {}) {
      return waitFor(
        () => callbacks.filter((c) => c.interactionId === interactionId)[count - 1],
        timeoutMs,
        () =>
          `callback #${count} for interaction ${interactionId} (callback calls: ${describeCalls(
            calls.filter((c) => c.path.startsWith(`/interactions/${interactionId}/`)),
          )})`,
      );
    },
    requestReconnect() {
      if (!active) throw new Error("fake Discord: no gateway session to reconnect");
      send(active, { op: Op.Reconnect, d: null });
    },
    reset() {
      calls.length = 0;
      callbacks.length = 0;
      messages.length = 0;
      failures.length = 0;
      gatewayReceived.length = 0;
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const w of waiters) w.fail(new Error("fake Discord closed while waiting"));
      waiters.clear();
      for (const client of wss.clients) client.terminate();
      active = undefined;
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
