/**
 * The gateway WebSocket side: HELLO on connect, heartbeat ACKs, IDENTIFY answered with READY and one
 * GUILD_CREATE per guild (or closed with 4004 / 4014), RESUME answered with RESUMED (or INVALID_SESSION),
 * and numbered dispatches on the ready session.
 */
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { guildCreate, isObject } from "./objects.ts";
import { GATEWAY_PATH, Op, PRIVILEGED_INTENTS } from "./protocol.ts";
import type { FakeState } from "./state.ts";
import type { GatewayIdentify, GatewayPayload } from "./types.ts";

/** Sends a payload if the socket is still open. */
export function send(ws: WebSocket, payload: GatewayPayload): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(payload));
}

/** Sends an op 0 dispatch with the next sequence number; returns that number. */
export function sendDispatch(state: FakeState, ws: WebSocket, t: string, d: unknown): number {
  state.sequence += 1;
  send(ws, { op: Op.Dispatch, t, s: state.sequence, d });
  return state.sequence;
}

const tokenOk = (state: FakeState, token: unknown) =>
  typeof token === "string" && token !== "" && (state.opts.token === undefined || token === state.opts.token);

function onGatewayMessage(state: FakeState, ws: WebSocket, data: RawData): void {
  let payload: GatewayPayload;
  try {
    payload = JSON.parse(data.toString()) as GatewayPayload;
  } catch {
    ws.close(4002, "Error while decoding payload.");
    return;
  }
  state.gatewayReceived.push(payload);
  switch (payload.op) {
    case Op.Heartbeat:
      state.heartbeatCount++;
      send(ws, { op: Op.HeartbeatAck, d: null });
      break;
    case Op.Identify: {
      const d = (isObject(payload.d) ? payload.d : {}) as GatewayIdentify;
      state.identify = d;
      if (!tokenOk(state, d.token)) {
        ws.close(4004, "Authentication failed.");
        break;
      }
      if (!state.opts.allowPrivilegedIntents && (Number(d.intents) & PRIVILEGED_INTENTS) !== 0) {
        ws.close(4014, "Disallowed intent(s).");
        break;
      }
      state.active = ws;
      state.sessionId = randomBytes(16).toString("hex");
      state.sequence = 0;
      sendDispatch(state, ws, "READY", {
        v: 10,
        user: state.botUser,
        user_settings: {},
        guilds: state.guilds.map((g) => ({ id: g.id, unavailable: true })),
        session_id: state.sessionId,
        session_type: "normal",
        resume_gateway_url: state.gatewayUrl,
        application: { id: state.applicationId, flags: 0 },
        shard: [0, 1],
        private_channels: [],
        relationships: [],
        presences: [],
        guild_join_requests: [],
        geo_ordered_rtc_regions: [],
        auth: {},
      });
      for (const g of state.guilds) {
        sendDispatch(state, ws, "GUILD_CREATE", guildCreate(g, state.defaultUser.id, state.locale));
      }
      state.readyCount++;
      state.notify();
      break;
    }
    case Op.Resume: {
      const d = isObject(payload.d) ? payload.d : {};
      if (!tokenOk(state, d.token)) {
        ws.close(4004, "Authentication failed.");
      } else if (d.session_id === state.sessionId && state.sessionId !== "") {
        state.active = ws;
        sendDispatch(state, ws, "RESUMED", {});
      } else {
        send(ws, { op: Op.InvalidSession, d: false });
      }
      state.notify();
      break;
    }
    default:
      // Presence updates, member requests, voice: recorded, not answered.
      break;
  }
}

/** Serves the gateway on `server`'s upgrades to GATEWAY_PATH; returns the WebSocket server to close. */
export function attachGateway(state: FakeState, server: Server): WebSocketServer {
  const wss = new WebSocketServer({ noServer: true });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (url.pathname !== GATEWAY_PATH || state.closed) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      state.gatewayConnections.push({ query: Object.fromEntries(url.searchParams), at: Date.now() });
      ws.on("message", (data) => onGatewayMessage(state, ws, data));
      ws.on("close", () => {
        if (state.active === ws) state.active = undefined;
      });
      ws.on("error", () => {});
      send(ws, {
        op: Op.Hello,
        d: { heartbeat_interval: state.heartbeatInterval, _trace: ["fake-discord"] },
      });
      state.notify();
    });
  });
  return wss;
}
