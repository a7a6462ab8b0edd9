import { randomUUID } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../../src/commands/index.ts";
import { type ChatAdapter, DeliveryError } from "../../src/core/adapter.ts";
import { Core } from "../../src/core/dispatch.ts";
import type { Invocation, Platform } from "../../src/core/invocation.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { reply } from "../../src/core/reply.ts";
import { createLogger } from "../../src/log.ts";
import { healthCheck } from "../../src/ops/health.ts";
import { Metrics } from "../../src/ops/metrics.ts";
import { outboxDepth } from "../../src/ops/outbox-depth.ts";
import { BUNDLED_PLAN_PATH } from "../../src/plan/plan-file.ts";
import { workspaceSeeder } from "../../src/plan/seed.ts";
import { DeliveryWorker } from "../../src/scheduler/delivery.ts";
import { openSqliteStore, type SqliteStore } from "../../src/store/sqlite/index.ts";
import { MID_PLAN } from "../helpers/app.ts";

/** One sample line of the Prometheus text format: name, labels, value. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): every line is a `# HELP`, a
 * `# TYPE` or a sample whose family was declared by a preceding `# TYPE`; anything else throws.
 */
function parsePrometheus(text: string): { types: Map<string, string>; samples: Sample[] } {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  const NAME = "[a-zA-Z_:][a-zA-Z0-9_:]*";
  const help = new RegExp(`^# HELP (${NAME}) .*$`);
  const type = new RegExp(`^# TYPE (${NAME}) (counter|gauge|histogram|summary|untyped)$`);
  const sample = new RegExp(`^(${NAME})(?:\\{(.*)\\})? (\\S+)(?: -?\\d+)?$`);
  const label = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)",?/gy;
  for (const line of text.split("\n")) {
    if (line === "" || help.test(line)) continue;
    const t = type.exec(line);
    if (t) {
      types.set(t[1] as string, t[2] as string);
      continue;
    }
    const s = sample.exec(line);
    if (!s) throw new Error(`not Prometheus text: ${JSON.stringify(line)}`);
    const name = s[1] as string;
    const family = [...types.keys()].find(
      (f) =>
        name === f ||
        (/^(_bucket|_sum|_count|_total|_created)$/.test(name.slice(f.length)) && name.startsWith(f)),
    );
    if (!family) throw new Error(`sample before its # TYPE: ${line}`);
    const labels: Record<string, string> = {};
    const rawLabels = s[2] ?? "";
    label.lastIndex = 0;
    let consumed = 0;
    for (let m = label.exec(rawLabels); m; m = label.exec(rawLabels)) {
      labels[m[1] as string] = m[2] as string;
      consumed = label.lastIndex;
    }
    if (consumed !== rawLabels.length) throw new Error(`bad labels: ${line}`);
    // Like Prometheus (Go's ParseFloat), NaN and Inf are case-insensitive: prom-client writes "Nan".
    const raw = s[3] as string;
    const value = /^nan$/i.test(raw)
      ? Number.NaN
      : /^[+-]?inf$/i.test(raw)
        ? (raw.startsWith("-") ? -1 : 1) * Infinity
        : Number(raw);
    if (Number.isNaN(value) && !/^nan$/i.test(raw)) throw new Error(`bad value: ${line}`);
    samples.push({ name, labels, value });
  }
  return { types, samples };
}

function sampleValue(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  return samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    ?.value;
}

