import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from "node:http";
import { isValidSlackRequest } from "@slack/bolt";
import type { Logger } from "../../core/logger.ts";
import { MAX_BODY_BYTES, malformedReason } from "./payload-guard.ts";

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
  signingSecret: string,
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
    readBody(req)
      .then((raw) => {
        if (raw === undefined) {
          res.writeHead(413, { "content-type": "text/plain" });
          res.end("request body too large\n");
          return;
        }
        // Only a correctly signed body is checked for shape: anything else goes to Bolt, which
        // refuses it (401) without telling the sender more.
        const problem = isSigned(req, raw, signingSecret)
          ? malformedReason(req.headers["content-type"], raw)
          : undefined;
        if (problem) {
          log.warn({ path: pathOf(req), problem }, "Slack: refused a malformed request");
          res.writeHead(400, { "content-type": "text/plain" });
          res.end(`malformed request: ${problem}\n`);
          return;
        }
        // Bolt reads `rawBody` when present instead of the (now consumed) stream; it still
        // verifies the signature over exactly these bytes.
        Object.assign(req, { rawBody: raw });
        callBolt(req, res);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(400, { "content-type": "text/plain" });
        res.end("unreadable request\n");
      });
  });

  function callBolt(req: IncomingMessage, res: ServerResponse): void {
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
  }
}

/** The whole body, or undefined when it is larger than Bolt would accept. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        // Answer now and let the rest drain unread, so the client sees the 413, not a reset.
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Bolt's code for "no route here" (`ErrorCode.HTTPReceiverDeferredRequestError`). */
const DEFERRED_REQUEST = "slack_bolt_http_receiver_deferred_request_error";

/** The request path without its query string, for logs. */
function pathOf(req: IncomingMessage): string {
  return (req.url ?? "").split("?")[0] ?? "";
}

/** Whether the body carries a valid Slack v0 signature (Bolt's own check, run early). */
function isSigned(req: IncomingMessage, raw: Buffer, signingSecret: string): boolean {
  const header = (name: string) => {
    const v = req.headers[name];
    return Array.isArray(v) ? v[0] : v;
  };
  const signature = header("x-slack-signature");
  const timestamp = Number(header("x-slack-request-timestamp"));
  if (!signature || !Number.isFinite(timestamp)) return false;
  return isValidSlackRequest({
    signingSecret,
    body: raw.toString(),
    headers: { "x-slack-signature": signature, "x-slack-request-timestamp": timestamp },
  });
}
