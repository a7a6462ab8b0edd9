import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack-api.ts";
import { postToBolt, slashCommandBody } from "../../fakes/slack-signing.ts";
import { freePort, ROOT, waitForLog } from "../../helpers/process.ts";

const SECRET = "process-test-signing-secret";

describe("npm start with Slack configured", () => {
  let child: ChildProcess | undefined;
  let fake: FakeSlack | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    child?.kill("SIGKILL");
    await fake?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("serves /slack/events with stdin closed, answers /kr status for all 15 KRs, and stops on SIGTERM", async () => {
    fake = await startFakeSlack();
    dir = mkdtempSync(join(tmpdir(), "krbot-slack-proc-"));
    const port = await freePort();
    child = spawn(process.execPath, ["bin/krbot.js", "start"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: join(dir, "krbot.db"),
        SLACK_BOT_TOKEN: "xoxb-process-test",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: fake.apiUrl,
        PORT: String(port),
        LOG_LEVEL: "info",
      },
    });
    const started = await waitForLog(child, /listening for POST \/slack\/events/);
    expect(started).not.toContain("xoxb-process-test");
    expect(started).not.toContain(SECRET);

    await new Promise((r) => setTimeout(r, 300)); // still up with stdin closed
    expect(child.exitCode).toBeNull();
    const t0 = performance.now();
    const res = await postToBolt(
      `http://127.0.0.1:${port}/slack/events`,
      slashCommandBody({ text: "status" }),
      {
        secret: SECRET,
      },
    );
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(res.status).toBe(200);
    const lines = JSON.stringify(res.json()).match(/\*[IV]+\.KR\d /g) ?? [];
    expect(lines).toHaveLength(15);

    const exited = new Promise<number | null>((resolve) => child?.once("exit", (code) => resolve(code)));
    const stopAt = Date.now();
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(10_000);
  });
});
