/**
 * Side-effect module: once imported, any TCP connection to a host other than loopback throws at once, so a
 * test can never silently reach (or hang on) a real platform. Covers `net.connect`, `tls.connect`, `http`,
 * `https` and global `fetch` (all end in `net.Socket.prototype.connect`). UNIX-socket / IPC connects are
 * allowed. Hostnames other than `localhost` are refused without being resolved.
 */
import net from "node:net";

const MARK = Symbol.for("krbot.tests.loopbackGuard");

type ConnectFn = (this: net.Socket, ...args: unknown[]) => net.Socket;
type Marked = ConnectFn & { [MARK]?: ConnectFn };

interface Target {
  host: string;
  port: unknown;
  path?: string;
}

function targetOf(args: unknown[]): Target {
  // net.connect()/tls.connect() pass `[normalizedOptions, callback]` as a single array argument.
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first !== null && typeof first === "object") {
    const o = first as { host?: unknown; port?: unknown; path?: unknown };
    if (typeof o.path === "string" && o.path !== "") return { host: "", port: undefined, path: o.path };
    return { host: typeof o.host === "string" ? o.host : "localhost", port: o.port };
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return { host: "", port: undefined, path: first };
  const host = Array.isArray(args[0]) ? undefined : args[1];
  return { host: typeof host === "string" ? host : "localhost", port: first };
}

/** True for localhost, 127.0.0.0/8, ::1 and IPv4-mapped loopback. */
export function isLoopbackHost(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith("[") && h.endsWith("]")) h = h.slice(1, -1);
  if (h === "localhost" || h === "localhost.") return true;
  if (net.isIPv4(h)) return h.startsWith("127.");
  if (net.isIPv6(h)) {
    if (h === "::1" || h === "0:0:0:0:0:0:0:1") return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return mapped?.[1]?.startsWith("127.") ?? false;
  }
  return false;
}

function install(): void {
  const proto = net.Socket.prototype as unknown as { connect: Marked };
  if (proto.connect[MARK]) return;
  const original = proto.connect;
  const guarded: Marked = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const target = targetOf(args);
    if (target.path === undefined && !isLoopbackHost(target.host)) {
      throw new Error(
        `loopback guard: refused connection to ${target.host}:${String(target.port)} — tests may only talk to 127.0.0.1`,
      );
    }
    return original.apply(this, args);
  };
  guarded[MARK] = original;
  proto.connect = guarded;
}

install();

/** Throws unless this module's guard is active on `net.Socket.prototype.connect`. */
export function assertLoopbackGuardInstalled(): void {
  const connect = (net.Socket.prototype as unknown as { connect: Marked }).connect;
  if (!connect[MARK]) {
    throw new Error("loopback guard is not installed: import tests/helpers/loopback-guard.ts first");
  }
}
