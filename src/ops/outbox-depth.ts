import type { Store } from "../store/store.ts";

/**
 * The `krbot_outbox_depth` callback: outbox rows per status, as the store's health repository
 * counts them. Rejects when the database is closed; the metric then reports no rows.
 */
export function outboxDepth(store: Pick<Store, "health">): () => Promise<Record<string, number>> {
  return () => store.health.outboxDepth();
}
