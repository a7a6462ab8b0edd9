// Installed first (it will also be a setupFile): no test here may reach beyond 127.0.0.1.
import "../helpers/loopback-guard.ts";

import net from "node:net";
import { verifySlackRequest } from "@slack/bolt";
import {
  ErrorCode,
  type Logger,
  LogLevel,
  type RetryOptions,
  type WebAPIHTTPError,
  type WebAPIPlatformError,
  WebClient,
  WebClientEvent,
} from "@slack/web-api";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { assertLoopbackGuardInstalled, isLoopbackHost } from "../helpers/loopback-guard.ts";
import { type FakeSlack, startFakeSlack } from "./slack-api.ts";
import { interactionBody, postToBolt, signSlackRequest, slashCommandBody } from "./slack-signing.ts";

const TOKEN = "xoxb-fake-token";
const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};
const quiet = { logger: silentLogger };

function client(fake: FakeSlack, retryConfig: RetryOptions = { retries: 0 }): WebClient {
  return new WebClient(TOKEN, { slackApiUrl: fake.apiUrl, retryConfig, ...quiet });
}

describe("fake Slack Web API", () => {
  let fake: FakeSlack;
  beforeEach(async () => {
    fake = await startFakeSlack();
  });
  afterEach(async () => {
    await fake.close();
  });

  it("records chat.postMessage from a real WebClient: form body, parsed blocks, bearer token", async () => {
    const blocks = [{ type: "section", text: { type: "mrkdwn", text: "*KR1* 40% → 55%" } }];
    const res = await client(fake).chat.postMessage({ channel: "C1", text: "KR1 40% → 55%", blocks });

    expect(res.ok).toBe(true);
    expect(res.channel).toBe("C1");
    expect(res.ts).toMatch(/^\d{10}\.\d{6}$/);
    expect(res.message?.text).toBe("KR1 40% → 55%");

    const call = await fake.waitForCall("chat.postMessage");
    expect(call.token).toBe(TOKEN);
    expect(call.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(call.contentType).toBe("application/x-www-form-urlencoded");
    expect(call.body.blocks).toEqual(blocks);
    expect(call.fields.blocks).toBe(JSON.stringify(blocks));
    expect(call.body.text).toBe("KR1 40% → 55%");

    const second = await client(fake).chat.postMessage({ channel: "C1", text: "again" });
    expect(Number(second.ts)).toBeGreaterThan(Number(res.ts));
    expect(fake.callsTo("chat.postMessage")).toHaveLength(2);
  });

  it("answers the default methods in Slack's shape", async () => {
    const web = client(fake);
    const auth = await web.auth.test();
    expect(auth).toMatchObject({ ok: true, team_id: "T0FAKE", user_id: "UBOT", bot_id: "BBOT" });

    const dm = await web.conversations.open({ users: "U42" });
    expect(dm.channel?.id).toBe("DU42");

    const eph = await web.chat.postEphemeral({ channel: "C1", user: "U42", text: "only you" });
    expect(eph.message_ts).toMatch(/^\d+\.\d+$/);

    const upd = await web.chat.update({ channel: "C1", ts: "1700000000.000100", text: "edited" });
    expect(upd).toMatchObject({ ok: true, channel: "C1", ts: "1700000000.000100" });

    const view = {
      type: "modal" as const,
      title: { type: "plain_text" as const, text: "Check in" },
      blocks: [],
    };
    const opened = await web.views.open({ trigger_id: "1.2.3", view });
    expect(opened.view?.id).toMatch(/^V/);
    expect(opened.view?.title?.text).toBe("Check in");
    expect(opened.view?.hash).toBeTruthy();
    expect(fake.callsTo("views.open")[0]?.body.view).toEqual(view);

    const updated = await web.views.update({ view_id: opened.view?.id as string, view });
    expect(updated.view?.id).toBe(opened.view?.id);
    const pushed = await web.views.push({ trigger_id: "1.2.3", view });
    expect(pushed.view?.id).not.toBe(opened.view?.id);
    const home = await web.views.publish({ user_id: "U42", view: { type: "home", blocks: [] } });
    expect(home.view?.type).toBe("home");

    await expect(web.apiCall("no.such.method")).rejects.toMatchObject({
      code: ErrorCode.PlatformError,
      data: { ok: false, error: "unknown_method" },
    });
  });

  it("users.info returns the default and the configured time zone", async () => {
    fake.setUser("U2", { tz: "America/New_York", name: "bob" });
    const web = client(fake);
    const alice = await web.users.info({ user: "U1" });
    expect(alice.user).toMatchObject({ id: "U1", tz: "Europe/Berlin", tz_offset: 3600 });
    const bob = await web.users.info({ user: "U2" });
    expect(bob.user).toMatchObject({ id: "U2", name: "bob", tz: "America/New_York" });
    expect([-18000, -14400]).toContain(bob.user?.tz_offset);
  });

  it("a queued 429 is honoured via Retry-After and the retry succeeds", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 1 });
    const web = client(fake, { retries: 1, factor: 1, minTimeout: 10, maxTimeout: 50 });
    const rateLimited: number[] = [];
    web.on(WebClientEvent.RATE_LIMITED, (secs: number) => rateLimited.push(secs));

    const started = Date.now();
    const res = await web.chat.postMessage({ channel: "C1", text: "hi" });
    const elapsed = Date.now() - started;

    expect(res.ok).toBe(true);
    expect(rateLimited).toEqual([1]);
    expect(elapsed).toBeGreaterThanOrEqual(950);
    const calls = fake.callsTo("chat.postMessage");
    expect(calls.map((c) => c.response.status)).toEqual([429, 200]);
    expect((calls[1]?.at ?? 0) - (calls[0]?.at ?? 0)).toBeGreaterThanOrEqual(950);
  });

  it("with retries: 0 a 429 rejects with a plain Error (not a WebAPI error)", async () => {
    fake.failNext("chat.postMessage", { status: 429, retryAfter: 0 });
    await expect(client(fake).chat.postMessage({ channel: "C1", text: "hi" })).rejects.toThrow(
      /A rate limit was exceeded/,
    );
  });

  it("a platform error rejects with ErrorCode.PlatformError and data.error", async () => {
    fake.failNext("chat.postMessage", { error: "not_in_channel" });
    const err = (await client(fake)
      .chat.postMessage({ channel: "C9", text: "hi" })
      .catch((e: unknown) => e)) as WebAPIPlatformError;
    expect(err.code).toBe(ErrorCode.PlatformError);
    expect(err.data.error).toBe("not_in_channel");
    expect(err.data.ok).toBe(false);
    // The failure was used up: the next call succeeds.
    await expect(client(fake).chat.postMessage({ channel: "C9", text: "hi" })).resolves.toMatchObject({
      ok: true,
    });
  });

  it("a 500 is surfaced as an HTTP error, and is retried when retries are allowed", async () => {
    fake.failNext("chat.postMessage", { status: 500 });
    const err = (await client(fake)
      .chat.postMessage({ channel: "C1", text: "hi" })
      .catch((e: unknown) => e)) as WebAPIHTTPError;
    expect(err.code).toBe(ErrorCode.HTTPError);
    expect(err.statusCode).toBe(500);
    expect(err.body).toEqual({ ok: false, error: "fake_http_500" });

    fake.reset();
    fake.failNext("chat.postMessage", { status: 500 });
    const res = await client(fake, { retries: 1, minTimeout: 10, maxTimeout: 10 }).chat.postMessage({
      channel: "C1",
      text: "hi",
    });
    expect(res.ok).toBe(true);
    expect(fake.callsTo("chat.postMessage").map((c) => c.response.status)).toEqual([500, 200]);
  });

  it("parses JSON bodies, reads a token field, and answers not_authed without one", async () => {
    const blocks = [{ type: "divider" }];
    const res = await fetch(`${fake.apiUrl}chat.postMessage`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", authorization: "Bearer xoxb-json" },
      body: JSON.stringify({ channel: "C1", text: "json", blocks }),
    });
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(await res.json()).toMatchObject({ ok: true, channel: "C1" });
    const call = await fake.waitForCall("chat.postMessage");
    expect(call).toMatchObject({ token: "xoxb-json", contentType: "application/json", body: { blocks } });

    const form = await fetch(`${fake.apiUrl}auth.test`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "token=xoxb-form",
    });
    expect(await form.json()).toMatchObject({ ok: true });
    expect(fake.callsTo("auth.test")[0]?.token).toBe("xoxb-form");

    const anon = await fetch(`${fake.apiUrl}auth.test`, { method: "POST" });
    expect(await anon.json()).toEqual({ ok: false, error: "not_authed" });
  });

  it("waitForCall waits for later calls and times out with the calls seen so far", async () => {
    const web = client(fake);
    const pending = fake.waitForCall("chat.postMessage", { count: 2 });
    await web.auth.test();
    await web.chat.postMessage({ channel: "C1", text: "one" });
    await web.chat.postMessage({ channel: "C1", text: "two" });
    expect((await pending).body.text).toBe("two");
    expect(await fake.waitForCalls("chat.postMessage", { count: 2 })).toHaveLength(2);

    await expect(fake.waitForCall("views.open", { timeoutMs: 50 })).rejects.toThrow(
      /timed out after 50ms waiting for 1 call\(s\) to views\.open \(got 0\); seen so far: auth\.test, chat\.postMessage, chat\.postMessage/,
    );

    fake.failNext("chat.update", { error: "message_not_found" });
    fake.reset();
    expect(fake.calls).toEqual([]);
    await expect(web.chat.update({ channel: "C1", ts: "1.2", text: "x" })).resolves.toMatchObject({
      ok: true,
    });
  });

  it("records JSON posted to a response_url and can fail it", async () => {
    const url = fake.responseUrl("cmd-1");
    expect(url).toBe(`http://127.0.0.1:${fake.port}/response/cmd-1`);
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ response_type: "ephemeral", text: "done" }),
    });
    expect(res.status).toBe(200);
    const got = await fake.waitForResponse("cmd-1");
    expect(got.body).toEqual({ response_type: "ephemeral", text: "done" });
    expect(got.contentType).toBe("application/json");

    fake.failNextResponse("cmd-1", { status: 404 });
    const failed = await fetch(url, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(failed.status).toBe(404);
    expect(fake.responsesTo("cmd-1")).toHaveLength(2);
    await expect(fake.waitForResponse("other", { timeoutMs: 30 })).rejects.toThrow(
      /seen so far: cmd-1, cmd-1/,
    );
  });

  it("takes a file through the external upload flow from filesUploadV2 (multipart bytes)", async () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 13, 10]);
    const res = await client(fake).filesUploadV2({
      channel_id: "C1",
      thread_ts: "1700000000.000100",
      initial_comment: "here",
      file: bytes,
      filename: "raw.bin",
      title: "Raw",
    });
    expect(res.ok).toBe(true);
    const asked = fake.callsTo("files.getUploadURLExternal")[0];
    expect(asked?.body).toMatchObject({ filename: "raw.bin", length: "8" });
    const fileId = String(asked?.response.body.file_id);
    expect(asked?.response.body.upload_url).toBe(`${fake.baseUrl}/upload/${fileId}`);
    expect(fake.uploadedFiles()).toEqual([
      {
        fileId,
        filename: "raw.bin",
        bytes,
        channelId: "C1",
        threadTs: "1700000000.000100",
        title: "Raw",
        initialComment: "here",
        altText: undefined,
        uploadContentType: "multipart/form-data",
      },
    ]);
    const completed = fake.callsTo("files.completeUploadExternal")[0];
    expect(completed?.body.files).toEqual([{ id: fileId, title: "Raw" }]);
    expect(completed?.response.body.files).toMatchObject([{ id: fileId, name: "raw.bin", size: 8 }]);
    fake.reset();
    expect(fake.uploadedFiles()).toEqual([]);
  });

  it("takes raw upload bodies and checks the flow's arguments as Slack does", async () => {
    const web = client(fake);
    await expect(web.files.getUploadURLExternal({ filename: "", length: 3 })).rejects.toMatchObject({
      data: { error: "invalid_arguments" },
    });
    await expect(
      web.apiCall("files.getUploadURLExternal", { filename: "a.txt", length: "lots" }),
    ).rejects.toMatchObject({ data: { error: "invalid_arguments" } });
    await expect(web.files.getUploadURLExternal({ filename: "a.txt", length: 0 })).rejects.toMatchObject({
      data: { error: "invalid_arguments" },
    });

    const got = await web.files.getUploadURLExternal({ filename: "a.txt", length: 3 });
    const fileId = got.file_id as string;
    // Completing before the bytes arrived: Slack has no such file yet.
    await expect(web.files.completeUploadExternal({ files: [{ id: fileId }] })).rejects.toMatchObject({
      data: { error: "file_not_found" },
    });
    fake.failNextUpload({ status: 500 });
    expect((await fetch(got.upload_url as string, { method: "POST", body: "abc" })).status).toBe(500);
    const put = await fetch(got.upload_url as string, {
      method: "POST",
      body: "abc",
      headers: { "content-type": "application/octet-stream" },
    });
    expect(put.status).toBe(200);
    const done = await web.files.completeUploadExternal({ files: [{ id: fileId }] });
    expect(done.files?.[0]?.title).toBe("a.txt");
    const [file] = fake.uploadedFiles();
    expect(file?.bytes.toString()).toBe("abc");
    expect(file?.channelId).toBeUndefined();
    expect(file?.uploadContentType).toBe("application/octet-stream");
    // A file is shared once.
    await expect(web.files.completeUploadExternal({ files: [{ id: fileId }] })).rejects.toMatchObject({
      data: { error: "file_not_found" },
    });

    const short = await web.files.getUploadURLExternal({ filename: "b.txt", length: 5 });
    await fetch(short.upload_url as string, { method: "POST", body: "abc" });
    await expect(
      web.files.completeUploadExternal({ files: [{ id: short.file_id as string }] }),
    ).rejects.toMatchObject({ data: { error: "invalid_arguments" } });
  });
});

