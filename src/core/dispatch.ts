import { randomBytes } from "node:crypto";
import { UserError } from "../domain/errors.ts";
import type { Workspace } from "../domain/model.ts";
import { sanitize } from "../domain/sanitize.ts";
import { closest } from "../domain/suggest.ts";
import type { Store } from "../store/store.ts";
import type { PostAccess } from "./adapter.ts";
import {
  type AnyCommand,
  type CommandContext,
  type CoreSettings,
  commandIndex,
  type PlatformUsage,
} from "./command.ts";
import { type CoreKit, handleEvent } from "./handlers.ts";
import type { AdapterLink, CoreDoor, Ending, FormService, InboundEvent, Outcome } from "./inbound.ts";
import type { Invocation, Platform, WorkspaceRef } from "./invocation.ts";
import { type Logger, silentLogger } from "./logger.ts";
import { checkPreconditions } from "./preconditions.ts";
import { RateLimiter } from "./rate-limit.ts";
import { type ChartRequest, type Reply, type ReplyFile, reply } from "./reply.ts";

/** What the core is built from; adapters only ever see it as a `CoreDoor`. */
export interface CoreOptions {
  store: Store;
  commands: readonly AnyCommand[];
  settings: CoreSettings;
  log?: Logger;
  now?: () => Date;
  /** Finds or creates the workspace (and seeds its plan); defaults to `store.workspaces.ensure`. */
  resolveWorkspace?: (ref: WorkspaceRef) => Promise<Workspace>;
  /** The check-in form's logic (it lives with the commands); form events fail without it. */
  forms?: FormService;
  /** Called after every counted event (metrics); must not throw. */
  observe?: (event: CommandEvent) => void;
  /** Renders the charts replies ask for (the charts service); without it, replies go without charts. */
  charts?: ChartRenderer;
}

/** The charts service as the core calls it: PNG files for the requests of one workspace. */
export type ChartRenderer = (
  store: Store,
  workspaceId: number,
  requests: ChartRequest[],
  now: Date,
) => Promise<ReplyFile[]>;

/** How one counted event ended, for metrics. */
export interface CommandEvent {
  command: string;
  outcome: Ending;
  ms: number;
  platform: string;
}

/** The platform-neutral heart: an inbound event goes in, its outcome comes out, errors never escape. */
export class Core implements CoreDoor {
  readonly commands: readonly AnyCommand[];
  /** The settings commands see (stale days, default zone). */
  readonly settings: CoreSettings;
  private readonly byName: Map<string, AnyCommand>;
  private readonly log: Logger;
  private readonly now: () => Date;
  private readonly resolveWorkspace: (ref: WorkspaceRef) => Promise<Workspace>;
  private readonly limiter: RateLimiter;
  private readonly adapters = new Map<Platform, AdapterLink>();
  private readonly usages = new Map<Platform, ReadonlyMap<string, PlatformUsage>>();

  constructor(private readonly options: CoreOptions) {
    this.limiter = new RateLimiter(options.settings.rateLimitPerMinute ?? 0);
    this.commands = options.commands;
    this.settings = options.settings;
    this.byName = commandIndex(options.commands);
    this.log = options.log ?? silentLogger;
    this.now = options.now ?? (() => new Date());
    this.resolveWorkspace = options.resolveWorkspace ?? ((ref) => options.store.workspaces.ensure(ref));
  }

  /** Finds a command by name or alias (case-insensitive). */
  find(name: string): AnyCommand | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /**
   * The one door: every inbound event, from any adapter, comes through here and gets the same
   * workspace resolution, rate limit, metrics and error policy. Never throws.
   */
  async handle<E extends InboundEvent>(event: E): Promise<Outcome<E>> {
    return (await handleEvent(this.kit, event)) as Outcome<E>;
  }

