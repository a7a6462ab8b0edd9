/**
 * A local fake of Slack's Socket Mode WebSocket endpoint, for integration tests. No dependencies: an RFC 6455
 * server on node:http's `upgrade` event, just enough for `@slack/socket-mode` (undici's WebSocket).
 *
 * Have the fake Web API answer `apps.connections.open` with `{ ok: true, url: fake.url }`. On every new
 * connection the fake sends Slack's `hello`; it answers pings with pongs and close frames with a close
 * frame. `dispatch()` sends an envelope and resolves with the client's ack for it.
 */
import { createHash, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo, Socket } from "node:net";

/** An envelope as Slack sends it over Socket Mode. */
export interface SocketModeEnvelope {
  envelope_id: string;
  type: string;
  payload: unknown;
  accepts_response_payload: boolean;
  retry_attempt: number;
  retry_reason: string;
}

/** What a client sends back for an envelope: `{ envelope_id, payload? }`. */
export interface SocketModeAck {
  envelope_id: string;
  payload?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface DispatchOptions {
  /** Default a random UUID. */
  envelopeId?: string;
  /** How long to wait for the ack. Default 3000 (Slack's own budget). */
  timeoutMs?: number;
  /** Default true. */
  acceptsResponsePayload?: boolean;
  /** Default 0. */
  retryAttempt?: number;
  /** Default "". */
  retryReason?: string;
}

export interface FakeSocketMode {
  /** `ws://127.0.0.1:<port>/link` — answer `apps.connections.open` with this. */
  readonly url: string;
  readonly port: number;
  /** Every text message a client sent, parsed as JSON (unparseable text is kept as a string), in order. */
  readonly messages: unknown[];
  /** Connections accepted so far (open or closed). */
  readonly connectionCount: number;
  /** Connections open right now. */
  readonly openConnections: number;
  /** Resolves once `count` connections (default 1) have been accepted since start. */
  waitForConnection(opts?: { count?: number; timeoutMs?: number }): Promise<void>;
  /** Resolves once no connection is open (after at least one was accepted). */
  waitForDisconnect(opts?: { timeoutMs?: number }): Promise<void>;
  /** Sends `message` as JSON on the newest open connection. */
  send(message: unknown): void;
  /** Sends a ping frame on the newest open connection. */
  ping(data?: string): void;
  /** Sends an envelope and resolves with the client's ack for its envelope id. */
  dispatch(type: string, payload: unknown, opts?: DispatchOptions): Promise<SocketModeAck>;
  /** Closes every connection (close frame 1001, then the socket) and the server. */
  close(): Promise<void>;
}

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

const OP = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8, ping: 0x9, pong: 0xa } as const;

/** An unmasked server frame (FIN set) with 7-bit, 16-bit or 64-bit length. */
export function encodeFrame(opcode: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const len = payload.length;
  let header: Buffer;
  if (len < 126) {
    header = Buffer.from([0x80 | opcode, len]);
  } else if (len < 0x10000) {
    header = Buffer.alloc(4);
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(len, 2);
  } else {
    header = Buffer.alloc(10);
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeBigUInt64BE(BigInt(len), 2);
  }
  return Buffer.concat([header, payload]);
}

interface Frame {
  fin: boolean;
  opcode: number;
  payload: Buffer;
}

/** Takes one complete frame off the front of `buf`, or returns undefined when more bytes are needed. */
function decodeFrame(buf: Buffer): { frame: Frame; rest: Buffer } | undefined {
  if (buf.length < 2) return undefined;
  const b0 = buf[0] as number;
  const b1 = buf[1] as number;
  const masked = (b1 & 0x80) !== 0;
  let len = b1 & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return undefined;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return undefined;
    const big = buf.readBigUInt64BE(2);
    if (big > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("fake socket mode: frame too large");
    len = Number(big);
    offset = 10;
  }
  const maskOffset = offset;
  if (masked) offset += 4;
  if (buf.length < offset + len) return undefined;
  const payload = Buffer.from(buf.subarray(offset, offset + len));
  if (masked) {
    for (let i = 0; i < payload.length; i++) {
      payload[i] = (payload[i] as number) ^ (buf[maskOffset + (i % 4)] as number);
    }
  }
  return { frame: { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, payload }, rest: buf.subarray(offset + len) };
}

interface Connection {
  socket: Socket;
  open: boolean;
  closeSent: boolean;
  sendText(text: string): void;
  sendClose(code: number): void;
}

interface Waiter {
  check: () => boolean;
}

