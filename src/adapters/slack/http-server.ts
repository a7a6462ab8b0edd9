import { createServer, type IncomingMessage, type RequestListener, type Server } from "node:http";
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

/** The HTTP server in front of Bolt's receiver: the future-timestamp check, then Bolt. */
export function slackHttpServer(boltListener: RequestListener, log: Logger): Server {
  return createServer((req, res) => {
    if (isFutureDated(req)) {
      log.warn({ path: req.url }, "refused a Slack request dated in the future");
      res.writeHead(401, { "content-type": "text/plain" });
      res.end("request timestamp is in the future");
      return;
    }
    boltListener(req, res);
  });
}