  /** Links an adapter at start-up: its post-access check and usage lines; returns the commands to register. */
  connect(adapter: AdapterLink): { commands: readonly AnyCommand[] } {
    this.adapters.set(adapter.platform, adapter);
    const usage = adapter.usage?.(this.commands);
    if (usage) this.usages.set(adapter.platform, usage);
    return { commands: this.commands };
  }

  /** Runs one typed command (tests and scripts; adapters go through `handle`). */
  async dispatch(invocation: Invocation): Promise<Reply> {
    return (await this.handle({ kind: "command", invocation })).reply;
  }

  /** Like `dispatch`, and also says how it ended (a script runner's exit code depends on it). */
  async dispatchWithOutcome(invocation: Invocation): Promise<{ reply: Reply; outcome: Ending }> {
    const { reply, ending } = await this.handle({ kind: "command", invocation });
    return { reply, outcome: ending };
  }

  /** What the event handlers use of the core. */
  private get kit(): CoreKit {
    return {
      forms: this.options.forms,
      log: this.log,
      contextFor: (invocation) => this.contextFor(invocation),
      runCommand: (invocation) => this.runCommand(invocation),
      renderCharts: (invocation, requests) => this.renderCharts(invocation, requests),
      counted: (invocation, label, work, asReply) => this.counted(invocation, label, work, asReply),
      errorReply: (err, command, invocation) => this.errorReply(err, command, invocation),
    };
  }

  /**
   * Runs a counted event: takes a rate-limit token (the shell's operator is exempt), resolves the
   * workspace, turns a throw into a reply (`asReply`), and reports the ending to `observe` (metrics).
   */
  private async counted<T>(
    invocation: Invocation,
    label: { command: string },
    work: (ctx: () => Promise<CommandContext>) => Promise<{ value: T; ending?: Ending }>,
    asReply: (reply: Reply) => T,
  ): Promise<T> {
    const started = performance.now();
    let result: { value: T; ending?: Ending };
    const limited = this.rateLimited(invocation);
    if (limited) result = { value: asReply(limited), ending: "rate_limited" };
    else {
      try {
        // Lazy: a typed command resolves its own context once it knows the command.
        result = await work(() => this.contextFor(invocation));
      } catch (err) {
        const ending = err instanceof UserError ? "user_error" : "error";
        result = { value: asReply(this.errorReply(err, label.command, invocation)), ending };
      }
    }
    this.options.observe?.({
      command: label.command || "unknown",
      outcome: result.ending ?? "ok",
      ms: performance.now() - started,
      platform: invocation.workspace.platform,
    });
    return result.value;
  }

  /** The rate-limit reply when this actor is over the limit, else undefined (and a token is taken). */
  private rateLimited(invocation: Invocation): Reply | undefined {
    if (invocation.operator) return undefined;
    const key = `${invocation.workspace.platform}:${invocation.workspace.id}:${invocation.actor.id}`;
    const allowed = this.limiter.take(key, this.now().getTime());
    if (allowed.ok) return undefined;
    const seconds = Math.ceil(allowed.retryInMs / 1000);
    const text = `You're sending commands faster than ${this.options.settings.rateLimitPerMinute} a minute; please wait ${seconds} s and try again.`;
    return reply(text, { tone: "warning" });
  }

  /** Parses and runs one command line (no rate limit, no metrics: the caller counts). */
  private async runCommand(
    invocation: Invocation,
  ): Promise<{ reply: Reply; command: string; ending: Ending }> {
    let commandName = "";
    try {
      const { name, rest } = splitCommand(invocation);
      commandName = name;
      const command = name ? this.find(name) : this.find("help");
      if (!command) throw unknownCommand(name, this.commands);
      commandName = command.name;
      const parsed = command.args.safeParse(rest);
      if (!parsed.success) {
        const problems = parsed.error.issues.map((i: { message: string }) => i.message);
        const own = this.usages.get(invocation.workspace.platform)?.get(command.name);
        throw new UserError(
          problems.join("\n"),
          own ? [`Usage: \`${own.usage}\``] : [`Usage: \`${command.usage}\``, ...firstExample(command)],
        );
      }
      const ctx = await this.contextFor({ ...invocation, command: command.name, text: rest });
      await checkPreconditions(command, ctx);
      return { reply: await command.execute(parsed.data, ctx), command: commandName, ending: "ok" };
    } catch (err) {
      return {
        reply: this.errorReply(err, commandName, invocation),
        command: commandName,
        ending: err instanceof UserError ? "user_error" : "error",
      };
    }
  }

