import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  ModalSubmitInteraction,
  RepliableInteraction,
  StringSelectMenuInteraction,
} from "discord.js";
import type { AnyCommand, PlatformUsage } from "../../core/command.ts";
import type { CoreDoor as Core, FormOrReply } from "../../core/inbound.ts";
import type { Reply } from "../../core/reply.ts";
import { UserError } from "../../domain/errors.ts";
import type { RawUpdateFields } from "../../domain/update-fields.ts";
import { checkInModal, readCheckInModal } from "./modal.ts";
import { type InteractionFrame, optionsToText, toInvocation, updateFields } from "./parse.ts";
import { checkInRefusal, userErrorReply } from "./replies.ts";
import { deliver } from "./respond.ts";

/** Discord shows at most 25 autocomplete choices, each name and value at most 100 characters. */
const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

/** What the interaction handlers need from the adapter. */
export interface DiscordHandlerContext {
  core: Core;
  /** The commands `/kr` registers, as the core gave them on start. */
  commands: readonly AnyCommand[];
  /** How each subcommand is typed here, read off the registration (for usage hints). */
  usages?: ReadonlyMap<string, PlatformUsage> | undefined;
  deferAfterMs: number;
}

/** Interactions that may answer with the check-in modal. */
export type ModalOpener = ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction;

/** Sends a reply within Discord's deadline, with the context's defer budget. */
const reply = (
  ctx: DiscordHandlerContext,
  i: RepliableInteraction,
  work: Promise<Reply>,
  v: Reply["visibility"],
) => deliver(i, work, v, ctx.deferAfterMs);

/** The declared command a subcommand stands for, by its name or one of its aliases. */
function declared(ctx: DiscordHandlerContext, sub: string): AnyCommand | undefined {
  const name = sub.toLowerCase();
  return ctx.commands.find((c) => c.name === name || c.aliases?.some((a) => a.toLowerCase() === name));
}

/** Autocomplete on a `/kr` option: the core's suggestions, clipped to what Discord shows. */
export async function onAutocomplete(
  ctx: DiscordHandlerContext,
  frame: InteractionFrame,
  i: AutocompleteInteraction,
): Promise<void> {
  const focused = i.options.getFocused(true);
  const command = declared(ctx, i.options.getSubcommand(false) ?? "");
  // What to suggest is the focused option's declared kind (KRs when the declaration is not found).
  const spec = command?.options?.find((o) => o.name === focused.name);
  const { choices } = await ctx.core.handle({
    kind: "suggest",
    invocation: toInvocation(frame, "", "autocomplete"),
    field: spec?.autocomplete ?? "kr",
    partial: String(focused.value),
    forUpdate: command?.name === "update",
  });
  const clip = (s: string) => s.slice(0, MAX_CHOICE_LENGTH);
  await i.respond(choices.slice(0, MAX_CHOICES).map((c) => ({ name: clip(c.label), value: clip(c.value) })));
}

/** A `/kr` subcommand: a typed check-in, the check-in form, or any other command as text. */
export async function onCommand(
  ctx: DiscordHandlerContext,
  frame: InteractionFrame,
  i: ChatInputCommandInteraction,
): Promise<void> {
  const sub = i.options.getSubcommand();
  const command = declared(ctx, sub);
  if (command?.name === "update") {
    const typed = updateFields(i.options);
    if (!typed) return openForm(ctx, frame, i, i.options.getString("kr") ?? "");
    return reply(ctx, i, submit(ctx, frame, typed.fields, typed.stray), "channel");
  }
  const visibility = command?.visibility ?? "ephemeral";
  let text: string;
  try {
    // A subcommand the core lacks (a stale registration) goes as typed: the core says it has none.
    text = command ? optionsToText(i.options, command) : sub;
  } catch (err) {
    if (!(err instanceof UserError)) throw err;
    return reply(ctx, i, Promise.resolve(userErrorReply(err)), "ephemeral");
  }
  const invocation = toInvocation(frame, text);
  const work = ctx.core.handle({ kind: "command", invocation }).then((o) => o.reply);
  return deliver(i, work, visibility, ctx.deferAfterMs, async (requests) => {
    return (await ctx.core.handle({ kind: "charts", invocation, requests })).files;
  });
}

/** Records a check-in from options or the modal; a refusal repeats the input, named as typed here. */
async function submit(
  ctx: DiscordHandlerContext,
  frame: InteractionFrame,
  fields: RawUpdateFields,
  stray: string[],
): Promise<Reply> {
  const invocation = toInvocation(frame, "", "update");
  const result = await ctx.core.handle({ kind: "check-in", invocation, fields, stray });
  if (result.ok) return result.reply;
  return result.failure ?? checkInRefusal(fields, result, ctx.usages?.get("update")?.usage);
}

/** A button or select press: the core answers with the check-in form to show, or a reply. */
export async function onAction(
  ctx: DiscordHandlerContext,
  frame: InteractionFrame,
  i: ModalOpener,
  actionId: string,
): Promise<void> {
  const outcome = await ctx.core.handle({ kind: "action", invocation: toInvocation(frame, ""), actionId });
  return showForm(ctx, i, outcome);
}

/** `/kr update kr:…` with nothing else: the check-in form on that KR. */
async function openForm(
  ctx: DiscordHandlerContext,
  frame: InteractionFrame,
  i: ModalOpener,
  ref: string,
): Promise<void> {
  if (!ref) {
    const err = new UserError("Choose a key result first, like `/kr update kr:IV.KR2`.");
    return showForm(ctx, i, { reply: userErrorReply(err) });
  }
  const invocation = toInvocation(frame, "", "update");
  return showForm(ctx, i, await ctx.core.handle({ kind: "form", invocation, kr: ref }));
}

/**
 * Shows the check-in modal on the form's KR. Discord's modals hold no text, so a form without a
 * KR (none given, none the person may update, no such KR) is said as a private reply instead.
 */
async function showForm(ctx: DiscordHandlerContext, i: ModalOpener, outcome: FormOrReply): Promise<void> {
  if (outcome.form?.selected) {
    await i.showModal(checkInModal(outcome.form.selected));
    return;
  }
  const notice = outcome.form?.notice ?? [];
  const [message, ...hints] = notice.length
    ? notice
    : ["Choose a key result first, like `/kr update kr:IV.KR2`."];
  const answer = outcome.reply ?? userErrorReply(new UserError(message as string, hints));
  await reply(ctx, i, Promise.resolve(answer), "ephemeral");
}

/** The check-in modal's submission: recorded like a typed check-in. */
export async function onModalSubmit(
  ctx: DiscordHandlerContext,
  frame: InteractionFrame,
  i: ModalSubmitInteraction,
): Promise<void> {
  const values = Object.fromEntries(
    i.fields.fields.map((f) => [f.customId, "value" in f ? String(f.value ?? "") : ""]),
  );
  const { fields, stray } = readCheckInModal(i.customId, values);
  await reply(ctx, i, submit(ctx, frame, fields, stray), "channel");
}
