import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import { basename, join } from "node:path";
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";
import type { ChatAdapter, PostResult, PostTarget } from "../../core/adapter.ts";
import type { CoreDoor as Core } from "../../core/inbound.ts";
import type { Actor } from "../../core/invocation.ts";
import type { Reply } from "../../core/reply.ts";
import { parseLine } from "./parse.ts";
import { renderText } from "./render.ts";

/** Where the shell reads and writes; process stdio by default. */
export interface ShellIo {
  input: Readable & { isTTY?: boolean };
  output: Writable & { isTTY?: boolean };
}

/** The OS user, as the shell's actor. */
export function osActor(): Actor {
  let name = process.env.USER ?? "you";
  try {
    name = userInfo().username || name;
  } catch {
    // no passwd entry (some containers): keep $USER
  }
  // The person at the keyboard runs the local instance: they administer its workspace.
  return { id: name, name, timezone: Intl.DateTimeFormat().resolvedOptions().timeZone, isAdmin: true };
}

/** How a shell session went: the input line numbers whose command was refused or failed. */
export interface ShellSummary {
  interactive: boolean;
  failedLines: number[];
}

/**
 * The local REPL: prompts on a terminal; otherwise reads one command per line, prints each
 * reply, and resolves at end of input. Commands run strictly one after another; a line that fails
 * does not stop the ones after it, but is reported in the summary.
 */
export async function runShell(
  core: Core,
  io: ShellIo,
  actor: Actor = osActor(),
  filesDir = "./data",
  signal?: AbortSignal,
): Promise<ShellSummary> {
  const interactive = Boolean(io.input.isTTY && io.output.isTTY);
  const color = Boolean(io.output.isTTY) && !process.env.NO_COLOR;
  const rl = createInterface({
    input: io.input,
    output: interactive ? io.output : undefined,
    terminal: interactive,
    ...(signal ? { signal } : {}),
  });
  const write = (s: string) => io.output.write(`${s}\n`);
  if (interactive) {
    write("krbot shell. Type `help` for commands, Ctrl-D to quit.");
    rl.setPrompt("kr> ");
    rl.prompt();
  }
  let first = true;
  let lineNumber = 0;
  const failedLines: number[] = [];
  for await (const line of rl) {
    lineNumber++;
    if (/^(exit|quit)$/i.test(line.trim())) break;
    const invocation = parseLine(line, actor, randomUUID());
    if (invocation) {
      const { reply, ending } = await core.handle({ kind: "command", invocation });
      if (ending !== "ok") failedLines.push(lineNumber);
      if (!first && !interactive) write("");
      write(renderText(reply, { color }));
      const charts = reply.chartRequests?.length
        ? (await core.handle({ kind: "charts", invocation, requests: reply.chartRequests })).files
        : [];
      for (const path of saveFiles({ ...reply, files: [...(reply.files ?? []), ...charts] }, filesDir))
        write(`Saved ${path}`);
      first = false;
    }
    if (interactive) rl.prompt();
  }
  rl.close();
  return { interactive, failedLines };
}

/** Where the shell adapter reads, writes and saves files, and who types. */
export interface ShellAdapterOptions {
  actor?: Actor;
  /** Where exports and charts are saved (default `./data`). */
  filesDir?: string;
}

/**
 * The local shell as a chat adapter like the others: `start` runs the REPL on the given stdio
 * (resolving at once; `finished` resolves at end of input), and `post` prints what would be posted
 * (digests, reminders) to the terminal, so schedules can be tried without a chat platform.
 */
export class ShellAdapter implements ChatAdapter {
  readonly platform = "shell" as const;
  private sent = 0;
  private session?: Promise<ShellSummary>;
  private readonly abort = new AbortController();

  constructor(
    private readonly io: ShellIo,
    private readonly options: ShellAdapterOptions = {},
  ) {}

  async start(core: Core): Promise<void> {
    core.connect(this);
    this.session = runShell(core, this.io, this.options.actor, this.options.filesDir, this.abort.signal);
  }

  /** Resolves when the input ends (end of file, `exit`), with how the session went. */
  finished(): Promise<ShellSummary> {
    if (!this.session) throw new Error("the shell is not started");
    return this.session;
  }

  /** Stops reading input; the command in progress finishes. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.session?.catch(() => undefined);
  }

  async post(_workspace: string, target: PostTarget, reply: Reply): Promise<PostResult> {
    const output = this.io.output;
    const to = target.userId
      ? `DM to ${target.userId}`
      : `#${target.channelId}${target.threadOf ? " (thread)" : ""}`;
    const color = Boolean(output.isTTY) && !process.env.NO_COLOR;
    output.write(`\n── krbot would post · ${to} ──\n${renderText(reply, { color })}\n`);
    for (const path of saveFiles(reply, this.options.filesDir ?? "./data")) output.write(`Saved ${path}\n`);
    this.sent++;
    return { messageId: `shell-${this.sent}`, channelId: target.channelId ?? `dm-${target.userId}` };
  }
}

/** Writes a reply's files under `dir` (charts in charts/, the rest in exports/) and returns their paths. */
export function saveFiles(reply: Reply, dir: string): string[] {
  return (reply.files ?? []).map((f) => {
    const folder = join(dir, f.contentType.startsWith("image/") ? "charts" : "exports");
    mkdirSync(folder, { recursive: true });
    const path = join(folder, basename(f.name));
    writeFileSync(path, f.bytes);
    return path;
  });
}
