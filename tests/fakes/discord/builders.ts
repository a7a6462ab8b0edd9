/**
 * Builders of INTERACTION_CREATE inputs for `dispatchInteraction`: `/kr` chat-input commands, autocomplete
 * requests, button presses, string selects and modal submissions.
 */
import { memberOf, synthUser } from "./objects.ts";
import { InteractionType } from "./protocol.ts";
import type { ChatInputOption, ChatInputOptions, InteractionInput, JsonObject, UserInput } from "./types.ts";

function inferType(value: string | number | boolean): number {
  if (typeof value === "boolean") return 5;
  if (typeof value === "number") return Number.isInteger(value) ? 4 : 10;
  return 3;
}

function normalizeOptions(options: ChatInputOptions | undefined): ChatInputOption[] {
  if (!options) return [];
  if (Array.isArray(options)) return options;
  return Object.entries(options).map(([name, value]) => ({ name, value }));
}

function commandData(
  subcommand: string,
  options: ChatInputOption[],
  extra: JsonObject | undefined,
  commandName: string,
): JsonObject {
  const resolvedUsers: JsonObject = {};
  const resolvedMembers: JsonObject = {};
  const raw = options.map((o) => {
    const type = o.type ?? inferType(o.value);
    if (type === 6 && typeof o.value === "string") {
      resolvedUsers[o.value] = synthUser({ id: o.value, ...o.user });
      resolvedMembers[o.value] = { ...memberOf(undefined), ...(o.nick ? { nick: o.nick } : {}) };
    }
    return { name: o.name, type, value: o.value };
  });
  const data: JsonObject = {
    name: commandName,
    type: 1,
    options: [{ name: subcommand, type: 1, options: extra ? [...raw, extra] : raw }],
  };
  if (Object.keys(resolvedUsers).length > 0)
    data.resolved = { users: resolvedUsers, members: resolvedMembers };
  return data;
}

/** A `/kr <subcommand>` chat-input command (type 2) with one subcommand option. */
export function chatInput(
  subcommand: string,
  options?: ChatInputOptions,
  opts: { user?: UserInput; commandName?: string } = {},
): InteractionInput {
  return {
    type: InteractionType.ApplicationCommand,
    data: commandData(subcommand, normalizeOptions(options), undefined, opts.commandName ?? "kr"),
    ...(opts.user ? { user: opts.user } : {}),
  };
}

/** An autocomplete request (type 4) for `/kr <subcommand>` with `focusedOptionName` being typed. */
export function autocomplete(
  subcommand: string,
  focusedOptionName: string,
  partialValue: string,
  otherOptions?: ChatInputOptions,
  opts: { user?: UserInput; commandName?: string; focusedType?: number } = {},
): InteractionInput {
  const focused = {
    name: focusedOptionName,
    type: opts.focusedType ?? 3,
    value: partialValue,
    focused: true,
  };
  return {
    type: InteractionType.Autocomplete,
    data: commandData(subcommand, normalizeOptions(otherOptions), focused, opts.commandName ?? "kr"),
    ...(opts.user ? { user: opts.user } : {}),
  };
}

/** A button press (type 3, component_type 2). The message defaults to one by the bot holding the button. */
export function button(
  customId: string,
  opts: { message?: JsonObject; user?: UserInput } = {},
): InteractionInput {
  const row = {
    type: 1,
    components: [{ type: 2, style: 1, label: customId.slice(0, 80), custom_id: customId }],
  };
  return {
    type: InteractionType.Component,
    data: { custom_id: customId, component_type: 2 },
    message: { content: "", components: [row], ...opts.message },
    ...(opts.user ? { user: opts.user } : {}),
  };
}

/** A string-select choice (type 3, component_type 3) with the chosen `values`. */
export function stringSelect(
  customId: string,
  values: string[],
  opts: { message?: JsonObject; user?: UserInput } = {},
): InteractionInput {
  const menu = {
    type: 3,
    custom_id: customId,
    options: values.map((v) => ({ label: v, value: v })),
    min_values: 0,
    max_values: Math.max(1, values.length),
  };
  return {
    type: InteractionType.Component,
    data: { custom_id: customId, component_type: 3, values },
    message: { content: "", components: [{ type: 1, components: [menu] }], ...opts.message },
    ...(opts.user ? { user: opts.user } : {}),
  };
}

/** A modal submission (type 5): one action row per field, each a text input `{ type: 4, custom_id, value }`. */
export function modalSubmit(
  customId: string,
  fields: Record<string, string>,
  opts: { user?: UserInput; message?: JsonObject } = {},
): InteractionInput {
  return {
    type: InteractionType.ModalSubmit,
    data: {
      custom_id: customId,
      components: Object.entries(fields).map(([id, value]) => ({
        type: 1,
        components: [{ type: 4, custom_id: id, value }],
      })),
    },
    ...(opts.message ? { message: opts.message } : {}),
    ...(opts.user ? { user: opts.user } : {}),
  };
}
