/**
 * Load: 500 signed slash commands from 50 concurrent clients against a real SlackAdapter in HTTP mode
 * (fake Web API), the core on a file database. A third are check-ins with unique trigger ids, some of
 * them delivered twice as Slack retries do. Bounded and self-stopping: every client sends its share and
 * stops; a request that has not answered in 3 s is aborted and fails the test.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackAdapter } from "../../src/adapters/slack/index.ts";
import type { Logger } from "../../src/core/logger.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.ts";
import { FORM_CONTENT_TYPE, signSlackRequest, slashCommandBody } from "../fakes/slack-signing.ts";
import { createTestApp, MID_PLAN } from "../helpers/app.ts";
import { checkInsWithRequest } from "./corpus.ts";

const SECRET = "load-test-signing-secret-0123456";
const CLIENTS = 50;
const REQUESTS = 500;
const PER_CLIENT = REQUESTS / CLIENTS;
const DEADLINE_MS = 3000;
const USERS = Array.from({ length: CLIENTS }, (_, i) => `U0LOAD${String(i).padStart(2, "0")}`);

/** What one client sends: its i-th request. A third are check-ins; some check-ins are retried. */
interface Planned {
  user: string;
  text: string;
  trigger: string;
  kind: "checkin" | "retry" | "read";
}

const READS = [
  "status",
  "status IV.KR2",
  "list",
  "history II.KR1",
  "status team Growth",
  "owners V.KR1",
  "help",
];
const CHECKINS = [
  (n: number) => `update II.KR1 on-track ${n % 101}% load ${n}`,
  (n: number) => `update IV.KR2 trainers=${n % 40} teachers_reached=${n * 7}`,
  (n: number) => `update V.KR2 at-risk regions=${n % 4} waiting on ${n}`,
  (n: number) => `update I.KR1 emerging_communities=${n % 30}`,
];

function plan(): Planned[][] {
  let n = 0;
  return USERS.map((user, c) => {
    const mine: Planned[] = [];
    for (let i = 0; i < PER_CLIENT; i++) {
      n++;
      const previous = mine.findLast((p) => p.kind === "checkin");
      if (n % 3 === 0 && previous && n % 4 === 0) {
        // Slack redelivering a check-in it thinks timed out: the same body, same trigger id.
        mine.push({ ...previous, kind: "retry" });
      } else if (n % 3 === 0) {
        const text = (CHECKINS[n % CHECKINS.length] as (n: number) => string)(n);
        mine.push({ user, text, trigger: `load-${c}-${i}-${n}`, kind: "checkin" });
      } else {
        mine.push({
          user,
          text: READS[n % READS.length] as string,
          trigger: `load-read-${c}-${i}`,
          kind: "read",
        });
      }
    }
    return mine;
  });
}

interface Result {
  planned: Planned;
  status: number;
  ms: number;
  text: string;
}

describe("500 signed slash commands from 50 concurrent clients", () => {
  let fake: FakeSlack;
  let app: ReturnType<typeof createTestApp>;
  let adapter: SlackAdapter;
  let dir: string;
  let url: string;
  const logged: string[] = [];
  const log: Logger = {
    info() {},
    warn(_o, msg) {
      logged.push(`warn: ${msg}`);
    },
    error(_o, msg) {
      logged.push(`error: ${msg}`);
    },
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "krbot-load-"));
    fake = await startFakeSlack();
    app = createTestApp({
      now: MID_PLAN,
      url: join(dir, "krbot.db"),
      platform: "slack",
      workspaceId: "T0FAKE",
      admins: USERS.map((u) => `slack:${u}`),
    });
    adapter = new SlackAdapter({
      botToken: "xoxb-load-token",
      signingSecret: SECRET,
      apiUrl: fake.apiUrl,
      port: 0,
      host: "127.0.0.1",
      log,
      retryConfig: { retries: 0 },
    });
    await adapter.start(app.core);
    url = `http://127.0.0.1:${adapter.port}/slack/events`;
  });
  afterAll(async () => {
    await adapter?.stop();
    await fake?.close();
    app?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function send(p: Planned): Promise<Result> {
    const body = slashCommandBody({
      text: p.text,
      user_id: p.user,
      user_name: p.user.toLowerCase(),
      trigger_id: p.trigger,
      response_url: fake.responseUrl(p.trigger),
    });
    const signed = signSlackRequest(SECRET, body);
    const started = performance.now();
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": FORM_CONTENT_TYPE,
        ...signed,
        ...(p.kind === "retry" ? { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" } : {}),
      },
      body,
      signal: AbortSignal.timeout(DEADLINE_MS + 500),
    }).catch((err: unknown) => ({ status: 0, text: async () => String(err) }));
    const text = await res.text();
    return { planned: p, status: res.status, ms: performance.now() - started, text };
  }

  it("acks every request with a 200 inside 3 s and stores every check-in exactly once", async () => {
    // Warm-up outside the measurement: the first command seeds the workspace.
    expect(
      (await send({ user: USERS[0] as string, text: "status", trigger: "warm", kind: "read" })).status,
    ).toBe(200);
    const before = (app.store.db.$client.prepare("select count(*) as n from checkins").get() as { n: number })
      .n;

    const clients = plan();
    const started = performance.now();
    const results = (
      await Promise.all(
        clients.map(async (requests) => {
          const mine: Result[] = [];
          for (const p of requests) mine.push(await send(p));
          return mine;
        }),
      )
    ).flat();
    const wall = performance.now() - started;

    expect(results).toHaveLength(REQUESTS);
    const kinds = results.map((r) => r.planned.kind);
    const checkinRequests = kinds.filter((k) => k !== "read").length;
    expect(checkinRequests).toBeGreaterThanOrEqual(Math.floor(REQUESTS / 3));

    const slow = results.filter((r) => r.status !== 200 || r.ms >= DEADLINE_MS);
    expect(
      slow.map((r) => `${r.planned.text} → ${r.status} in ${Math.round(r.ms)} ms`),
      "requests not acked with a 200 inside 3 s",
    ).toEqual([]);
    const broken = results.filter((r) => /Something went wrong/.test(r.text));
    expect(broken.map((r) => r.planned.text)).toEqual([]);

    // Every check-in answered as one; a retry answered as the same check-in.
    for (const r of results.filter((x) => x.planned.kind !== "read")) {
      const body = JSON.parse(r.text) as { response_type: string; text: string };
      expect(body.response_type, r.planned.text).toBe("in_channel");
      expect(body.text, r.planned.text).toContain(`checked in`);
    }

    const unique = [
      ...new Set(results.filter((r) => r.planned.kind === "checkin").map((r) => r.planned.trigger)),
    ];
    for (const trigger of unique) {
      expect(checkInsWithRequest(app.store, `slack:${trigger}`), trigger).toBe(1);
    }
    const after = (app.store.db.$client.prepare("select count(*) as n from checkins").get() as { n: number })
      .n;
    expect(after - before).toBe(unique.length);
    expect(logged).toEqual([]);

    const ms = results.map((r) => r.ms).sort((a, b) => a - b);
    const pct = (p: number) =>
      Math.round(ms[Math.min(ms.length - 1, Math.floor((p / 100) * ms.length))] ?? 0);
    console.log(
      `load: ${REQUESTS} requests (${unique.length} check-ins, ${checkinRequests - unique.length} retries) in ${Math.round(wall)} ms; p50 ${pct(50)} ms, p95 ${pct(95)} ms, max ${pct(100)} ms`,
    );
  }, 30_000);
});
