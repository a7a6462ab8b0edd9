import { spawn } from "node:child_process";
import { ROOT } from "./process.ts";

/** How a `krbot` child process ended. */
export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The environment of someone with no platform tokens and no krbot settings, plus `extra` (NO_COLOR=1 unless `color`). */
export function cliEnv(extra: Record<string, string>, color = false): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of Object.keys(env)) {
    if (
      /^(NO_COLOR|FORCE_COLOR|DATABASE_URL|PORT|LOG_LEVEL|DEFAULT_TIMEZONE|KRBOT_|SLACK_|DISCORD_)/.test(name)
    )
      delete env[name];
  }
  return { ...env, ...(color ? {} : { NO_COLOR: "1" }), ...extra };
}

/** Runs the real `node bin/krbot.js …args` with `input` on stdin (always ended); resolves at exit. */
export function runKrbot(
  args: string[],
  opts: { env: Record<string, string>; input?: string; cwd?: string; timeoutMs?: number; color?: boolean },
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [`${ROOT}bin/krbot.js`, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: cliEnv(opts.env, opts.color),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
    });
    const timeoutMs = opts.timeoutMs ?? 30_000;
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(
        new Error(
          `krbot ${args.join(" ")} did not exit within ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on("error", (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    child.stdin.on("error", () => {
      // the process may exit before reading its input; that is fine
    });
    child.stdin.end(opts.input ?? "");
  });
}

/** Pipes `lines` into the shell adapter (`krbot start` with no platform tokens). */
export function runScript(lines: string[], env: Record<string, string>): Promise<CliRun> {
  return runKrbot([], { env, input: lines.map((l) => `${l}\n`).join("") });
}