describe("Slack request signing", () => {
  const secret = "8f742231b10e8888abcd99yyyzzz85a5";

  it("produces a signature Bolt's own verifySlackRequest accepts, and a wrong secret fails", () => {
    const body = slashCommandBody({ text: "update KR1 55" });
    const ts = Math.floor(Date.now() / 1000);
    const headers = signSlackRequest(secret, body, ts);
    expect(headers["x-slack-signature"]).toMatch(/^v0=[0-9a-f]{64}$/);
    expect(headers["x-slack-request-timestamp"]).toBe(String(ts));

    const asBolt = (h: typeof headers) => ({
      "x-slack-signature": h["x-slack-signature"],
      "x-slack-request-timestamp": Number(h["x-slack-request-timestamp"]),
    });
    expect(() => verifySlackRequest({ signingSecret: secret, body, headers: asBolt(headers) })).not.toThrow();
    expect(() =>
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: asBolt(signSlackRequest("wrong", body, ts)),
      }),
    ).toThrow(/signature mismatch/);
    expect(() =>
      verifySlackRequest({ signingSecret: secret, body: `${body} `, headers: asBolt(headers) }),
    ).toThrow(/signature mismatch/);
    expect(() =>
      verifySlackRequest({
        signingSecret: secret,
        body,
        headers: asBolt(signSlackRequest(secret, body, ts - 301)),
      }),
    ).toThrow(/stale/);
  });

  it("builds Slack's slash command and interaction bodies", () => {
    const body = slashCommandBody({ text: "status KR 1&2", response_url: "http://127.0.0.1:9/response/x" });
    expect(body.split("&").map((kv) => kv.split("=")[0])).toEqual([
      "token",
      "team_id",
      "team_domain",
      "channel_id",
      "channel_name",
      "user_id",
      "user_name",
      "command",
      "text",
      "api_app_id",
      "is_enterprise_install",
      "response_url",
      "trigger_id",
    ]);
    const parsed = new URLSearchParams(body);
    expect(parsed.get("command")).toBe("/kr");
    expect(parsed.get("text")).toBe("status KR 1&2");
    expect(parsed.get("is_enterprise_install")).toBe("false");
    expect(new URLSearchParams(slashCommandBody({ enterprise_id: "E1" })).get("enterprise_id")).toBe("E1");

    const payload = { type: "block_actions", actions: [{ action_id: "kr:update", value: "a b&c" }] };
    const form = interactionBody(payload);
    expect(form.startsWith("payload=")).toBe(true);
    expect(JSON.parse(new URLSearchParams(form).get("payload") as string)).toEqual(payload);
  });

  it("postToBolt sends the exact content type and valid signature headers", async () => {
    const fake = await startFakeSlack();
    try {
      const body = slashCommandBody({ text: "help" });
      const res = await postToBolt(fake.responseUrl("bolt"), body, { secret, timestamp: 1_700_000_000 });
      expect(res.status).toBe(200);
      expect(res.json()).toEqual({ ok: true });
      const got = await fake.waitForResponse("bolt");
      expect(got.headers["content-type"]).toBe("application/x-www-form-urlencoded");
      expect(got.rawBody).toBe(body);
      expect(got.headers["x-slack-request-timestamp"]).toBe("1700000000");
      expect(got.headers["x-slack-signature"]).toBe(
        signSlackRequest(secret, body, 1_700_000_000)["x-slack-signature"],
      );

      await postToBolt(fake.responseUrl("bolt"), body, { secret, signature: "v0=bad" });
      expect(fake.responsesTo("bolt")[1]?.headers["x-slack-signature"]).toBe("v0=bad");
    } finally {
      await fake.close();
    }
  });
});

