import { beforeAll, describe, expect, it } from "vitest";
import { commands } from "../../src/commands/index.ts";
import { Core } from "../../src/core/dispatch.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { healthCheck, opsRoutes } from "../../src/ops/health.ts";
import { Metrics } from "../../src/ops/metrics.ts";
import { outboxDepth } from "../../src/ops/outbox-depth.ts";
import { startOpsServer } from "../../src/ops/server.ts";
import { BUNDLED_PLAN_PATH } from "../../src/plan/plan-file.ts";
import { workspaceSeeder } from "../../src/plan/seed.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import { nowSeconds, postToBolt, slashCommandBody } from "../fakes/slack-signing.ts";
import { useSlackHarness } from "../helpers/slack-harness.ts";

const SECRET = "ops-endpoints-signing-secret";

describe("/healthz and /metrics next to /slack/events (Slack HTTP mode)", () => {
  let metrics: Metrics;
  const slack = useSlackHarness({
    core: ({ store }) => {
      metrics = new Metrics({ outboxDepth: outboxDepth(store), commands: commands.map((c) => c.name) });
      return new Core({
        store,
        commands,
        settings: { staleDays: 7 },
        log: silentLogger,
        now: () => new Date("2022-01-01T00:00:00Z"),
        resolveWorkspace: workspaceSeeder(store, BUNDLED_PLAN_PATH, silentLogger),
        observe: (e) => metrics.observeCommand(e),
      });
    },
    adapter: ({ store }) => ({
      botToken: "xoxb-ops-test-token",
      signingSecret: SECRET,
      extraRoutes: opsRoutes({ metrics, health: () => healthCheck(store) }),
    }),
  });
  let base: string;
  beforeAll(() => {
    base = slack.base;
  });

  it("GET /healthz answers 200 with the database check", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ ok: true, checks: { database: "ok" } });
  });

  it("GET /metrics counts a signed /kr status, in Prometheus text", async () => {
    const before = await (await fetch(`${base}/metrics`)).text();
    expect(before).toContain("# TYPE krbot_commands_total counter");
    expect(before).not.toContain('krbot_commands_total{command="status"');

    const slash = await postToBolt(`${base}/slack/events`, slashCommandBody({ text: "status" }), {
      secret: SECRET,
    });
    expect(slash.status).toBe(200);
    expect(slash.text).toContain("15 key results");

    const res = await fetch(`${base}/metrics?debug=1`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4; charset=utf-8$/);
    const body = await res.text();
    expect(body).toContain('krbot_commands_total{command="status",outcome="ok",platform="slack"} 1');
    expect(body).toMatch(/^krbot_command_duration_seconds_count\{command="status"\} 1$/m);
    expect(body).toMatch(/^krbot_outbox_depth\{status="pending"\} 0$/m);
    for (const name of [
      "krbot_deliveries_total",
      "krbot_scheduler_lag_seconds",
      "process_cpu_user_seconds_total",
    ])
      expect(body).toContain(`# TYPE ${name} `);
  });

  it("answers HEAD without a body", async () => {
    const res = await fetch(`${base}/healthz`, { method: "HEAD" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it("leaves every other path and method to Bolt, and keeps the timestamp check on Slack paths", async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/healthz/extra`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`, { method: "POST" })).status).toBe(404);
    // Ops paths are not Slack requests: a stray Slack timestamp header does not matter there …
    const future = String(nowSeconds() + 3600);
    const health = await fetch(`${base}/healthz`, { headers: { "x-slack-request-timestamp": future } });
    expect(health.status).toBe(200);
    // … while a Slack request signed an hour ahead is still refused before Bolt sees it.
    const slash = await postToBolt(`${base}/slack/events`, slashCommandBody({ text: "status" }), {
      secret: SECRET,
      timestamp: nowSeconds() + 3600,
    });
    expect(slash.status).toBe(401);
    // An unsigned request to the Slack endpoint still fails Bolt's signature check.
    const unsigned = await fetch(`${base}/slack/events`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: slashCommandBody({ text: "status" }),
    });
    expect(unsigned.status).toBe(401);
  });

  it("GET /healthz answers 503 once the database is closed; /metrics still renders", async () => {
    await slack.app.store.close();
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { ok: boolean; checks: { database: string } };
    expect(body.ok).toBe(false);
    expect(body.checks.database).toMatch(/not open/);
    const scrape = await fetch(`${base}/metrics`);
    expect(scrape.status).toBe(200);
    const text = await scrape.text();
    expect(text).toContain('krbot_commands_total{command="status",outcome="ok",platform="slack"} 1');
    expect(text).not.toMatch(/^krbot_outbox_depth\{/m);
  });
});

describe("the standalone ops server (Discord only, or Slack in Socket Mode)", () => {
  it("serves /healthz and /metrics, 404s the rest, and gives way quietly when the port is taken", async () => {
    const store = openSqliteStore(":memory:");
    const metrics = new Metrics({ outboxDepth: outboxDepth(store), processMetrics: false });
    const routes = opsRoutes({ metrics, health: () => healthCheck(store) });
    const warnings: string[] = [];
    const log = { ...silentLogger, warn: (_: object, msg?: string) => warnings.push(msg ?? "") };
    const server = await startOpsServer({ routes, port: 0, host: "127.0.0.1", log });
    try {
      if (!server) throw new Error("the ops server did not start");
      const base = `http://127.0.0.1:${server.port}`;
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true, checks: { database: "ok" } });
      expect(await (await fetch(`${base}/metrics`)).text()).toContain("# TYPE krbot_outbox_depth gauge");
      expect((await fetch(`${base}/slack/events`, { method: "POST" })).status).toBe(404);

      const second = await startOpsServer({ routes, port: server.port, host: "127.0.0.1", log });
      expect(second).toBeUndefined();
      expect(warnings).toEqual(["ops: could not listen; /healthz and /metrics are off"]);
    } finally {
      await server?.close();
      await store.close();
    }
  });
});
