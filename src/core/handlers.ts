import { UserError } from "../domain/errors.ts";
import { decodeAction } from "./actions.ts";
import type { CommandContext } from "./command.ts";
import type { Ending, FormOrReply, FormService, InboundEvent, Outcome, Outcomes } from "./inbound.ts";
import type { Invocation } from "./invocation.ts";
import type { Logger } from "./logger.ts";
import type { ChartRequest, Reply, ReplyFile } from "./reply.ts";

/** What the event handlers use of the core (its policies stay in `Core`). */
export interface CoreKit {
  forms?: FormService | undefined;
  log: Logger;
  contextFor(invocation: Invocation): Promise<CommandContext>;
  /** Parses and runs a command line; errors come back as replies. Not counted: the caller counts. */
  runCommand(invocation: Invocation): Promise<{ reply: Reply; command: string; ending: Ending }>;
  renderCharts(invocation: Invocation, requests: readonly ChartRequest[]): Promise<ReplyFile[]>;
  /** Rate limit, workspace, error policy and metrics around `work`, labelled `label.command`. */
  counted<T>(
    invocation: Invocation,
    label: { command: string },
    work: (ctx: () => Promise<CommandContext>) => Promise<{ value: T; ending?: Ending }>,
    asReply: (reply: Reply) => T,
  ): Promise<T>;
  errorReply(err: unknown, command: string, invocation: Invocation): Reply;
}

/** Routes one event to its handler. Counted kinds go through `kit.counted`; follow-ups do not. */
export async function handleEvent(kit: CoreKit, event: InboundEvent): Promise<Outcome> {
  switch (event.kind) {
    case "command":
      return handleCommand(kit, event.invocation);
    case "check-in":
      return handleCheckIn(kit, event);
    case "action":
      return handleAction(kit, event.invocation, event.actionId);
    case "form":
      return handleForm(kit, event);
    case "suggest":
      return handleSuggest(kit, event);
    case "home":
      return handleHome(kit, event.invocation);
    case "charts":
      // Charts follow a reply that was counted already; they never fail the person.
      return { files: await kit.renderCharts(event.invocation, event.requests) };
  }
}

function handleCommand(kit: CoreKit, invocation: Invocation): Promise<Outcomes["command"]> {
  const label = { command: "" };
  return kit.counted(
    invocation,
    label,
    async () => {
      const run = await kit.runCommand(invocation);
      label.command = run.command;
      return { value: { reply: run.reply, ending: run.ending }, ending: run.ending };
    },
    (reply) => ({ reply, ending: "rate_limited" }),
  );
}

function formsOf(kit: CoreKit): FormService {
  if (!kit.forms) throw new Error("no form service is wired into the core");
  return kit.forms;
}

/** Repeats `errors.ref` as the reply to show where the form itself can't show it. */
function asFieldFailure(failure: Reply): Outcomes["check-in"] {
  return { ok: false, errors: { ref: failure.summary }, failure };
}

function handleCheckIn(
  kit: CoreKit,
  event: Extract<InboundEvent, { kind: "check-in" }>,
): Promise<Outcomes["check-in"]> {
  return kit.counted(
    { ...event.invocation, command: "update" },
    { command: "update" },
    async (ctx) => {
      if (event.stray?.length) {
        const words = event.stray.map((w) => `\`${w}\``).join(", ");
        const value = { ok: false as const, errors: { metrics: `${words}: write metrics as metric=value` } };
        return { value, ending: "user_error" };
      }
      const result = await formsOf(kit).submit(await ctx(), event.fields);
      return { value: result, ending: result.ok ? "ok" : "user_error" };
    },
    asFieldFailure,
  );
}

function handleAction(kit: CoreKit, invocation: Invocation, actionId: string): Promise<FormOrReply> {
  const action = decodeAction(actionId);
  const label = { command: action?.kind ?? "" };
  return kit.counted<FormOrReply>(
    invocation,
    label,
    async (ctx) => {
      if (!action) throw new UserError("That button is not one krbot knows (any more). Try `/kr help`.");
      if (action.kind === "update") {
        return { value: { form: await formsOf(kit).build(await ctx(), action.kr || undefined) } };
      }
      const text = formsOf(kit).snoozeLine(action.kr);
      const run = await kit.runCommand({ ...invocation, command: "", text });
      return { value: { reply: run.reply }, ending: run.ending };
    },
    (reply) => ({ reply }),
  );
}

async function handleForm(
  kit: CoreKit,
  event: Extract<InboundEvent, { kind: "form" }>,
): Promise<FormOrReply> {
  const invocation = { ...event.invocation, command: "update" };
  const build = async (ctx: () => Promise<CommandContext>): Promise<{ value: FormOrReply }> => ({
    value: { form: await formsOf(kit).build(await ctx(), event.kr) },
  });
  if (!event.redraw)
    return kit.counted<FormOrReply>(invocation, { command: "update" }, build, (reply) => ({ reply }));
  // A redraw belongs to a form that was counted when it opened.
  try {
    return (await build(() => kit.contextFor(invocation))).value;
  } catch (err) {
    return { reply: kit.errorReply(err, "update", invocation) };
  }
}

async function handleSuggest(
  kit: CoreKit,
  event: Extract<InboundEvent, { kind: "suggest" }>,
): Promise<Outcomes["suggest"]> {
  // Autocomplete fires on every keystroke: not rate limited or counted, and a failure offers nothing.
  try {
    const ctx = await kit.contextFor(event.invocation);
    const choices = await formsOf(kit).suggest(ctx, event.field, event.partial, event.forUpdate ?? false);
    return { choices };
  } catch (err) {
    kit.log.warn({ error: String((err as Error)?.message ?? err) }, "suggestions failed");
    return { choices: [] };
  }
}

function handleHome(kit: CoreKit, invocation: Invocation): Promise<Outcomes["home"]> {
  // One visit is one request (labelled by what it mostly shows): the person's KRs and the digests.
  return kit.counted(
    invocation,
    { command: "status" },
    async () => {
      const mine = await kit.runCommand({ ...invocation, command: "", text: "status mine" });
      const digests = await kit.runCommand({
        ...invocation,
        command: "",
        text: "digest list",
        requestId: `${invocation.requestId}:d`,
      });
      return { value: { mine: mine.reply, digests: digests.reply }, ending: mine.ending };
    },
    (reply) => ({ mine: reply, digests: reply }),
  );
}
