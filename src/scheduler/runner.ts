import type { ChatAdapter } from "../core/adapter.ts";
import type { Platform } from "../core/invocation.ts";
import type { Logger } from "../core/logger.ts";
import type { Store } from "../store/store.ts";
import { DeliveryWorker } from "./delivery.ts";
import { Scheduler, type SchedulerSettings } from "./scheduler.ts";

/** How often due occurrences are computed (and at startup). */
export const TICK_INTERVAL_MS = 30_000;
/** How often the outbox is checked for retries between ticks. */
export const DRAIN_INTERVAL_MS = 5_000;

/**
 * Runs the scheduler and the delivery worker in this process: a tick now and every 30 s, the
 * outbox drained after each tick and every 5 s. Returns a stop function that waits for the pass
 * in progress. Several processes may run this on one database: claims and leases keep it to once.
 */
export function startScheduling(
  store: Store,
  adapters: ReadonlyMap<Platform, ChatAdapter>,
  settings: SchedulerSettings,
  log: Logger,
  now: () => Date = () => new Date(),
): () => Promise<void> {
  const scheduler = new Scheduler(store, settings, now, log);
  const worker = new DeliveryWorker(store, adapters, now, log);
  let running: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const run = (work: () => Promise<unknown>) => {
    if (stopped) return;
    running = running.then(work).catch((err: unknown) => log.error({ err }, "scheduler: pass failed"));
  };
  const tick = () =>
    run(async () => {
      await scheduler.tick();
      await worker.drain();
    });
  tick();
  const ticker = setInterval(tick, TICK_INTERVAL_MS);
  const drainer = setInterval(() => run(() => worker.drain()), DRAIN_INTERVAL_MS);
  return async () => {
    stopped = true;
    clearInterval(ticker);
    clearInterval(drainer);
    await running;
  };
}
