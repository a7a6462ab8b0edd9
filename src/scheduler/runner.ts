import { renderChartRequests } from "../charts/chart-service.ts";
import type { ChatAdapter } from "../core/adapter.ts";
import type { Platform } from "../core/invocation.ts";
import type { Logger } from "../core/logger.ts";
import type { ChartRequest } from "../core/reply.ts";
import type { Store } from "../store/store.ts";
import { type DeliveryOptions, DeliveryWorker } from "./delivery.ts";
import { Scheduler, type SchedulerSettings } from "./scheduler.ts";

/** How often due occurrences are computed (and at startup). */
export const TICK_INTERVAL_MS = 30_000;
/** How often the outbox is checked for retries between ticks. */
export const DRAIN_INTERVAL_MS = 5_000;

/** Optional observers of the scheduling loop (metrics); they must not throw. */
export interface SchedulingHooks {
  /** A tick (due occurrences computed, then the outbox drained) finished without error. */
  onTick?: (finishedAt: Date) => void;
  /** An outbox row was marked sent, put back for a retry, or failed. */
  onDelivery?: DeliveryOptions["onDelivery"];
}

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
  hooks: SchedulingHooks = {},
): () => Promise<void> {
  const scheduler = new Scheduler(store, settings, now, log);
  const worker = new DeliveryWorker(store, adapters, now, log, {
    ...(hooks.onDelivery ? { onDelivery: hooks.onDelivery } : {}),
    ...(settings.charts === false
      ? {}
      : {
          renderCharts: (ws: number, requests: ChartRequest[]) =>
            renderChartRequests(store, ws, requests, now()),
        }),
  });
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
      try {
        hooks.onTick?.(now());
      } catch (err) {
        log.warn({ err }, "scheduler: onTick hook failed");
      }
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
