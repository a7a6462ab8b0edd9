import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../core/logger.ts";
import type { Routes } from "./health.ts";

/** A running ops server. */
export interface OpsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A tiny HTTP server for `/healthz` and `/metrics` when no Slack HTTP server runs (Discord only, or
 * Slack in Socket Mode). Everything else is a 404. If the port is taken the bot keeps running
 * without the endpoints (logged), rather than failing over an operations convenience.
 */
export async function startOpsServer(opts: {
  routes: Routes;
  port: number;
  host?: string;
  log: Logger;
}): Promise<OpsServer | undefined> {
  const server: Server = createServer((req, res) => {
    if (opts.routes(req, res)) return;
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("not found\n");
  });
  try {
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port, opts.host ?? "0.0.0.0", () => {
        server.off("error", reject);
        resolve();
      });
    });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    opts.log.warn({ port: opts.port, code }, "ops: could not listen; /healthz and /metrics are off");
    return undefined;
  }
  const port = (server.address() as AddressInfo).port;
  opts.log.info({ port }, "ops: serving GET /healthz and /metrics");
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
}