describe("loopback guard", () => {
  it("is installed and classifies hosts", () => {
    expect(() => assertLoopbackGuardInstalled()).not.toThrow();
    for (const h of ["127.0.0.1", "::1", "[::1]", "localhost", "127.1.2.3", "::ffff:127.0.0.1"]) {
      expect(isLoopbackHost(h), h).toBe(true);
    }
    for (const h of ["203.0.113.1", "slack.com", "10.0.0.1", "0.0.0.0", "::", "localhost.example"]) {
      expect(isLoopbackHost(h), h).toBe(false);
    }
  });

  it("refuses net.connect to a non-loopback address with the guard's message", async () => {
    const message =
      "loopback guard: refused connection to 203.0.113.1:443 — tests may only talk to 127.0.0.1";
    const error = await new Promise<Error>((resolve) => {
      try {
        const socket = net.connect(443, "203.0.113.1");
        socket.once("error", resolve);
        socket.once("connect", () => {
          socket.destroy();
          resolve(new Error("connected!"));
        });
      } catch (e) {
        resolve(e as Error);
      }
    });
    expect(error.message).toBe(message);
    expect(() => net.connect({ host: "api.example.invalid", port: 443 })).toThrow(
      "loopback guard: refused connection to api.example.invalid:443",
    );
  });

  it("makes fetch and WebClient fail fast against non-loopback hosts", async () => {
    const fetched = await fetch("http://203.0.113.1:8080/api/auth.test").catch((e: unknown) => e as Error);
    expect((fetched as Error & { cause?: Error }).cause?.message).toMatch(
      /^loopback guard: refused connection to 203\.0\.113\.1:8080/,
    );

    const web = new WebClient(TOKEN, {
      slackApiUrl: "https://203.0.113.1/api/",
      retryConfig: { retries: 0 },
      ...quiet,
    });
    const err = (await web.auth.test().catch((e: unknown) => e)) as { code: string; original: Error };
    expect(err.code).toBe(ErrorCode.RequestError);
    expect(String((err.original as Error & { cause?: Error }).cause?.message)).toMatch(/^loopback guard/);
  });

  it("still allows connecting to the fake", async () => {
    const fake = await startFakeSlack();
    try {
      await new Promise<void>((resolve, reject) => {
        const socket = net.connect(fake.port, "127.0.0.1", () => {
          socket.destroy();
          resolve();
        });
        socket.once("error", reject);
      });
      await new Promise<void>((resolve, reject) => {
        const socket = net.connect({ port: fake.port, host: "localhost" }, () => {
          socket.destroy();
          resolve();
        });
        socket.once("error", reject);
      });
      const res = await fetch(`${fake.apiUrl}auth.test`, {
        method: "POST",
        headers: { authorization: "Bearer x" },
      });
      expect(await res.json()).toMatchObject({ ok: true, user_id: "UBOT" });
    } finally {
      await fake.close();
    }
  });
});