  /**
   * Renders the charts a reply asked for (`reply.chartRequests`) as PNG files, for the adapter to
   * attach once the reply is out. A chart that fails is left out; never throws.
   */
  async renderCharts(invocation: Invocation, requests: readonly ChartRequest[]): Promise<ReplyFile[]> {
    const charts = this.options.charts;
    if (requests.length === 0 || this.settings.charts === false || !charts) return [];
    try {
      const ctx = await this.contextFor(invocation);
      return await charts(ctx.store, ctx.workspace.id, [...requests], this.now());
    } catch (err) {
      this.log.warn({ error: String((err as Error)?.message ?? err) }, "charts not rendered");
      return [];
    }
  }

  /** The context a command gets (tests build one to call command helpers directly). */
  async contextFor(invocation: Invocation): Promise<CommandContext> {
    return {
      store: this.options.store,
      workspace: await this.resolveWorkspace(invocation.workspace),
      invocation,
      settings: this.options.settings,
      commands: this.commands,
      ...(this.usages.has(invocation.workspace.platform)
        ? { platformUsage: this.usages.get(invocation.workspace.platform) }
        : {}),
      now: this.now,
      postAccess: (channelId: string): Promise<PostAccess> => {
        const adapter = this.adapters.get(invocation.workspace.platform);
        if (!adapter?.checkPostAccess) return Promise.resolve({ ok: true });
        return adapter.checkPostAccess(invocation.workspace.id, channelId);
      },
    };
  }

  private errorReply(err: unknown, command: string, invocation: Invocation): Reply {
    if (err instanceof UserError) {
      return reply(err.message, {
        tone: "error",
        blocks: [
          { kind: "text", markdown: err.message },
          ...err.hints.map((h) => ({ kind: "context" as const, text: h })),
        ],
      });
    }
    const ref = randomBytes(4).toString("hex");
    this.log.error(
      { err, ref, command, platform: invocation.workspace.platform, requestId: invocation.requestId },
      "command failed",
    );
    return reply(
      `Something went wrong (ref ${ref}). Nothing was changed; please try again, or tell your admin the ref.`,
      {
        tone: "error",
      },
    );
  }
}

/** Splits "/kr update IV.KR2 …" (or an adapter-provided command) into the name and the rest. */
function splitCommand(invocation: Invocation): { name: string; rest: string } {
  const text = sanitize(invocation.text ?? "").trim();
  if (invocation.command) return { name: invocation.command.toLowerCase(), rest: text };
  const withoutPrefix = text.replace(/^\/?kr(?=\s|$)\s*/i, "");
  const match = /^(\S+)\s*([\s\S]*)$/.exec(withoutPrefix);
  if (!match) return { name: "", rest: "" };
  return { name: (match[1] as string).toLowerCase().replace(/^\//, ""), rest: (match[2] as string).trim() };
}

function unknownCommand(name: string, commands: readonly AnyCommand[]): UserError {
  const names = commands.flatMap((c) => [c.name, ...(c.aliases ?? [])]);
  const near = closest(name, names, 2, 2);
  return new UserError(`There is no command \`${name}\`.`, [
    ...(near.length ? [`Did you mean \`/kr ${near[0]}\`?`] : []),
    "Type `/kr help` to see every command.",
  ]);
}

function firstExample(command: AnyCommand): string[] {
  return command.examples[0] ? [`Example: \`${command.examples[0]}\``] : [];
}
