/** REST plumbing: answers in Discord's error shapes, `:param` route patterns and call matchers. */
import type { FormErrors } from "./limits.ts";
import type { FakeDiscordCall, JsonObject } from "./types.ts";

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface Route {
  method: string;
  re: RegExp;
  handle(ctx: RouteContext): Answer | Promise<Answer>;
}

export interface RouteContext {
  call: FakeDiscordCall;
  params: Record<string, string>;
  body: JsonObject;
}

export const apiError = (status: number, code: number, message: string, extra?: JsonObject): Answer => ({
  status,
  body: { message, code, ...extra },
});
export const notFound = (): Answer => apiError(404, 0, "404: Not Found");
export const invalidForm = (errors: FormErrors): Answer =>
  apiError(400, 50035, "Invalid Form Body", { errors: errors.tree });
export const ok = (body: unknown): Answer => ({ status: 200, body });

export function route(method: string, pattern: string, handle: Route["handle"]): Route {
  const source = pattern
    .split("/")
    .map((seg) =>
      seg.startsWith(":") ? `(?<${seg.slice(1)}>[^/]+)` : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("/");
  return { method, re: new RegExp(`^${source}$`), handle };
}

export function rateLimitAnswer(failure: { retryAfter: number; global?: boolean }, bucket: string): Answer {
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

/** `"/channels/:id/messages"` → a whole-path regex; a RegExp is used as is. */
export function toMatcher(pattern: string | RegExp): (path: string) => boolean {
  if (pattern instanceof RegExp) return (path) => pattern.test(path);
  const source = pattern
    .split("/")
    .map((seg) => (seg.startsWith(":") ? "[^/]+" : seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
    .join("/");
  const re = new RegExp(`^${source}$`);
  return (path) => re.test(path);
}

export function methodMatches(want: string, got: string): boolean {
  return want === "*" || want.toUpperCase() === got.toUpperCase();
}

export function describeCalls(calls: FakeDiscordCall[]): string {
  if (calls.length === 0) return "none";
  return calls.map((c) => `${c.method} ${c.path} → ${c.response.status}`).join("; ");
}
