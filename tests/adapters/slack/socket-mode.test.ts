import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SlackAdapter } from "../../../src/adapters/slack/index.ts";
import { silentLogger } from "../../../src/core/logger.ts";
import { type FakeSlack, startFakeSlack } from "../../fakes/slack-api.ts";
import { type FakeSocketMode, startFakeSocketMode } from "../../fakes/slack-socket-mode.ts";
import { createTestApp } from "../../helpers/app.ts";

interface SlackBlock {
  type: string;
  text?: { text: string };
}

interface CommandAck {
  response_type?: string;
  text?: string;
  blocks?: SlackBlock[];
}

describe("Slack adapter in Socket Mode", () => {
  let fake: FakeSlack;
  let socket: FakeSocketMode;
  let app: ReturnType<typeof createTestApp>;
  let adapter: SlackAdapter;
  let stopped = false;
  let trigger = 0;

  beforeAll(async () => {
    [fake, socket] = await Promise.all([startFakeSlack(), startFakeSocketMode()]);
    fake.setHandler("apps.connections.open", () => ({ ok: true, url: socket.url }));
    app = createTestApp({ now: new Date("2022-01-01T00:00:00Z") });
    adapter = new SlackAdapter({
      botToken: "xoxb-test",
      appToken: "xapp-test",
      apiUrl: fake.apiUrl,
      port: 0,
      log: silentLogger,
      retryConfig: { retries: 0 },
    });
    await adapter.start(app.core);
  });
  afterAll(async () => {
    if (!stopped) await adapter?.stop();
    await socket?.close();
    await fake?.close();
    app?.close();
  });

  /** A `slash_commands` envelope payload shaped like Slack's (JSON, all values strings). */
  const slashPayload = (text: string) => {
    trigger += 1;
    return {
      token: "legacy-verification-token",
      team_id: "T0FAKE",
      team_domain: "fake-team",
      channel_id: "C0GENERAL",
      channel_name: "general",
      user_id: "U0ALICE",
      user_name: "alice",
      command: "/kr",
      text,
      api_app_id: "A0FAKE",
      is_enterprise_install: "false",
      response_url: fake.responseUrl("sm"),
      trigger_id: `1700000000.100000000.socketmode${trigger}`,
    };
  };
  const slash = async (text: string) => {
    const ack = await socket.dispatch("slash_commands", slashPayload(text));
    return ack.payload as CommandAck;
  };
  const kr = async (code: string) => {
    const ws = await app.store.workspaces.find({ platform: "slack", id: "T0FAKE" });
    return (await app.store.keyResults.list(ws?.id as number)).find((k) => k.code === code);
  };

  it("connects with the app token via apps.connections.open on the fake Web API", async () => {
    await socket.waitForConnection();
    const opens = fake.callsTo("apps.connections.open");
    expect(opens).toHaveLength(1);
    expect(opens[0]?.token).toBe("xapp-test");
    expect(socket.connectionCount).toBe(1);
    expect(socket.openConnections).toBe(1);
  });

  it("acks /kr status with Block Kit for all 15 KRs in the ack payload", async () => {
    const started = performance.now();
    const body = await slash("status");
    expect(performance.now() - started).toBeLessThan(3000);
    expect(body.response_type).toBe("ephemeral");
    expect(body.text).toContain("15 key results");
    const sections = (body.blocks ?? []).filter((b) => b.type === "section").map((b) => b.text?.text ?? "");
    const lines = sections.filter((t) => /\*[IV]+\.KR\d /.test(t));
    expect(lines).toHaveLength(15);
    expect(lines[10]).toContain("*IV.KR2 ");
    expect((body.blocks ?? []).filter((b) => b.type === "header")).toHaveLength(6);
    // Answered in the ack: nothing went to response_url.
    expect(fake.responsesTo("sm")).toHaveLength(0);
  });

  it("records /kr update from an envelope and acks in the channel", async () => {
    const body = await slash("update IV.KR2 trainers=12");
    expect(body.response_type).toBe("in_channel");
    expect(body.text).toContain("checked in IV.KR2");
    const row = await kr("IV.KR2");
    expect(row?.metrics.find((m) => m.key === "trainers")?.current).toBe(12);
    // Web API calls made while handling the command use the bot token.
    const info = fake.callsTo("users.info");
    expect(info[0]?.token).toBe("xoxb-test");
    expect(info[0]?.body.user).toBe("U0ALICE");
  });

  it("has closed the socket when stop() resolves, and does not reconnect", async () => {
    await adapter.stop();
    stopped = true;
    // The client has sent its close frame by now; the server notices within a moment.
    await socket.waitForDisconnect({ timeoutMs: 200 });
    expect(socket.openConnections).toBe(0);
    await new Promise((r) => setTimeout(r, 200));
    expect(socket.connectionCount).toBe(1);
    expect(fake.callsTo("apps.connections.open")).toHaveLength(1);
    expect(fake.calls.filter((c) => c.token === "xapp-test").map((c) => c.method)).toEqual([
      "apps.connections.open",
    ]);
  });
});
