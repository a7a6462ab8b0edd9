import { count } from "drizzle-orm";
import type { Db } from "../store/db.ts";
import { outbox } from "../store/schema.ts";

/**
 * The `krbot_outbox_depth` callback: outbox rows per status, from one read-only
 * `SELECT status, count(*) … GROUP BY status` through the store's Drizzle handle (the `outbox_due`
 * index covers it). Throws when the database is closed; the metric then reports no rows.
 */
export function outboxDepth(store: { readonly db: Db }): () => Promise<Record<string, number>> {
  const query = store.db
    .select({ status: outbox.status, n: count() })
    .from(outbox)
    .groupBy(outbox.status)
    .prepare();
  return async () => Object.fromEntries(query.all().map((r) => [r.status, r.n]));
}
