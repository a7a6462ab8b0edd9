/**
 * A local fake of Discord — REST API v10 and the gateway WebSocket on one loopback port — that the real
 * discord.js client logs in to. Give the client `rest: { api: fake.apiUrl, retries: 0 }`; it learns the
 * gateway URL from `GET /gateway/bot`.
 *
 * Every REST call is recorded (`calls`); interaction callbacks, originals and follow-ups are checked like
 * Discord checks them (unknown / already acknowledged / expired interactions, empty messages, embed and
 * modal limits, command shapes) and answered with Discord's error codes. Failures (429 with Retry-After,
 * 5xx, any API error) can be queued per route with `failNext`. The gateway sends HELLO, ACKs heartbeats,
 * answers IDENTIFY with READY and one GUILD_CREATE per guild, RESUME with RESUMED, and `dispatchInteraction`
 * sends INTERACTION_CREATE payloads built by `chatInput`, `autocomplete`, `button`, `stringSelect` and
 * `modalSubmit`. No compression is negotiated (discord.js only asks for it when zlib-sync is installed).
 */
import { createServer } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { attachGateway, send, sendDispatch } from "./gateway.ts";
import { dispatchInteraction } from "./interactions.ts";
import { Op } from "./protocol.ts";
import { createRestHandler } from "./rest.ts";
import { describeCalls, methodMatches, toMatcher } from "./routing.ts";
import { FakeState } from "./state.ts";
import type { FakeDiscord, FakeDiscordOptions } from "./types.ts";

export { autocomplete, button, chatInput, modalSubmit, stringSelect } from "./builders.ts";
export { DISCORD_LIMITS } from "./limits.ts";
export { snowflake } from "./objects.ts";
export type {
  ChatInputOption,
  ChatInputOptions,
  DispatchedInteraction,
  FakeDiscord,
  FakeDiscordCall,
  FakeDiscordFailure,
  FakeDiscordFile,
  FakeDiscordMessage,
  FakeDiscordOptions,
  FakeDiscordUser,
  FakeGuild,
  FakeInteractionCallback,
  GatewayConnectionInfo,
  GatewayIdentify,
  GatewayPayload,
  InteractionInput,
  JsonObject,
  RegisteredCommand,
  UserInput,
  WaitOptions,
} from "./types.ts";

/** Starts the fake on 127.0.0.1 (port 0). */
export async function startFakeDiscord(opts: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const state = new FakeState(opts);
  const answerRest = createRestHandler(state);

  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    answerRest(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `fake Discord error: ${String(err)}`, code: 0 }));
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  const wss = attachGateway(state, server);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  state.port = port;
  const baseUrl = `http://127.0.0.1:${port}`;

  const fake: FakeDiscord = {
    apiUrl: `${baseUrl}/api`,
    baseUrl,
    gatewayUrl: state.gatewayUrl,
    port,
    applicationId: state.applicationId,
    botUser: state.botUser,
    defaultUser: state.defaultUser,
    guilds: state.guilds,
    guildId: state.firstGuild.id,
    channelId: state.firstGuild.textChannelId,
    calls: state.calls,
    callbacks: state.callbacks,
    messages: state.messages,
    get identify() {
      return state.identify;
    },
    gatewayReceived: state.gatewayReceived,
    gatewayConnections: state.gatewayConnections,
    get heartbeatCount() {
      return state.heartbeatCount;
    },
    callsTo(method, pathPattern) {
      const match = toMatcher(pathPattern);
      return state.calls.filter(
        (c) => methodMatches(method, c.method) && match(c.path) && c.response.status !== 0,
      );
    },
    waitForCall(method, pathPattern, { timeoutMs = 3000, count = 1 } = {}) {
      return state.waitFor(
        () => fake.callsTo(method, pathPattern)[count - 1],
        timeoutMs,
        () =>
          `call #${count} to ${method} ${String(pathPattern)} (calls so far: ${describeCalls(state.calls)})`,
      );
    },
    failNext(method, pathPattern, failure) {
      state.failures.push({ method, match: toMatcher(pathPattern), failure });
    },
    blockDms(userId) {
      state.blockedDms.add(userId);
    },
    denyChannel(channelId) {
      state.deniedChannels.add(channelId);
    },
    registeredCommands(guildId) {
      return guildId === undefined
        ? [...state.globalCommands]
        : [...(state.guildCommands.get(guildId) ?? [])];
    },
    originalMessage(token) {
      return state.byToken.get(token)?.original;
    },
    waitForReady({ timeoutMs = 5000, count = 1 } = {}) {
      return state
        .waitFor(
          () => (state.readyCount >= count ? true : undefined),
          timeoutMs,
          () =>
            `READY #${count} (gateway connections: ${state.gatewayConnections.length}, identify: ${state.identify ? "received" : "none"}; REST calls: ${describeCalls(state.calls)})`,
        )
        .then(() => undefined);
    },
    dispatchInteraction: (input) => dispatchInteraction(state, input),
    dispatch(event, data) {
      const active = state.active;
      if (!active || active.readyState !== active.OPEN) {
        throw new Error("fake Discord: no ready gateway session — await waitForReady() first");
      }
      return sendDispatch(state, active, event, data);
    },
    waitForCallback(interactionId, { timeoutMs = 3000, count = 1 } = {}) {
      return state.waitFor(
        () => state.callbacks.filter((c) => c.interactionId === interactionId)[count - 1],
        timeoutMs,
        () =>
          `callback #${count} for interaction ${interactionId} (callback calls: ${describeCalls(
            state.calls.filter((c) => c.path.startsWith(`/interactions/${interactionId}/`)),
          )})`,
      );
    },
    requestReconnect() {
      const active = state.active;
      if (!active) throw new Error("fake Discord: no gateway session to reconnect");
      send(active, { op: Op.Reconnect, d: null });
    },
    reset() {
      state.calls.length = 0;
      state.callbacks.length = 0;
      state.messages.length = 0;
      state.failures.length = 0;
      state.gatewayReceived.length = 0;
    },
    async close() {
      if (state.closed) return;
      state.closed = true;
      for (const w of state.waiters) w.fail(new Error("fake Discord closed while waiting"));
      state.waiters.clear();
      for (const client of wss.clients) client.terminate();
      state.active = undefined;
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}
