import type { KrView } from "../domain/model.ts";
import type { RawUpdateFields } from "../domain/update-fields.ts";
import type { ChatAdapter } from "./adapter.ts";
import type { AnyCommand, CommandContext, PlatformUsage } from "./command.ts";
import type { Invocation, Platform } from "./invocation.ts";
import type { ChartRequest, Reply, ReplyFile } from "./reply.ts";

/** One choosable key result in the check-in form's picker. */
export interface KrOption {
  code: string;
  label: string;
}

/** The check-in form, platform-neutral: Slack and Discord each draw it as a modal. */
export interface CheckInFormModel {
  /**
   * The KRs the actor may update: the ones they own, then their teams', then (for admins, or when
   * anyone may update) the rest by objective. Empty when they may update none.
   */
  groups: { label: string; options: KrOption[] }[];
  /**
   * Why something is missing: the actor can update nothing, or not the KR they asked for, or
   * there is no such KR (any more). A platform whose forms show no text says it as a reply.
   */
  notice?: string[];
  /** The KR being checked in on, with its metrics' current values for prefilling. */
  selected?: KrView;
  statuses: { value: string; label: string }[];
}

/** Field names the form reports errors against: `ref`, `status`, `percent`, `note`, `metric:<key>`. */
export type FieldErrors = Record<string, string>;

/** What autocomplete asks suggestions for: a KR (for any command, or for a check-in), an objective, a team. */
export type SuggestField = "kr" | "objective" | "team";

/**
 * Everything that comes in from a person, whatever the platform. `core.handle` takes each kind
 * through the same steps: workspace, rate limit, preconditions, metrics, error policy.
 */
export type InboundEvent =
  /** A typed command (Slack slash text, Discord options as text, a shell line). */
  | { kind: "command"; invocation: Invocation }
  /** A filled-in check-in (a modal, or Discord's `/kr update` options): field errors come back per field. */
  | { kind: "check-in"; invocation: Invocation; fields: RawUpdateFields; stray?: string[] }
  /** A button or a select option standing for one; `actionId` is what `encodeAction` made. */
  | { kind: "action"; invocation: Invocation; actionId: string }
  /**
   * "Open the check-in form" (on `kr` when given). `redraw`: the form is already open and its KR
   * picker changed, so this is part of one check-in, not a new request of its own.
   */
  | { kind: "form"; invocation: Invocation; kr?: string; redraw?: boolean }
  /** Autocomplete: what matches what the person has typed so far. */
  | { kind: "suggest"; invocation: Invocation; field: SuggestField; partial: string; forUpdate?: boolean }
  /** Slack's App Home: the person's KRs and the workspace's digests. */
  | { kind: "home"; invocation: Invocation }
  /** The charts a reply asked for (`reply.chartRequests`), rendered after the reply is out. */
  | { kind: "charts"; invocation: Invocation; requests: readonly ChartRequest[] };

/** How a counted event ended (the `outcome` label of `krbot_commands_total`). */
export type Ending = "ok" | "user_error" | "error" | "rate_limited";

/** A reply, or the check-in form to open. */
export type FormOrReply = { form: CheckInFormModel; reply?: undefined } | { reply: Reply; form?: undefined };

/** What `handle` answers for each kind of event. */
export interface Outcomes {
  command: { reply: Reply; ending: Ending };
  /**
   * Saved (`reply` to announce), or refused: `errors` per field. When the refusal is not about a
   * field (rate limit, internal failure) `failure` is the reply to show and `errors.ref` says it too.
   */
  "check-in":
    | { ok: true; reply: Reply }
    | { ok: false; errors: FieldErrors; hints?: string[]; failure?: Reply };
  action: FormOrReply;
  form: FormOrReply;
  suggest: { choices: { label: string; value: string }[] };
  home: { mine: Reply; digests: Reply };
  charts: { files: ReplyFile[] };
}

/** The answer to one event. */
export type Outcome<E extends InboundEvent = InboundEvent> = Outcomes[E["kind"]];

/**
 * The form logic the core runs for form, check-in, action and suggest events. It lives with the
 * commands (it uses their rules); the wiring hands it to the core, so the core imports no command.
 */
export interface FormService {
  build(ctx: CommandContext, kr?: string): Promise<CheckInFormModel>;
  submit(
    ctx: CommandContext,
    fields: RawUpdateFields,
  ): Promise<{ ok: true; reply: Reply } | { ok: false; errors: FieldErrors; hints?: string[] }>;
  suggest(
    ctx: CommandContext,
    field: SuggestField,
    partial: string,
    forUpdate: boolean,
  ): Promise<{ label: string; value: string }[]>;
  /** The command line a "Snooze a week" button stands for. */
  snoozeLine(kr: string): string;
}

/** What an adapter tells the core about itself at start-up. */
export interface AdapterLink {
  platform: Platform;
  /** Whether the bot can post in a channel (see `ChatAdapter.checkPostAccess`). */
  checkPostAccess?: ChatAdapter["checkPostAccess"];
  /** How commands are typed on this platform when not as text (Discord's options), from the commands. */
  usage?(commands: readonly AnyCommand[]): ReadonlyMap<string, PlatformUsage>;
}

/**
 * The core as adapters see it: one door for everything a person does, and one start-up call that
 * returns what a platform needs to register its commands.
 */
export interface CoreDoor {
  /** Handles one inbound event; never throws (errors become replies or field errors). */
  handle<E extends InboundEvent>(event: E): Promise<Outcome<E>>;
  /** Links an adapter (post-access checks, its usage lines) and returns the commands to register. */
  connect(adapter: AdapterLink): { commands: readonly AnyCommand[] };
}
