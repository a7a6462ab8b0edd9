import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { CommandEvent } from "../core/dispatch.ts";

/** How a delivery attempt ended: sent, put back for a later attempt, or given up on. */
export type DeliveryOutcome = "sent" | "retry" | "failed";

/** Outbox row counts by status (`pending`, `sending`, `sent`, `failed`), read at scrape time. */
export type OutboxDepth = () => Promise<Record<string, number>>;

/** The outbox statuses always reported (as 0 when there are no such rows), so series never vanish. */
export const OUTBOX_STATUSES = ["pending", "sending", "sent", "failed"] as const;

/** Command latency buckets in seconds: 1 ms to Slack's 3 s deadline (2.5 s is the ack budget). */
export const COMMAND_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 3];

/** Without a list of known commands, at most this many distinct names become label values. */
const MAX_COMMAND_LABELS = 64;
const COMMAND_NAME = /^[a-z][a-z0-9_-]{0,31}$/;

export interface MetricsOptions {
  /** Outbox row counts by status, collected on every scrape. */
  outboxDepth?: OutboxDepth;
  /**
   * The command names that may appear as label values; any other name (an unknown word a user
   * typed) is counted as "unknown", so user text never becomes a label and cardinality stays bounded.
   */
  commands?: Iterable<string>;
  /** Adds prom-client's default process metrics (CPU, memory, event loop, GC). Default true. */
  processMetrics?: boolean;
  /** The clock used for the scheduler lag (tests). */
  now?: () => Date;
}

/**
 * krbot's Prometheus metrics on a registry of its own (never prom-client's global one, so several
 * instances can live in one process):
 *
 * - `krbot_commands_total{command,outcome,platform}`: dispatches by command name and how they ended
 *   (`ok`, `user_error`, `error`, `rate_limited`).
 * - `krbot_command_duration_seconds{command}`: dispatch latency, 1 ms – 3 s buckets.
 * - `krbot_outbox_depth{status}`: outbox rows per status, counted in the database on each scrape.
 * - `krbot_deliveries_total{outcome,platform}`: delivery attempts that were `sent`, put back for a
 *   `retry`, or `failed` for good.
 * - `krbot_scheduler_lag_seconds`: seconds since the last successful scheduler tick was due (when the
 *   caller passes the due time) or finished (otherwise), measured at scrape time. Ticks run every
 *   30 s, so a healthy value stays below ~30 s plus a tick's duration; a stuck or failing scheduler
 *   makes it grow without bound. 0 until the first tick.
 * - prom-client's default process metrics (`process_*`, `nodejs_*`).
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly commands: Counter<"command" | "outcome" | "platform">;
  private readonly duration: Histogram<"command">;
  private readonly deliveries: Counter<"outcome" | "platform">;
  private readonly known?: ReadonlySet<string>;
  private readonly seen = new Set<string>();
  private readonly now: () => Date;
  private lastTick?: Date;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.now = options.now ?? (() => new Date());
    if (options.commands) this.known = new Set(options.commands);
    this.commands = new Counter({
      name: "krbot_commands_total",
      help: "Commands dispatched, by command name, outcome (ok, user_error, error, rate_limited) and platform.",
      labelNames: ["command", "outcome", "platform"],
      registers,
    });
    this.duration = new Histogram({
      name: "krbot_command_duration_seconds",
      help: "Time from receiving a command to having its reply, in seconds.",
      labelNames: ["command"],
      buckets: COMMAND_BUCKETS,
      registers,
    });
    const outboxDepth = options.outboxDepth;
    new Gauge({
      name: "krbot_outbox_depth",
      help: "Outbox rows by status (pending, sending, sent, failed), counted when scraped.",
      labelNames: ["status"],
      registers,
      async collect() {
        this.reset();
        if (!outboxDepth) return;
        let counts: Record<string, number>;
        try {
          counts = await outboxDepth();
        } catch {
          return; // the database is unreachable: /healthz says so; the other metrics still render
        }
        for (const status of OUTBOX_STATUSES) this.set({ status }, 0);
        for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
      },
    });
    this.deliveries = new Counter({
      name: "krbot_deliveries_total",
      help: "Outbox delivery attempts by outcome (sent, retry, failed) and platform.",
      labelNames: ["outcome", "platform"],
      registers,
    });
    const lag = () =>
      this.lastTick ? Math.max(0, this.now().getTime() - this.lastTick.getTime()) / 1000 : 0;
    new Gauge({
      name: "krbot_scheduler_lag_seconds",
      help: "Seconds since the last successful scheduler tick was due (or finished, when the due time is unknown).",
      registers,
      collect() {
        this.set(lag());
      },
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** Core's `observe` hook: counts the dispatch and records its latency. Never throws. */
  observeCommand(event: CommandEvent): void {
    const command = this.commandLabel(event.command);
    this.commands.inc({ command, outcome: event.outcome, platform: event.platform });
    this.duration.observe({ command }, Math.max(0, event.ms) / 1000);
  }

  /** One outbox row was sent, put back for a retry, or given up on. */
  delivery(outcome: DeliveryOutcome, platform: string): void {
    this.deliveries.inc({ outcome, platform });
  }

  /** A scheduler tick finished successfully at `at`; `due` is when it was meant to run, if known. */
  tickFinished(at: Date, due?: Date): void {
    this.lastTick = due ?? at;
  }

  /** The Prometheus text exposition of every metric. */
  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private commandLabel(name: string): string {
    if (this.known) return this.known.has(name) ? name : "unknown";
    if (!COMMAND_NAME.test(name)) return "unknown";
    if (this.seen.has(name)) return name;
    if (this.seen.size >= MAX_COMMAND_LABELS) return "other";
    this.seen.add(name);
    return name;
  }
}
