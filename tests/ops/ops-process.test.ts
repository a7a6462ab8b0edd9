import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { chatInput, startFakeDiscord } from "../fakes/discord/index.ts";
import { startFakeSlack } from "../fakes/slack-api.ts";
import { postToBolt, slashCommandBody } from "../fakes/slack-signing.ts";
import { discordEnv } from "../helpers/discord-harness.ts";
import { ROOT, useKrbotProcesses } from "../helpers/process.ts";

const SECRET = "ops-process-signing-secret";
const TOKEN = "xoxb-ops-process-token";
const run = promisify(execFile);

/** `PRAGMA integrity_check` and the number of stored check-ins, read-only. */
function inspect(file: string): { integrity: string; checkins: number } {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const integrity = db.pragma("integrity_check", { simple: true }) as string;
    const { n } = db.prepare("select count(*) as n from checkins").get() as { n: number };
    return { integrity, checkins: n };
  } finally {
    db.close();
  }
}

describe("operations while `npm start` serves Slack", () => {
  const krbot = useKrbotProcesses({ dirPrefix: "krbot-ops-" });

  it("backs up while check-ins are being written, serves /healthz and /metrics, and stops cleanly on SIGTERM", async () => {
    const fake = await startFakeSlack();
    krbot.onCleanup(() => fake.close());
    const proc = await krbot.start({
      env: {
        SLACK_BOT_TOKEN: TOKEN,
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.apiUrl,
        KRBOT_RATE_LIMIT: "0",
        KRBOT_ADMINS: "slack:U0ALICE",
      },
    });
    const { child, dir, env, base } = proc;

    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ ok: true, checks: { database: "ok" } });
    // A stray request Bolt does not route is a 404, not a crash.
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect(child.exitCode).toBeNull();

    // A writer: sequential signed check-ins, each with its own trigger id (so none is a replay).
    let acked = 0;
    let attempted = 0;
    let writing = true;
    const writer = (async () => {
      for (let i = 1; writing; i++) {
        attempted++;
        const res = await postToBolt(
          `${base}/slack/events`,
          slashCommandBody({ text: `update IV.KR2 trainers=${i} ops test`, trigger_id: `ops-trig-${i}` }),
          { secret: SECRET },
        ).catch(() => undefined);
        if (res?.status === 200 && res.text.includes("checked in IV.KR2")) acked++;
      }
    })();
    const until = async (n: number) => {
      while (acked < n) await new Promise((r) => setTimeout(r, 10));
    };
    await until(10);

    const backupFile = join(dir, "backups", "krbot-copy.db");
    const ackedBefore = acked;
    const backup = await run(process.execPath, ["bin/krbot.js", "backup", backupFile], { cwd: ROOT, env });
    expect(backup.stderr).toContain(`to ${backupFile}`);
    const ackedAfter = acked;
    await until(ackedAfter + 5); // still writing after the backup

    const copy = inspect(backupFile);
    expect(copy.integrity).toBe("ok");
    expect(copy.checkins).toBeGreaterThanOrEqual(ackedBefore);
    expect(copy.checkins).toBeLessThanOrEqual(ackedAfter + 1);

    const metrics = await (await fetch(`${base}/metrics`)).text();
    const updates = Number(
      /^krbot_commands_total\{command="update",outcome="ok",platform="slack"\} (\d+)$/m.exec(metrics)?.[1],
    );
    expect(updates).toBeGreaterThanOrEqual(ackedAfter + 5);
    expect(metrics).toMatch(/^krbot_command_duration_seconds_count\{command="update"\} \d+$/m);
    expect(metrics).toMatch(/^krbot_outbox_depth\{status="pending"\} 0$/m);
    expect(metrics).toMatch(/^krbot_scheduler_lag_seconds \d/m);

    // SIGTERM in the middle of the writes.
    const stopped = await proc.terminate();
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
    writing = false;
    await writer;

    const db = inspect(proc.db);
    expect(db.integrity).toBe("ok");
    // Every acknowledged check-in is stored; at most the one in flight at SIGTERM is stored unacknowledged.
    expect(db.checkins).toBeGreaterThanOrEqual(acked);
    expect(db.checkins).toBeLessThanOrEqual(attempted);
    const stderr = proc.stderr();
    expect(stderr).not.toContain(TOKEN);
    expect(stderr).not.toContain(SECRET);
    expect(stderr).not.toContain("ops test"); // no payloads (the check-in note) in the logs
  });

  it("serves /healthz and /metrics on PORT from a small server of its own when only Discord runs", async () => {
    const discord = await startFakeDiscord();
    krbot.onCleanup(() => discord.close());
    const proc = await krbot.start({
      env: {
        ...discordEnv(discord, "discord-bot-token-for-the-ops-test"),
      },
    });
    const log = proc.log;
    expect(log).toContain("ops: serving GET /healthz and /metrics");
    const base = proc.base;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true, checks: { database: "ok" } });
    expect((await fetch(`${base}/slack/events`, { method: "POST" })).status).toBe(404);

    const status = discord.dispatchInteraction(chatInput("status"));
    await discord.waitForCallback(status.id);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('krbot_commands_total{command="status",outcome="ok",platform="discord"} 1');

    expect((await proc.terminate()).code).toBe(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
  });
});
