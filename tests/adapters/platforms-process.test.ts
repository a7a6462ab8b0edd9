import { describe, expect, it } from "vitest";
import { chatInput, startFakeDiscord } from "../fakes/discord/index.ts";
import { startFakeSlack } from "../fakes/slack-api.ts";
import { postToBolt, slashCommandBody } from "../fakes/slack-signing.ts";
import { discordEnv } from "../helpers/discord-harness.ts";
import { useKrbotProcesses } from "../helpers/process.ts";

const SECRET = "both-platforms-signing-secret";

describe("npm start with Slack and Discord configured together", () => {
  const krbot = useKrbotProcesses({ dirPrefix: "krbot-both-" });

  it("connects to the gateway, registers /kr, serves both platforms from one store, and stops on SIGTERM", async () => {
    const slack = await startFakeSlack();
    krbot.onCleanup(() => slack.close());
    const discord = await startFakeDiscord();
    krbot.onCleanup(() => discord.close());
    const proc = await krbot.start({
      env: {
        SLACK_BOT_TOKEN: "xoxb-both-test",
        SLACK_SIGNING_SECRET: SECRET,
        SLACK_API_URL: slack.apiUrl,
        ...discordEnv(discord, "discord-bot-token-for-the-process-test"),
      },
    });
    const log = proc.log;
    expect(log).toContain("/kr is registered");
    expect(log).not.toContain("discord-bot-token-for-the-process-test");
    expect(log).not.toContain("xoxb-both-test");
    expect(discord.registeredCommands(discord.guildId)[0]?.name).toBe("kr");

    const d = discord.dispatchInteraction(chatInput("update", { kr: "IV.KR2", metrics: "trainers=7" }));
    expect((await discord.waitForCallback(d.id)).type).toBe(4);
    const status = discord.dispatchInteraction(chatInput("status"));
    const cb = await discord.waitForCallback(status.id);
    expect(JSON.stringify(cb.data).match(/\*\*[IV]+\.KR\d /g)).toHaveLength(15);

    const res = await postToBolt(`${proc.base}/slack/events`, slashCommandBody({ text: "status" }), {
      secret: SECRET,
    });
    expect(JSON.stringify(res.json()).match(/\*[IV]+\.KR\d /g)).toHaveLength(15);

    const stopped = await proc.terminate();
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
  });
});
