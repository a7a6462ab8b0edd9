import { z } from "zod";
import type { Platform, WorkspaceRef } from "../core/invocation.ts";

/** A command-line mistake or refusal: printed as one `krbot: …` line, exit code 1 (or `exitCode`). */
export class CliError extends Error {
  override readonly name = "CliError";
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

const WORKSPACE = /^(slack|discord|shell):([A-Za-z0-9_-]+)$/;

/** `--workspace platform:id`; shell:local when not given. */
export const workspaceFlag = z
  .string()
  .regex(WORKSPACE, {
    error: (issue) =>
      `expected platform:id, like shell:local or slack:T0123ABC (got "${String(issue.input)}")`,
  })
  .optional()
  .transform((raw): WorkspaceRef => {
    const m = raw ? WORKSPACE.exec(raw) : null;
    return m ? { platform: m[1] as Platform, id: m[2] as string } : { platform: "shell", id: "local" };
  });

/** A calendar date as YYYY-MM-DD (2027-02-30 is not one). */
export const dateFlag = z
  .string()
  .refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    error: (issue) => `give a date as YYYY-MM-DD, like 2027-03-01 (got "${String(issue.input)}")`,
  });

/** A file path argument; `what` says what the file is for, in the "name the file" message. */
export const pathArg = (what: string) =>
  z.string({ error: `name ${what}` }).min(1, { error: `name ${what}` });

/** One `krbot` subcommand's arguments: its usage line, positional names in order, and their schema. */
export interface CliSpec<S extends z.ZodRawShape> {
  usage: string;
  positionals: readonly (keyof S & string)[];
  shape: S;
  /** Checks across fields (e.g. --from before --to); return a problem or undefined. */
  check?: (args: z.output<z.ZodObject<S>>) => string | undefined;
}

/** Declares a subcommand's arguments (typed: positional names must be keys of the shape). */
export function cliSpec<S extends z.ZodRawShape>(spec: CliSpec<S>): CliSpec<S> {
  return spec;
}

/**
 * Validates one subcommand's positionals and flags with zod: a flag the command doesn't take,
 * a missing or extra argument, or a bad value is a CliError naming it, with the usage.
 */
export function parseCli<S extends z.ZodRawShape>(
  spec: CliSpec<S>,
  positionals: readonly string[],
  flags: Record<string, unknown>,
): z.output<z.ZodObject<S>> {
  const usage = `usage: krbot ${spec.usage}`;
  const extra = positionals.slice(spec.positionals.length);
  if (extra.length) throw new CliError(`unexpected ${extra.map((e) => `"${e}"`).join(" ")}; ${usage}`);
  const input: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(flags)) if (v !== undefined) input[k] = v;
  spec.positionals.forEach((name, i) => {
    if (positionals[i] !== undefined) input[name] = positionals[i];
  });
  const result = z.strictObject(spec.shape).safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0] as z.core.$ZodIssue;
    if (issue.code === "unrecognized_keys") {
      const keys = issue.keys.map((k) => `--${k}`).join(", ");
      throw new CliError(`${keys} ${issue.keys.length > 1 ? "do" : "does"} not apply here; ${usage}`);
    }
    const name = String(issue.path[0] ?? "");
    const label = spec.positionals.includes(name) || !name ? "" : `--${name}: `;
    throw new CliError(`${label}${issue.message}; ${usage}`);
  }
  const problem = spec.check?.(result.data as z.output<z.ZodObject<S>>);
  if (problem) throw new CliError(`${problem}; ${usage}`);
  return result.data as z.output<z.ZodObject<S>>;
}
