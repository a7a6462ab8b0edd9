import type { IncomingMessage, ServerResponse } from "node:http";
import type { Store } from "../store/store.ts";
import type { Metrics } from "./metrics.ts";

/** What `GET /healthz` reports: the process answers, and whether the database does. */
export interface Health {
  ok: boolean;
  checks: { database: "ok" | string };
}

/** Asks the store whether its database answers; never throws. */
export async function healthCheck(store: Pick<Store, "health">): Promise<Health> {
  try {
    await store.health.check();
    return { ok: true, checks: { database: "ok" } };
  } catch (err) {
    // A short reason for operators (e.g. "The database connection is not open"), never a stack.
    const reason = err instanceof Error ? err.message : String(err);
    return { ok: false, checks: { database: reason.slice(0, 200) } };
  }
}

/** A request handler that answers some paths and returns false for the rest. */
export type Routes = (req: IncomingMessage, res: ServerResponse) => boolean;

/**
 * `GET /healthz` (200 JSON when healthy, 503 when not) and `GET /metrics` (Prometheus text); HEAD
 * works too. Anything else returns false so the caller (Bolt, or a 404) handles it.
 */
export function opsRoutes(deps: { metrics: Metrics; health: () => Promise<Health> }): Routes {
  return (req, res) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    const path = (req.url ?? "").split("?")[0];
    if (path === "/healthz") {
      void respond(res, async () => {
        const health = await deps.health();
        return {
          status: health.ok ? 200 : 503,
          contentType: "application/json",
          body: JSON.stringify(health),
        };
      });
      return true;
    }
    if (path === "/metrics") {
      void respond(res, async () => ({ status: 200, ...(await deps.metrics.render()) }));
      return true;
    }
    return false;
  };
}

async function respond(
  res: ServerResponse,
  make: () => Promise<{ status: number; contentType: string; body: string }>,
): Promise<void> {
  let answer: { status: number; contentType: string; body: string };
  try {
    answer = await make();
  } catch {
    answer = { status: 500, contentType: "text/plain", body: "internal error\n" };
  }
  res.writeHead(answer.status, {
    "content-type": answer.contentType,
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(answer.body),
  });
  res.end(res.req.method === "HEAD" ? undefined : answer.body);
}
