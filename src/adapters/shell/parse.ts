import type { Actor, Invocation } from "../../core/invocation.ts";

/** The workspace the shell adapter works in. */
export const SHELL_WORKSPACE = { platform: "shell" as const, id: "local" };

/** Turns one typed line into an invocation; undefined for blank lines and comments. */
export function parseLine(line: string, actor: Actor, requestId: string): Invocation | undefined {
  const text = line.trim();
  if (!text || text.startsWith("#")) return undefined;
  return {
    workspace: SHELL_WORKSPACE,
    actor,
    // The terminal is the shell's one channel: digests set here are printed here.
    channel: { id: "shell", isDirect: false },
    command: "",
    text,
    requestId,
    // The person at this terminal runs the process: no per-user rate limit.
    operator: true,
  };
}
