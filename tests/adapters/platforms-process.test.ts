import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { chatInput, type FakeDiscord, startFakeDiscord } from "../fakes/discord/index.ts";
import { type FakeSlack, startFakeSlack } from "../fakes/slack-api.ts";
import { postToBolt, slashCommandBody } from "../fakes/slack-signing.ts";
import { freePort, ROOT, waitForLog } from "../helpers/process.ts";

const SECRET = "both-platforms-signing-secret";

describe("npm start with Slack and Discord configured together", () => {
  let child: ChildProcess | undefined;
  let slack: FakeSlack | undefined;
  let discord: FakeDiscord | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    child?.kill("SIGKILL");
    await discord?.close();
    await slack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("connects to the gateway, registers /kr, serves both platforms from one store, and stops on SIGTERM", async () => {
    slack = await startFakeSlack();
    discord = await startFakeDiscord();
    dir = mkdtempSync(join(tmpdir(), "krbot-both-"));
    const port = await freePort();
    child = spawn(process.execPath, ["bin/krbot.js", "start"], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        PATH: process.env.PATH,
        DATABASE_URL: join(dir, "krbot.db"),
        SLACK_BOT_TOKEN: "xoxb-both-test",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        PORT: String(port),
        DISCORD_TOKEN: "discord-bot-token-for-the-process-test",
        DISCORD_APPLICATION_ID: discord.applicationId,
        DISCORD_GUILD_ID: discord.guildId,
        DISCORD_API_URL: discord.apiUrl,
        LOG_LEVEL: "info",
      },
    });
    const log = await waitForLog(child, /krbot is running/);
    expect(log).toContain("/kr is registered");
    expect(log).not.toContain("discord-bot-token-for-the-process-test");
    expect(log).not.toContain("xoxb-both-test");
    expect(discord.registeredCommands(discord.guildId)[0]?.name).toBe("kr");

    const d = discord.dispatchInteraction(chatInput("update", { kr: "IV.KR2", metrics: "trainers=7" }));
    expect((await discord.waitForCallback(d.id)).type).toBe(4);
    const status = discord.dispatchInteraction(chatInput("status"));
    const cb = await discord.waitForCallback(status.id);
    expect(JSON.stringify(cb.data).match(/\*\*[IV]+\.KR\d /g)).toHaveLength(15);

    const res = await postToBolt(
      `http://127.0.0.1:${port}/slack/events`,
      slashCommandBody({ text: "status" }),
      {
        secret: SECRET,
      },
    );
    expect(JSON.stringify(res.json()).match(/\*[IV]+\.KR\d /g)).toHaveLength(15);

    const exited = new Promise<number | null>((resolve) => child?.once("exit", (code) => resolve(code)));
    const stopAt = Date.now();
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(10_000);
  });
});