function parseMessage(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function envelopeIdOf(message: unknown): string | undefined {
  if (message === null || typeof message !== "object") return undefined;
  const id = (message as { envelope_id?: unknown }).envelope_id;
  return typeof id === "string" ? id : undefined;
}

export async function startFakeSocketMode(): Promise<FakeSocketMode> {
  const messages: unknown[] = [];
  const connections: Connection[] = [];
  const sockets = new Set<Socket>();
  const waiters = new Set<Waiter>();
  let accepted = 0;

  const notify = () => {
    for (const w of [...waiters]) w.check();
  };

  const waitUntil = (what: string, done: () => boolean, timeoutMs: number, seen: () => string) =>
    new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        check: () => {
          if (!done()) return false;
          waiters.delete(waiter);
          clearTimeout(timer);
          resolve();
          return true;
        },
      };
      const timer = setTimeout(() => {
        waiters.delete(waiter);
        reject(new Error(`fake socket mode: timed out after ${timeoutMs}ms waiting for ${what}; ${seen()}`));
      }, timeoutMs);
      waiters.add(waiter);
      waiter.check();
    });

  const summary = () =>
    `${accepted} connection(s) accepted, ${openCount()} open, ${messages.length} message(s) received`;
  const openCount = () => connections.filter((c) => c.open).length;
  const newest = (): Connection => {
    const conn = connections.findLast((c) => c.open);
    if (!conn) throw new Error(`fake socket mode: no open connection (${summary()})`);
    return conn;
  };

  const accept = (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const key = req.headers["sec-websocket-key"];
    const upgrade = req.headers.upgrade ?? "";
    const path = new URL(req.url ?? "/", "http://127.0.0.1").pathname;
    if (typeof key !== "string" || upgrade.toLowerCase() !== "websocket" || path !== "/link") {
      socket.end("HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    const acceptKey = createHash("sha1")
      .update(key + GUID)
      .digest("base64");
    socket.setNoDelay(true);
    socket.write(
      "HTTP/1.1 101 Switching Protocols\r\n" +
        "Upgrade: websocket\r\n" +
        "Connection: Upgrade\r\n" +
        `Sec-WebSocket-Accept: ${acceptKey}\r\n\r\n`,
    );

    const conn: Connection = {
      socket,
      open: true,
      closeSent: false,
      sendText(text) {
        if (this.open && !this.closeSent) socket.write(encodeFrame(OP.text, Buffer.from(text, "utf8")));
      },
      sendClose(code) {
        if (this.closeSent || socket.destroyed) return;
        this.closeSent = true;
        const body = Buffer.alloc(2);
        body.writeUInt16BE(code, 0);
        socket.write(encodeFrame(OP.close, body));
      },
    };
    connections.push(conn);
    accepted += 1;

    let buffered: Buffer = Buffer.from(head);
    let fragments: Buffer[] = [];
    let fragmentOpcode = 0;

    const onFrame = ({ fin, opcode, payload }: Frame) => {
      switch (opcode) {
        case OP.ping:
          if (!conn.closeSent) socket.write(encodeFrame(OP.pong, payload));
          return;
        case OP.pong:
          return;
        case OP.close: {
          // Echo the close (RFC 6455 §5.5.1), then end the TCP connection from our side.
          const code = payload.length >= 2 ? payload.readUInt16BE(0) : 1000;
          conn.sendClose(code);
          socket.end();
          return;
        }
        case OP.text:
        case OP.binary:
          fragmentOpcode = opcode;
          fragments = [payload];
          break;
        case OP.continuation:
          fragments.push(payload);
          break;
        default:
          conn.sendClose(1002);
          socket.end();
          return;
      }
      if (!fin) return;
      const data = Buffer.concat(fragments);
      fragments = [];
      if (fragmentOpcode === OP.text) messages.push(parseMessage(data.toString("utf8")));
      else messages.push(data);
      notify();
    };

    const onData = (chunk: Buffer) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      for (;;) {
        let decoded: ReturnType<typeof decodeFrame>;
        try {
          decoded = decodeFrame(buffered);
        } catch {
          socket.destroy();
          return;
        }
        if (!decoded) return;
        buffered = decoded.rest;
        onFrame(decoded.frame);
      }
    };

    socket.on("data", onData);
    socket.on("error", () => socket.destroy());
    socket.on("close", () => {
      conn.open = false;
      notify();
    });

    conn.sendText(
      JSON.stringify({
        type: "hello",
        num_connections: 1,
        connection_info: { app_id: "A0FAKE" },
        debug_info: { host: "fake", approximate_connection_time: 3600 },
      }),
    );
    notify();
    if (buffered.length > 0) onData(Buffer.alloc(0));
  };

  const server = createServer((_req, res) => {
    res.writeHead(426, { "content-type": "text/plain", connection: "close" });
    res.end("fake socket mode: WebSocket upgrade required\n");
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("upgrade", accept);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;

  const fake: FakeSocketMode = {
    url: `ws://127.0.0.1:${port}/link`,
    port,
    messages,
    get connectionCount() {
      return accepted;
    },
    get openConnections() {
      return openCount();
    },
    waitForConnection(o = {}) {
      const count = o.count ?? 1;
      return waitUntil(`${count} connection(s)`, () => accepted >= count, o.timeoutMs ?? 2000, summary);
    },
    waitForDisconnect(o = {}) {
      return waitUntil(
        "every connection to close",
        () => accepted > 0 && openCount() === 0,
        o.timeoutMs ?? 2000,
        summary,
      );
    },
    send(message) {
      newest().sendText(JSON.stringify(message));
    },
    ping(data = "") {
      newest().socket.write(encodeFrame(OP.ping, Buffer.from(data, "utf8")));
    },
    async dispatch(type, payload, o = {}) {
      const envelope: SocketModeEnvelope = {
        envelope_id: o.envelopeId ?? randomUUID(),
        type,
        payload,
        accepts_response_payload: o.acceptsResponsePayload ?? true,
        retry_attempt: o.retryAttempt ?? 0,
        retry_reason: o.retryReason ?? "",
      };
      const id = envelope.envelope_id;
      const from = messages.length;
      const ackFor = () =>
        messages.slice(from).find((m) => envelopeIdOf(m) === id) as SocketModeAck | undefined;
      const conn = newest();
      const waiting = waitUntil(
        `the ack of envelope ${id} (${type})`,
        () => ackFor() !== undefined,
        o.timeoutMs ?? 3000,
        summary,
      );
      conn.sendText(JSON.stringify(envelope));
      await waiting;
      return ackFor() as SocketModeAck;
    },
    close() {
      return new Promise<void>((resolve) => {
        for (const conn of connections) conn.sendClose(1001);
        for (const s of sockets) s.destroy();
        sockets.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return fake;
}
