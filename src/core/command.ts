import type { z } from "zod";
import type { PlanInfo, Workspace } from "../domain/model.ts";
import type { Store } from "../store/store.ts";
import type { PostAccess } from "./adapter.ts";
import type { Invocation } from "./invocation.ts";
import type { Reply } from "./reply.ts";

/** Settings commands read; they come from configuration, not from the store. */
export interface CoreSettings {
  /** Days without a check-in after which a KR counts as stale. */
  staleDays: number;
  /** IANA zone for workspaces and people that name none (DEFAULT_TIMEZONE). */
  defaultTimezone?: string;
  /** Commands per user per minute; 0 or absent: no limit. */
  rateLimitPerMinute?: number;
  /** Extra admins (KRBOT_ADMINS): `platform:userId`, e.g. `slack:U0123`. */
  admins?: readonly string[];
  /** Attach progress charts to `/kr status <kr>` and `/kr history` (default on). */
  charts?: boolean;
}

/**
 * How a command is typed on a platform whose syntax is not the text grammar (Discord's options):
 * help and usage hints show this there instead of the text usage, aliases and examples.
 */
export interface PlatformUsage {
  /** "/kr update kr:<kr> [status:…] [progress:<progress>] …" */
  usage: string;
  options: { name: string; description: string }[];
}

/** What an argument's value is, on platforms that type arguments (Discord's options). */
export type ArgType = "string" | "integer" | "boolean" | "user";

/**
 * One argument as a platform with typed options offers it (Discord's `/kr` options): platform-neutral
 * data the adapter turns into its own registration and maps back to the text grammar.
 */
export interface ArgSpec {
  name: string;
  type: ArgType;
  description: string;
  required?: boolean;
  /** Fixed values to pick from; `"commands"`: every command's name. */
  choices?: readonly string[] | "commands";
  /** Values are suggested as the person types, from the plan: KRs, objectives or teams. */
  autocomplete?: "kr" | "objective" | "team";
  min?: number;
  max?: number;
  maxLength?: number;
  /** The word the text grammar takes before the value (`team Growth`); a true boolean is this word, else its name. */
  keyword?: string;
}

/**
 * Who may run a command: anyone, or only workspace admins (checked by the core before it runs);
 * `admin` names what others are refused, as in "Only a workspace admin can export check-ins."
 */
export type Access = "anyone" | { admin: string };

/** Everything a command may use: no platform, no driver, just the store and the caller. */
export interface CommandContext {
  store: Store;
  workspace: Workspace;
  invocation: Invocation;
  settings: CoreSettings;
  /** The registry, so `help` can describe every command. */
  commands: readonly AnyCommand[];
  /** Command name → how it is typed on this invocation's platform, when that is not the text grammar. */
  platformUsage?: ReadonlyMap<string, PlatformUsage>;
  now(): Date;
  /**
   * Asks the invocation's platform whether the bot can post in a channel of this workspace; ok
   * when the platform can't tell. Absent in contexts built without a core.
   */
  postAccess?(channelId: string): Promise<PostAccess>;
  /** The workspace's plan, once the core has read it for a command that declares `needsPlan`. */
  plan?: PlanInfo;
}

/**
 * A command: declared with a zod schema over its argument text, plus usage and examples
 * from which `help` is generated.
 */
export interface Command<A extends z.ZodType<unknown, string>> {
  name: string;
  aliases?: string[];
  summary: string;
  /** The summary where arguments are typed options (Discord), when it should say more; else `summary`. */
  optionsSummary?: string;
  /** The arguments as typed options, in the order the text grammar takes them. */
  options?: readonly ArgSpec[];
  /** Groups of options that can't go together: giving two of one group is refused, naming both. */
  exclusive?: readonly (readonly string[])[];
  /** Who may run it (default anyone); the core refuses others before `execute`. */
  access?: Access;
  /** The workspace must have a plan; the core says how to load one before `execute`. */
  needsPlan?: boolean;
  /** It reads the actor's profile (zone, admin flag), so adapters fetch it first where that costs a call. */
  needsProfile?: boolean;
  usage: string;
  examples: string[];
  /** Parses the text after the command name; its errors become the user's error message. */
  args: A;
  visibility: Reply["visibility"];
  /** True when the command changes stored state (documented in help; used by tests). */
  writes: boolean;
  execute(args: z.output<A>, ctx: CommandContext): Promise<Reply>;
}

/** A command of any argument type, as the registry holds them. */
// biome-ignore lint/suspicious/noExplicitAny: the registry is heterogeneous by design
export type AnyCommand = Command<any>;

/**
 * Every command by name and alias (lower case); two commands claiming one name fail here, at
 * start-up, naming both, rather than one silently shadowing the other.
 */
export function commandIndex(commands: readonly AnyCommand[]): Map<string, AnyCommand> {
  const byName = new Map<string, AnyCommand>();
  for (const c of commands) {
    for (const name of [c.name, ...(c.aliases ?? [])].map((n) => n.toLowerCase())) {
      const other = byName.get(name);
      if (other) {
        throw new Error(
          `Command name collision: "${name}" is claimed by both "${other.name}" and "${c.name}"; rename one or drop the alias.`,
        );
      }
      byName.set(name, c);
    }
  }
  return byName;
}

/**
 * The declared command a typed line names (`update IV.KR2 …`, `/kr ci …`), by name or alias in any
 * case; undefined for an empty line or an unknown word. Adapters read its declaration (e.g.
 * `needsProfile`) before the core runs it.
 */
export function namedCommand(commands: readonly AnyCommand[], text: string): AnyCommand | undefined {
  const word = /^\s*(?:\/?kr\s+)?\/?(\S+)/i.exec(text)?.[1]?.toLowerCase();
  if (!word) return undefined;
  return commands.find((c) => c.name === word || c.aliases?.some((a) => a.toLowerCase() === word));
}

/** Declares a command with its argument type inferred from the schema. */
export function defineCommand<A extends z.ZodType<unknown, string>>(command: Command<A>): Command<A> {
  return command;
}
