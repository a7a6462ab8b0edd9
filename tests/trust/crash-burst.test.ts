/**
 * Crash: `npm start`'s real entry (`node bin/krbot.js start`) serving Slack over HTTP against the fake Web
 * API takes a burst of signed `/kr update` requests and is SIGKILLed in the middle of it.
 *
 * Afterwards the database passes `PRAGMA integrity_check`, and the check-ins it holds are exactly the
 * acknowledged ones plus, possibly, some that were in flight when the process died: a request whose
 * HTTP 200 arrived was committed before it was answered, so it must be stored; a request that was still
 * in flight may or may not be, and nothing that was never sent can be. So: acknowledged ⊆ stored ⊆ sent.
 * Then krbot starts again on the same file and serves normally.
 */
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.ts";
import { FORM_CONTENT_TYPE, signSlackRequest, slashCommandBody } from "../fakes/slack-signing.ts";
import { useKrbotProcesses } from "../helpers/process.ts";

const SECRET = "crash-burst-signing-secret-0123";
const BURST = 400;
const CONCURRENCY = 16;
/** Kill once this many check-ins have been acknowledged: well inside the burst. */
const KILL_AFTER_ACKS = 120;

async function post(url: string, text: string, trigger: string): Promise<{ status: number; text: string }> {
  const body = slashCommandBody({ text, trigger_id: trigger });
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": FORM_CONTENT_TYPE, ...signSlackRequest(SECRET, body) },
    body,
    signal: AbortSignal.timeout(5000),
  });
  return { status: res.status, text: await res.text() };
}

/** Opens the file as a restarted krbot would (recovering the WAL), checks it, and reads the request ids. */
function inspect(file: string): { integrity: string; requestIds: Set<string>; total: number } {
  const db = new Database(file);
  try {
    const integrity = db.pragma("integrity_check", { simple: true }) as string;
    const rows = db.prepare("select request_id from checkins").all() as { request_id: string }[];
    return { integrity, requestIds: new Set(rows.map((r) => r.request_id)), total: rows.length };
  } finally {
    db.close();
  }
}

describe("SIGKILL in the middle of a burst of check-ins", () => {
  const krbot = useKrbotProcesses({ after: "all", dirPrefix: "krbot-crash-burst-" });
  /** `npm start` serving Slack from `fake`, on the database in `dir` (a new one if none is given). */
  const startBot = async (fake: FakeSlack, dir?: string) => {
    const proc = await krbot.start({
      ...(dir ? { dir } : {}),
      env: {
        SLACK_BOT_TOKEN: "xoxb-crash-burst",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.apiUrl,
        KRBOT_ADMINS: "slack:U0ALICE",
        // One user sends the whole burst: the per-user limit would answer (200) without storing.
        KRBOT_RATE_LIMIT: "0",
      },
      ready: /listening for POST \/slack\/events/,
    });
    return { ...proc, url: `${proc.base}/slack/events` };
  };

  it("leaves an intact database holding every acknowledged check-in and nothing that was not sent", async () => {
    const fake = await startFakeSlack();
    krbot.onCleanup(() => fake.close());
    const bot = await startBot(fake);
    const db = bot.db;
    // Seed the workspace before the burst, so the burst is check-ins only.
    expect((await post(bot.url, "status", "crash-warm")).status).toBe(200);

    const sent = new Set<string>();
    const acked = new Set<string>();
    const failed: string[] = [];
    let next = 0;
    let killed = false;
    const kill = () => {
      if (killed) return;
      killed = true;
      bot.child.kill("SIGKILL");
    };
    const client = async () => {
      while (!killed && next < BURST) {
        const n = next++;
        const trigger = `crash-${n}`;
        const text =
          n % 2 === 0
            ? `update II.KR1 ${n % 101}% burst ${n}`
            : `update IV.KR2 trainers=${n % 40} teachers_reached=${n}`;
        sent.add(`slack:${trigger}`);
        const res = await post(bot.url, text, trigger).catch((err: unknown) => ({
          status: 0,
          text: String(err),
        }));
        if (res.status === 200) {
          // The answer must be the check-in itself (not an empty ack with the work still pending).
          expect(res.text, trigger).toContain("checked in");
          acked.add(`slack:${trigger}`);
          if (acked.size >= KILL_AFTER_ACKS) kill();
        } else if (!killed) {
          failed.push(`${trigger}: ${res.status} ${res.text.slice(0, 200)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, client));
    const { signal } = await bot.exited;

    expect(failed, "requests that failed before the kill").toEqual([]);
    expect(killed, "the burst ended before the kill").toBe(true);
    expect(signal).toBe("SIGKILL");
    expect(acked.size).toBeGreaterThanOrEqual(KILL_AFTER_ACKS);
    expect(sent.size).toBeLessThan(BURST);

    const after = inspect(db);
    expect(after.integrity).toBe("ok");
    expect(after.total, "check-in rows are one per request id").toBe(after.requestIds.size);
    const lost = [...acked].filter((id) => !after.requestIds.has(id));
    expect(lost, "acknowledged check-ins missing after the crash").toEqual([]);
    const unsent = [...after.requestIds].filter((id) => !sent.has(id));
    expect(unsent, "stored check-ins that were never sent").toEqual([]);
    const inFlight = after.requestIds.size - acked.size;
    console.log(
      `crash-burst: ${sent.size} sent, ${acked.size} acknowledged, ${after.requestIds.size} stored (${inFlight} of ${sent.size - acked.size} in flight at the kill)`,
    );

    // Restart on the same file: it serves, remembers the burst, and a redelivered request is not doubled.
    const again = await startBot(fake, bot.dir);
    const status = await post(again.url, "status II.KR1", "crash-after-status");
    expect(status.status).toBe(200);
    expect(status.text).toContain("II.KR1");
    const [firstAcked] = [...acked];
    const n = Number(firstAcked?.slice("slack:crash-".length));
    const redelivered = await post(
      again.url,
      n % 2 === 0
        ? `update II.KR1 ${n % 101}% burst ${n}`
        : `update IV.KR2 trainers=${n % 40} teachers_reached=${n}`,
      `crash-${n}`,
    );
    expect(redelivered.status).toBe(200);
    expect(redelivered.text).toContain("already recorded");
    again.child.kill("SIGTERM");
    expect((await again.exited).code).toBe(0);
    const final = inspect(db);
    expect(final.integrity).toBe("ok");
    expect(final.total).toBe(after.total);
  }, 30_000);
});
