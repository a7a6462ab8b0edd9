import type { ChildProcess } from "node:child_process";
import { createServer } from "node:net";

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
