import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from "node:http";
import type { Logger } from "../../core/logger.ts";

/** Slack's replay window: requests signed further than this from now, either way, are refused. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/**
 * True when the request claims a timestamp more than five minutes in the future. Bolt rejects
 * stale timestamps itself but accepts future ones, which would let a captured request be replayed
 * later; we refuse them before Bolt sees the body.
 */
export function isFutureDated(req: IncomingMessage, nowSeconds = Date.now() / 1000): boolean {
  const raw = req.headers["x-slack-request-timestamp"];
  const ts = Number(Array.isArray(raw) ? raw[0] : raw);
  return Number.isFinite(ts) && ts > nowSeconds + MAX_CLOCK_SKEW_SECONDS;
}

/** Extra routes served on the same port (e.g. `/healthz`); true when the request was handled. */
export type ExtraRoutes = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * The HTTP server in front of Bolt's receiver: extra routes (if any) first, then, for everything
 * else, the future-timestamp check and Bolt.
 */
export function slackHttpServer(
  boltListener: RequestListener,
  log: Logger,
  extraRoutes?: ExtraRoutes,
): Server {
  return createServer((req, res) => {
    if (extraRoutes?.(req, res)) return;
    if (isFutureDated(req)) {
      log.warn({ path: pathOf(req) }, "refused a Slack request dated in the future");
      res.writeHead(401, { "content-type": "text/plain" });
      res.end("request timestamp is in the future");
      return;
    }
    try {
      boltListener(req, res);
    } catch (err) {
      // Bolt's listener throws for any path or method it does not serve (and for unparsable URLs);
      // Bolt's own server turns that into a 404, so must we, or one stray GET kills the process.
      const deferred = (err as { code?: string }).code === DEFERRED_REQUEST;
      // Only the message: Bolt's errors carry the request (headers, signature) as properties.
      if (!deferred)
        log.warn({ path: pathOf(req), error: String((err as Error).message) }, "Slack: request failed");
      if (!res.headersSent) res.writeHead(deferred ? 404 : 500, { "content-type": "text/plain" });
      res.end(deferred ? "not found\n" : "internal error\n");
    }
  });
}

/** Bolt's code for "no route here" (`ErrorCode.HTTPReceiverDeferredRequestError`). */
const DEFERRED_REQUEST = "slack_bolt_http_receiver_deferred_request_error";

/** The request path without its query string, for logs. */
function pathOf(req: IncomingMessage): string {
  return (req.url ?? "").split("?")[0] ?? "";
}
