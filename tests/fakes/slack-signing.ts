/**
 * Build and sign requests the way Slack sends them to an app, for driving a real Bolt HTTPReceiver.
 *
 * Bolt verifies `x-slack-signature` = `v0=` + hex HMAC-SHA256(signingSecret, `v0:${ts}:${rawBody}`) over the
 * exact bytes received, rejects timestamps older than 5 minutes (future ones pass), and only parses a form
 * body when the content type is exactly `application/x-www-form-urlencoded` (with a charset it tries JSON
 * and answers 400).
 */
import { createHmac } from "node:crypto";

export interface SlackSignatureHeaders {
  "x-slack-signature": string;
  "x-slack-request-timestamp": string;
}

export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

/** The two headers Bolt verifies, for `rawBody` exactly as it will be sent. */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string,
  timestampSeconds: number = nowSeconds(),
): SlackSignatureHeaders {
  const ts = String(Math.floor(timestampSeconds));
  const hash = createHmac("sha256", signingSecret).update(`v0:${ts}:${rawBody}`).digest("hex");
  return { "x-slack-signature": `v0=${hash}`, "x-slack-request-timestamp": ts };
}

/** The fields of a slash command request, in the order Slack sends them. */
export interface SlashCommandFields {
  token: string;
  team_id: string;
  team_domain: string;
  enterprise_id?: string;
  enterprise_name?: string;
  channel_id: string;
  channel_name: string;
  user_id: string;
  user_name: string;
  command: string;
  text: string;
  api_app_id: string;
  is_enterprise_install: string;
  response_url: string;
  trigger_id: string;
}

export const SLASH_COMMAND_DEFAULTS: SlashCommandFields = {
  token: "fake-verification-token",
  team_id: "T0FAKE",
  team_domain: "fake-team",
  channel_id: "C0FAKE",
  channel_name: "general",
  user_id: "U0ALICE",
  user_name: "alice",
  command: "/kr",
  text: "",
  api_app_id: "A0FAKE",
  is_enterprise_install: "false",
  // Port 1 on loopback: refused at once. Tests that expect a `respond()` pass `fake.responseUrl(id)`.
  response_url: "http://127.0.0.1:1/response/unset",
  trigger_id: "1700000000.100000000.0123456789abcdef0123456789abcdef",
};

const SLASH_ORDER: (keyof SlashCommandFields)[] = [
  "token",
  "team_id",
  "team_domain",
  "enterprise_id",
  "enterprise_name",
  "channel_id",
  "channel_name",
  "user_id",
  "user_name",
  "command",
  "text",
  "api_app_id",
  "is_enterprise_install",
  "response_url",
  "trigger_id",
];

/** The exact form-encoded body Slack sends for `/kr <text>` (defaults from SLASH_COMMAND_DEFAULTS). */
export function slashCommandBody(fields: Partial<SlashCommandFields> = {}): string {
  const all: Partial<SlashCommandFields> = { ...SLASH_COMMAND_DEFAULTS, ...fields };
  const params = new URLSearchParams();
  for (const key of SLASH_ORDER) {
    const value = all[key];
    if (value !== undefined) params.append(key, value);
  }
  return params.toString();
}

/** The form body Slack sends for interactions (block actions, view submissions, shortcuts). */
export function interactionBody(payload: unknown): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface PostToBoltOptions {
  secret: string;
  /** Seconds; default now. Signed unless `signature` is given. */
  timestamp?: number;
  /** Send this `x-slack-signature` instead of a correct one. */
  signature?: string;
  /** Default exactly `application/x-www-form-urlencoded`. */
  contentType?: string;
  /** Extra headers, e.g. `x-slack-retry-num`. */
  headers?: Record<string, string>;
}

export interface BoltResponse {
  status: number;
  headers: Headers;
  text: string;
  json<T = unknown>(): T;
}

/** POST `rawBody` to a Bolt HTTP endpoint (e.g. `http://127.0.0.1:P/slack/events`), signed like Slack does. */
export async function postToBolt(
  url: string,
  rawBody: string,
  opts: PostToBoltOptions,
): Promise<BoltResponse> {
  const timestamp = opts.timestamp ?? nowSeconds();
  const signed = signSlackRequest(opts.secret, rawBody, timestamp);
  const res = await fetch(url, {
    method: "POST",
    headers: {
      ...opts.headers,
      "content-type": opts.contentType ?? FORM_CONTENT_TYPE,
      "x-slack-request-timestamp": signed["x-slack-request-timestamp"],
      "x-slack-signature": opts.signature ?? signed["x-slack-signature"],
    },
    body: rawBody,
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json<T = unknown>(): T {
      return JSON.parse(text) as T;
    },
  };
}
