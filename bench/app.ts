import { createApp } from "../src/app.ts";
import { renderChartRequests } from "../src/charts/chart-service.ts";
/**
 * The real app, wired as `krbot start` wires it (src/app.ts `createApp`), on a benchmark
 * database; plus a store wrapper that times every store call, for breakdowns of where a
 * command's time goes.
 */
import { commands } from "../src/commands/index.ts";
import { loadConfig } from "../src/config.ts";
import type { CoreSettings } from "../src/core/command.ts";
import { Core } from "../src/core/dispatch.ts";
import type { Invocation } from "../src/core/invocation.ts";
import { silentLogger } from "../src/core/logger.ts";
import { BUNDLED_PLAN_PATH } from "../src/plan/plan-file.ts";
import { workspaceSeeder } from "../src/plan/seed.ts";
import type { Store } from "../src/store/store.ts";
import { BENCH_NOW, type WorkspaceInfo } from "./generate.ts";
import { nowMs } from "./measure.ts";

/**
 * The production core on `dbFile`. The rate limit is off (one benchmark user sends thousands of
 * commands a minute); everything else is the default configuration.
 */
export function benchApp(dbFile: string, now: () => Date = () => BENCH_NOW) {
  const config = loadConfig({ DATABASE_URL: dbFile, KRBOT_RATE_LIMIT: "0" });
  return { config, ...createApp(config, silentLogger, now) };
}

/** A slash command from `user` in `ws`, as the Slack adapter maps it (see src/adapters/slack/parse.ts). */
export function invocation(ws: WorkspaceInfo, user: string, text: string, requestId: string): Invocation {
  return {
    workspace: { platform: ws.platform, id: ws.externalId },
    actor: { id: user, name: `Person ${user.slice(-5)}` },
    channel: { id: "C0BENCH", isDirect: false },
    command: "",
    text,
    requestId,
  };
}

/** Per store method: calls and total milliseconds (the synchronous SQLite work inside each call). */
export type StoreTimes = Map<string, { calls: number; ms: number }>;

/**
 * Wraps a store so every method call is timed. SqliteStore does its work synchronously inside
 * async methods, so the time until the call returns its promise is the database time.
 */
export function timedStore(store: Store): { store: Store; times: StoreTimes } {
  const times: StoreTimes = new Map();
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== "function" || typeof prop !== "string") return value;
      return (...args: unknown[]) => {
        const t = nowMs();
        const result = (value as (...a: unknown[]) => unknown).apply(target, args);
        const entry = times.get(prop) ?? { calls: 0, ms: 0 };
        entry.calls++;
        entry.ms += nowMs() - t;
        times.set(prop, entry);
        return result;
      };
    },
  });
  return { store: proxy, times };
}

/** A core like `benchApp`'s on an already open store, with `settings` overrides (e.g. charts off). */
export function benchCore(
  store: Store,
  now: () => Date = () => BENCH_NOW,
  settings: Partial<CoreSettings> = {},
) {
  return new Core({
    store,
    commands,
    settings: { staleDays: 7, defaultTimezone: "UTC", rateLimitPerMinute: 0, admins: [], ...settings },
    log: silentLogger,
    now,
    charts: renderChartRequests,
    resolveWorkspace: workspaceSeeder(store, BUNDLED_PLAN_PATH, silentLogger),
  });
}

/** The same core over a timed store. */
export function timedCore(
  store: Store,
  now: () => Date = () => BENCH_NOW,
  settings: Partial<CoreSettings> = {},
) {
  const timed = timedStore(store);
  return { core: benchCore(timed.store, now, settings), times: timed.times };
}

/** Store times per operation, largest first, as `{ method: "calls × ms" }` rounded for reports. */
export function perOp(times: StoreTimes, ops: number): Record<string, string> {
  return Object.fromEntries(
    [...times]
      .sort((a, b) => b[1].ms - a[1].ms)
      .map(([name, t]) => [name, `${(t.calls / ops).toFixed(1)} calls, ${(t.ms / ops).toFixed(3)} ms`]),
  );
}

/** Total store milliseconds per operation. */
export function storeMsPerOp(times: StoreTimes, ops: number): number {
  let ms = 0;
  for (const t of times.values()) ms += t.ms;
  return ms / ops;
}
