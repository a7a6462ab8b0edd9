import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach } from "vitest";

/** The checkout root: child processes run `bin/krbot.js` from here, as `npx krbot` would. */
export const ROOT = new URL("../../", import.meta.url).pathname;

/** A TCP port that was free a moment ago on 127.0.0.1 (for PORT, which must be set before start). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Resolves with everything a child wrote to stderr once `pattern` appears; rejects on exit or timeout. */
export function waitForLog(child: ChildProcess, pattern: RegExp, timeoutMs = 15_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(
      () => reject(new Error(`timed out waiting for ${pattern}; stderr:\n${seen}`)),
      timeoutMs,
    );
    child.stderr?.on("data", (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; stderr:\n${seen}`));
    });
  });
}

/** How a `krbot start` child ended. */
export interface KrbotExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running `node bin/krbot.js start` on a free port, with its own database under `dir`. */
export interface KrbotProcess {
  child: ChildProcess;
  port: number;
  /** `http://127.0.0.1:PORT`. */
  base: string;
  /** The folder that holds the database (removed by the runner's cleanup). */
  dir: string;
  /** The database file (DATABASE_URL). */
  db: string;
  /** The environment it was started with (DATABASE_URL, PORT, LOG_LEVEL and the caller's). */
  env: Record<string, string>;
  /** What it wrote to stderr up to the ready line. */
  log: string;
  /** Everything it has written to stderr so far. */
  stderr(): string;
  /** Resolves when it exits. */
  exited: Promise<KrbotExit>;
  /** Sends SIGTERM; resolves with the exit code and how many ms the stop took. */
  terminate(): Promise<{ code: number | null; ms: number }>;
}

/** How to start one `krbot start` child. */
export interface KrbotStartOptions {
  /** Platform tokens and settings; PATH, DATABASE_URL, PORT and LOG_LEVEL=info are added unless given. */
  env: Record<string, string>;
  /** The stderr line that says it is ready (default "krbot is running"). */
  ready?: RegExp;
  /** Reuse this folder (e.g. to restart on the same database); a fresh temporary one otherwise. */
  dir?: string;
}

/**
 * One process runner for the tests that run `npm start` as a child: `start()` spawns it on a free port
 * and resolves once it logs that it is ready; after each test (or after all, with `after: "all"`) every
 * child is killed, every `onCleanup` callback runs (close the fakes) and the temporary folders go.
 */
export function useKrbotProcesses(opts: { after?: "each" | "all"; dirPrefix?: string } = {}) {
  const children: ChildProcess[] = [];
  const dirs = new Set<string>();
  let cleanups: (() => unknown)[] = [];
  const cleanup = async () => {
    for (const child of children.splice(0)) child.kill("SIGKILL");
    for (const fn of cleanups.reverse()) await fn();
    cleanups = [];
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    dirs.clear();
  };
  (opts.after === "all" ? afterAll : afterEach)(cleanup);
  return {
    /** Runs `fn` at cleanup (after the children are killed), e.g. `() => fake.close()`. */
    onCleanup(fn: () => unknown): void {
      cleanups.push(fn);
    },
    /** Spawns `node bin/krbot.js start` and waits for its ready line. */
    async start(start: KrbotStartOptions): Promise<KrbotProcess> {
      const dir = start.dir ?? mkdtempSync(join(tmpdir(), opts.dirPrefix ?? "krbot-proc-"));
      dirs.add(dir);
      const port = await freePort();
      const db = start.env.DATABASE_URL ?? join(dir, "krbot.db");
      const env: Record<string, string> = {
        PATH: process.env.PATH ?? "",
        DATABASE_URL: db,
        PORT: String(port),
        LOG_LEVEL: "info",
        ...start.env,
      };
      const child = spawn(process.execPath, ["bin/krbot.js", "start"], {
        cwd: ROOT,
        stdio: ["ignore", "pipe", "pipe"],
        env,
      });
      children.push(child);
      let stderr = "";
      child.stderr?.on("data", (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      const exited = new Promise<KrbotExit>((resolve) =>
        child.once("exit", (code, signal) => resolve({ code, signal })),
      );
      const log = await waitForLog(child, start.ready ?? /krbot is running/);
      return {
        child,
        port,
        base: `http://127.0.0.1:${port}`,
        dir,
        db,
        env,
        log,
        stderr: () => stderr,
        exited,
        async terminate() {
          const stopAt = Date.now();
          child.kill("SIGTERM");
          const { code } = await exited;
          return { code, ms: Date.now() - stopAt };
        },
      };
    },
  };
}