describe("Metrics", () => {
  let store: SqliteStore;
  let metrics: Metrics;
  let core: Core;
  let now: Date;

  beforeEach(() => {
    store = openSqliteStore(":memory:");
    now = MID_PLAN;
    metrics = new Metrics({
      outboxDepth: outboxDepth(store),
      commands: commands.map((c) => c.name),
      now: () => now,
    });
    core = new Core({
      store,
      commands,
      settings: { staleDays: 7, rateLimitPerMinute: 3 },
      log: silentLogger,
      now: () => now,
      resolveWorkspace: workspaceSeeder(store, BUNDLED_PLAN_PATH, silentLogger),
      observe: (e) => metrics.observeCommand(e),
    });
  });
  afterEach(() => store.close());

  const run = (text: string, platform: Platform = "slack", actor = "U1") => {
    const invocation: Invocation = {
      workspace: { platform, id: "T1" },
      actor: { id: actor, name: actor },
      channel: { id: "C1", isDirect: false },
      command: "",
      text,
      requestId: randomUUID(),
    };
    return core.dispatch(invocation);
  };
  const scrape = async () => parsePrometheus((await metrics.render()).body).samples;

  it("counts dispatches by command, outcome and platform, and times them", async () => {
    await run("status");
    await run("status", "discord");
    await run("list");
    await run("frobnicate the KRs"); // an unknown command: never a label of its own
    await run("status", "slack", "U2");
    await run("status", "slack", "U2");
    await run("status", "slack", "U2");
    await run("status", "slack", "U2"); // the fourth in a minute with a limit of 3

    const samples = await scrape();
    const commandsTotal = (labels: Record<string, string>) =>
      sampleValue(samples, "krbot_commands_total", labels);
    expect(commandsTotal({ command: "status", outcome: "ok", platform: "slack" })).toBe(4);
    expect(commandsTotal({ command: "status", outcome: "ok", platform: "discord" })).toBe(1);
    expect(commandsTotal({ command: "list", outcome: "ok", platform: "slack" })).toBe(1);
    expect(commandsTotal({ command: "unknown", outcome: "user_error", platform: "slack" })).toBe(1);
    expect(commandsTotal({ command: "unknown", outcome: "rate_limited", platform: "slack" })).toBe(1);
    expect(samples.some((s) => s.labels.command === "frobnicate")).toBe(false);

    expect(sampleValue(samples, "krbot_command_duration_seconds_count", { command: "status" })).toBe(5);
    expect(sampleValue(samples, "krbot_command_duration_seconds_sum", { command: "status" })).toBeGreaterThan(
      0,
    );
    const buckets = samples
      .filter((s) => s.name === "krbot_command_duration_seconds_bucket" && s.labels.command === "status")
      .map((s) => s.labels.le);
    expect(buckets).toEqual([
      "0.001",
      "0.0025",
      "0.005",
      "0.01",
      "0.025",
      "0.05",
      "0.1",
      "0.25",
      "0.5",
      "1",
      "2.5",
      "3",
      "+Inf",
    ]);
    expect(
      sampleValue(samples, "krbot_command_duration_seconds_bucket", { command: "status", le: "+Inf" }),
    ).toBe(5);
  });

  it("renders Prometheus text with every krbot metric and the default process metrics", async () => {
    await run("status");
    metrics.delivery("sent", "slack");
    metrics.tickFinished(now);
    const { contentType, body } = await metrics.render();
    expect(contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    const { types } = parsePrometheus(body);
    expect(Object.fromEntries([...types].filter(([name]) => name.startsWith("krbot_")))).toEqual({
      krbot_commands_total: "counter",
      krbot_command_duration_seconds: "histogram",
      krbot_outbox_depth: "gauge",
      krbot_deliveries_total: "counter",
      krbot_scheduler_lag_seconds: "gauge",
    });
    expect(types.get("process_cpu_user_seconds_total")).toBe("counter");
    expect(types.get("nodejs_heap_size_used_bytes")).toBe("gauge");
  });

  it("keeps registries apart: two instances never share or clash", async () => {
    const other = new Metrics({ processMetrics: false });
    await run("status");
    const mine = await scrape();
    const theirs = parsePrometheus((await other.render()).body).samples;
    expect(sampleValue(mine, "krbot_commands_total", { command: "status" })).toBe(1);
    expect(sampleValue(theirs, "krbot_commands_total", { command: "status" })).toBeUndefined();
    expect(theirs.some((s) => s.name.startsWith("process_"))).toBe(false);
  });

  it("reports outbox depth by status from the database on every scrape", async () => {
    const ws = await store.workspaces.ensure({ platform: "slack", id: "T1" });
    const claim = (target: string) => ({
      kind: "digest" as const,
      target,
      periodKey: "2022-W01",
      scheduledFor: now,
      claimedAt: now,
      outcome: "sent" as const,
      reason: "due",
    });
    const msg = (channelId: string) => ({ target: { channelId }, reply: reply(`digest for ${channelId}`) });
    await store.claims.claim(ws.id, claim("C1"), [msg("C1"), msg("C1")]);
    await store.claims.claim(ws.id, claim("C2"), [msg("C2")]);

    let samples = await scrape();
    expect(sampleValue(samples, "krbot_outbox_depth", { status: "pending" })).toBe(3);
    expect(sampleValue(samples, "krbot_outbox_depth", { status: "sent" })).toBe(0);
    expect(sampleValue(samples, "krbot_outbox_depth", { status: "failed" })).toBe(0);

    const posted: string[] = [];
    const adapter: ChatAdapter = {
      platform: "slack",
      start: async () => {},
      stop: async () => {},
      post: async (_ws, target) => {
        if (target.channelId === "C2") throw new DeliveryError("channel_not_found", "gone");
        posted.push(target.channelId ?? "");
        return { messageId: `m${posted.length}`, channelId: target.channelId ?? "" };
      },
    };
    const outcomes: string[] = [];
    const worker = new DeliveryWorker(store, new Map([["slack", adapter]]), () => now, silentLogger, {
      onDelivery: (outcome, platform) => {
        outcomes.push(`${outcome}:${platform}`);
        metrics.delivery(outcome, platform);
      },
    });
    expect(await worker.drain()).toBe(2);
    expect(outcomes.sort()).toEqual(["failed:slack", "sent:slack", "sent:slack"]);

    samples = await scrape();
    expect(sampleValue(samples, "krbot_outbox_depth", { status: "pending" })).toBe(0);
    expect(sampleValue(samples, "krbot_outbox_depth", { status: "sent" })).toBe(2);
    expect(sampleValue(samples, "krbot_outbox_depth", { status: "failed" })).toBe(1);
    expect(sampleValue(samples, "krbot_deliveries_total", { outcome: "sent", platform: "slack" })).toBe(2);
    expect(sampleValue(samples, "krbot_deliveries_total", { outcome: "failed", platform: "slack" })).toBe(1);
  });

  it("counts retries, and a throwing onDelivery hook never turns a sent row into a resend", async () => {
    const ws = await store.workspaces.ensure({ platform: "slack", id: "T1" });
    await store.claims.claim(
      ws.id,
      {
        kind: "digest",
        target: "C1",
        periodKey: "p",
        scheduledFor: now,
        claimedAt: now,
        outcome: "sent",
        reason: "due",
      },
      [{ target: { channelId: "C1" }, reply: reply("hello") }],
    );
    let calls = 0;
    const adapter: ChatAdapter = {
      platform: "slack",
      start: async () => {},
      stop: async () => {},
      post: async () => {
        calls++;
        if (calls === 1) throw new DeliveryError("ratelimited", "slow down", true, 1000);
        return { messageId: "m1", channelId: "C1" };
      },
    };
    const outcomes: string[] = [];
    const worker = new DeliveryWorker(store, new Map([["slack", adapter]]), () => now, silentLogger, {
      onDelivery: (outcome) => {
        outcomes.push(outcome);
        throw new Error("a broken metrics hook");
      },
    });
    expect(await worker.drain()).toBe(0);
    now = new Date(now.getTime() + 2000);
    expect(await worker.drain()).toBe(1);
    expect(await worker.drain()).toBe(0);
    expect(calls).toBe(2);
    expect(outcomes).toEqual(["retry", "sent"]);
  });

  it("reports scheduler lag as the time since the last successful tick", async () => {
    expect(sampleValue(await scrape(), "krbot_scheduler_lag_seconds")).toBe(0);
    metrics.tickFinished(now);
    now = new Date(now.getTime() + 45_000);
    expect(sampleValue(await scrape(), "krbot_scheduler_lag_seconds")).toBe(45);
    metrics.tickFinished(now, new Date(now.getTime() - 5_000)); // that tick was due 5 s earlier
    expect(sampleValue(await scrape(), "krbot_scheduler_lag_seconds")).toBe(5);
  });

  it("still renders, without outbox rows, when the database is closed", async () => {
    await run("status");
    store.close();
    const samples = await scrape();
    expect(samples.some((s) => s.name === "krbot_outbox_depth")).toBe(false);
    expect(sampleValue(samples, "krbot_commands_total", { command: "status" })).toBe(1);
    expect(await healthCheck(store)).toEqual({
      ok: false,
      checks: { database: expect.stringMatching(/not open/) },
    });
  });
});

describe("logs", () => {
  it("redact credentials even when a caller passes them by mistake", () => {
    const lines: string[] = [];
    const log = createLogger("info", { write: (line: string) => lines.push(line) });
    log.info(
      {
        options: { botToken: "xoxb-leak", signingSecret: "s3cret-leak", appToken: "xapp-leak" },
        req: { headers: { authorization: "Bearer xoxb-leak", "x-slack-signature": "v0=leak" } },
        token: "xoxb-leak",
      },
      "hello",
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/leak/);
    expect(lines[0]).toContain("[redacted]");
  });
});
