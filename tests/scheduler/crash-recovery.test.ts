import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { SlackAdapter } from "../../src/adapters/slack/index.ts";
import { Core } from "../../src/core/dispatch.ts";
import { silentLogger } from "../../src/core/logger.ts";
import { DeliveryWorker } from "../../src/scheduler/delivery.ts";
import { Scheduler } from "../../src/scheduler/scheduler.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.ts";
import { runningPlan } from "../helpers/plan-facts.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const FIXTURE = join(ROOT, "tests/scheduler/fixtures/crash-worker.ts");
const DIGEST_TIME = "2027-03-01T08:00:00Z"; // Monday 09:00 Europe/Berlin

/** A database with the bundled plan and digests in two channels. */
async function prepare(url: string) {
  const store = openSqliteStore(url);
  const ws = await store.workspaces.ensure({ platform: "slack", id: "T1" });
  await store.plans.import(ws.id, runningPlan(), { actor: "test" });
  for (const channelId of ["C1", "C2"]) {
    await store.schedules.upsertDigest(ws.id, {
      channelId,
      weekday: 1,
      time: "09:00",
      timezone: "Europe/Berlin",
      scope: { kind: "all" },
      createdBy: "U1",
      activeFrom: new Date("2027-01-01T00:00:00Z"),
    });
  }
  await store.close();
}

function runUntil(env: Record<string, string>, marker: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    let err = "";
    const timer = setTimeout(() => reject(new Error(`no "${marker}" within 15 s; stderr: ${err}`)), 15_000);
    child.stdout?.on("data", (c: Buffer) => {
      out += c.toString();
      if (out.includes(marker)) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr?.on("data", (c: Buffer) => {
      err += c.toString();
    });
    child.once("exit", (code) => reject(new Error(`exited ${code} before "${marker}"; stderr: ${err}`)));
  });
}

async function killHard(child: ChildProcess) {
  const gone = new Promise((r) => child.once("exit", r));
  child.kill("SIGKILL");
  await gone;
}

describe("a scheduler killed with SIGKILL", () => {
  let fake: FakeSlack | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Restarts: a new scheduler and worker on the same database, sending through the fake Slack. */
  async function restart(url: string, nowIso: string) {
    const store = openSqliteStore(url);
    const slack = new SlackAdapter({
      botToken: "xoxb-restart",
      signingSecret: "restart-secret",
      apiUrl: fake?.apiUrl as string,
      port: 0,
      host: "127.0.0.1",
      log: silentLogger,
      retryConfig: { retries: 0 },
    });
    await slack.start(new Core({ store, commands: [], settings: { staleDays: 7 } }));
    const now = () => new Date(nowIso);
    await new Scheduler(
      store,
      { defaultTimezone: "UTC", graceMs: 12 * 3_600_000, staleDays: 7 },
      now,
      silentLogger,
    ).tick();
    await new DeliveryWorker(store, new Map([["slack", slack]]), now, silentLogger, {
      leaseMs: 1000,
    }).drain();
    await slack.stop();
    await store.close();
  }

  const digestsIn = (channel: string) =>
    fake?.callsTo("chat.postMessage").filter((c) => c.body.channel === channel && !c.body.thread_ts) ?? [];
  const threadRepliesIn = (channel: string) =>
    fake?.callsTo("chat.postMessage").filter((c) => c.body.channel === channel && c.body.thread_ts) ?? [];

  it("between claiming and sending: after restart, exactly one digest per channel", async () => {
    fake = await startFakeSlack();
    dir = mkdtempSync(join(tmpdir(), "krbot-crash-"));
    const url = join(dir, "krbot.db");
    await prepare(url);
    const child = await runUntil({ DATABASE_URL: url, NOW: DIGEST_TIME, MODE: "claim-only" }, "claimed");
    await killHard(child);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(0);
    await restart(url, "2027-03-01T08:00:05Z");
    expect(digestsIn("C1")).toHaveLength(1);
    expect(digestsIn("C2")).toHaveLength(1);
    expect(threadRepliesIn("C1")).toHaveLength(5);
    await restart(url, "2027-03-01T08:10:00Z");
    expect(fake.callsTo("chat.postMessage")).toHaveLength(12);
  });

  it("between two deliveries: after restart, the rest is sent and nothing twice", async () => {
    fake = await startFakeSlack();
    dir = mkdtempSync(join(tmpdir(), "krbot-crash-"));
    const url = join(dir, "krbot.db");
    await prepare(url);
    const child = await runUntil(
      { DATABASE_URL: url, NOW: DIGEST_TIME, MODE: "send-one", SLACK_API_URL: fake.apiUrl },
      "sent-one",
    );
    await killHard(child);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
    await restart(url, "2027-03-01T08:00:05Z"); // the dead worker's 1 s lease has expired
    expect(digestsIn("C1")).toHaveLength(1);
    expect(digestsIn("C2")).toHaveLength(1);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(12);
  });
});

describe("delivery through a struggling Slack API", () => {
  it("answers 429 with Retry-After, then 500 twice: the digest is delivered once", async () => {
    const fake = await startFakeSlack();
    const store = openSqliteStore(":memory:");
    const ws = await store.workspaces.ensure({ platform: "slack", id: "T1" });
    await store.plans.import(ws.id, runningPlan(), { actor: "test" });
    await store.schedules.upsertDigest(ws.id, {
      channelId: "C1",
      weekday: 1,
      time: "09:00",
      timezone: "Europe/Berlin",
      scope: { kind: "objective", value: "IV" },
      createdBy: "U1",
      activeFrom: new Date("2027-01-01T00:00:00Z"),
    });
    const slack = new SlackAdapter({
      botToken: "xoxb-flaky",
      signingSecret: "flaky-secret",
      apiUrl: fake.apiUrl,
      port: 0,
      host: "127.0.0.1",
      log: silentLogger,
      retryConfig: { retries: 3, factor: 1, minTimeout: 10, maxTimeout: 20 },
    });
    await slack.start(new Core({ store, commands: [], settings: { staleDays: 7 } }));
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    fake.failNext("chat.postMessage", { status: 500 });
    fake.failNext("chat.postMessage", { status: 500 });
    const now = () => new Date(DIGEST_TIME);
    await new Scheduler(
      store,
      { defaultTimezone: "UTC", graceMs: 12 * 3_600_000, staleDays: 7 },
      now,
      silentLogger,
    ).tick();
    await new DeliveryWorker(store, new Map([["slack", slack]]), now, silentLogger).drain();
    const calls = fake.callsTo("chat.postMessage").filter((c) => !c.body.thread_ts);
    expect(calls.map((c) => c.response.status)).toEqual([429, 500, 500, 200]);
    const sent = store.db.$client
      .prepare("select status, message_id from outbox where thread_of is null")
      .all();
    expect(sent).toEqual([{ status: "sent", message_id: calls[3]?.response.body.ts }]);
    await slack.stop();
    await store.close();
    await fake.close();
  });
});
