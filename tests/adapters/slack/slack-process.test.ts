import { describe, expect, it } from "vitest";
import { startFakeSlack } from "../../fakes/slack-api.ts";
import { postToBolt, slashCommandBody } from "../../fakes/slack-signing.ts";
import { useKrbotProcesses } from "../../helpers/process.ts";

const SECRET = "process-test-signing-secret";

describe("npm start with Slack configured", () => {
  const krbot = useKrbotProcesses({ dirPrefix: "krbot-slack-proc-" });

  it("serves /slack/events with stdin closed, answers /kr status for all 15 KRs, and stops on SIGTERM", async () => {
    const fake = await startFakeSlack();
    krbot.onCleanup(() => fake.close());
    const proc = await krbot.start({
      env: { SLACK_BOT_TOKEN: "xoxb-process-test", SLACK_SIGNING_SECRET: SECRET, SLACK_API_URL: fake.apiUrl },
      ready: /listening for POST \/slack\/events/,
    });
    const started = proc.log;
    expect(started).not.toContain("xoxb-process-test");
    expect(started).not.toContain(SECRET);

    await new Promise((r) => setTimeout(r, 300)); // still up with stdin closed
    expect(proc.child.exitCode).toBeNull();
    const t0 = performance.now();
    const res = await postToBolt(`${proc.base}/slack/events`, slashCommandBody({ text: "status" }), {
      secret: SECRET,
    });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(res.status).toBe(200);
    const lines = JSON.stringify(res.json()).match(/\*[IV]+\.KR\d /g) ?? [];
    expect(lines).toHaveLength(15);

    const stopped = await proc.terminate();
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(10_000);
  });
});
