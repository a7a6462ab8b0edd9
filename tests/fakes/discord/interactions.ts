/**
 * The interaction lifecycle: `dispatchInteraction` sends INTERACTION_CREATE with Discord's defaults filled
 * in, and `interactionCallback` checks the bot's answer as Discord does (unknown, already acknowledged or
 * expired interactions, callback types that do not fit, empty messages and form limits).
 */
import { randomBytes } from "node:crypto";
import { sendDispatch } from "./gateway.ts";
import { FormErrors, isEmptyMessage, validateChoices, validateMessage, validateModal } from "./limits.ts";
import { createMessage, editMessage } from "./messages.ts";
import { dmChannel, isObject, memberOf, snowflake, textChannel } from "./objects.ts";
import { ALL_PERMISSIONS, CALLBACK_TYPES, Callback, InteractionType, MessageFlag } from "./protocol.ts";
import { type Answer, apiError, invalidForm, ok } from "./routing.ts";
import type { FakeState, InteractionState } from "./state.ts";
import type {
  DispatchedInteraction,
  FakeDiscordCall,
  FakeDiscordMessage,
  InteractionInput,
  JsonObject,
} from "./types.ts";

/** Answers `POST /interactions/:id/:token/callback` and records an accepted callback. */
export function interactionCallback(
  state: FakeState,
  id: string,
  token: string,
  body: JsonObject,
  call: FakeDiscordCall,
): Answer {
  const interaction = state.interactions.get(id);
  if (!interaction || interaction.token !== token) return apiError(404, 10062, "Unknown interaction");
  if (interaction.acknowledged) return apiError(400, 40060, "Interaction has already been acknowledged.");
  if (state.deadlineMs > 0 && Date.now() - interaction.dispatchedAt > state.deadlineMs) {
    return apiError(404, 10062, "Unknown interaction");
  }
  const type = body.type;
  if (typeof type !== "number" || !CALLBACK_TYPES.has(type)) {
    const errors = new FormErrors();
    errors.add(["type"], "BASE_TYPE_CHOICES", `Value must be one of {${[...CALLBACK_TYPES].join(", ")}}.`);
    return invalidForm(errors);
  }
  const data = isObject(body.data) ? body.data : undefined;
  const isComponentish =
    interaction.type === InteractionType.Component || interaction.type === InteractionType.ModalSubmit;
  const errors = new FormErrors();
  if (type === Callback.Autocomplete) {
    if (interaction.type !== InteractionType.Autocomplete)
      return apiError(400, 50035, "Invalid interaction application command");
    validateChoices(data ?? {}, errors);
  } else if (interaction.type === InteractionType.Autocomplete) {
    return apiError(400, 50035, "Invalid interaction response type for an autocomplete interaction");
  } else if (
    (type === Callback.DeferredUpdate || type === Callback.Update) &&
    !(isComponentish && interaction.message)
  ) {
    return apiError(400, 40004, "Interaction response type is not valid for this interaction");
  } else if (type === Callback.Modal) {
    if (interaction.type === InteractionType.ModalSubmit)
      return apiError(400, 50035, "Cannot respond to a modal with a modal");
    validateModal(data ?? {}, errors);
  } else if (type === Callback.Message) {
    if (isEmptyMessage(data ?? {}, call.files)) return apiError(400, 50006, "Cannot send an empty message");
    validateMessage(data ?? {}, ["data"], errors);
  } else if (type === Callback.Update) {
    validateMessage(data ?? {}, ["data"], errors);
  }
  if (errors.count > 0) return invalidForm(errors);

  interaction.acknowledged = true;
  if (type === Callback.Message) {
    interaction.original = createMessage(state, interaction.channelId, data ?? {}, call.files, {
      webhook_id: state.applicationId,
      application_id: state.applicationId,
      interaction_metadata: { id, type: interaction.type, user: interaction.user },
    });
  } else if (type === Callback.DeferredMessage) {
    interaction.original = createMessage(
      state,
      interaction.channelId,
      { content: "", flags: (Number(data?.flags ?? 0) & MessageFlag.Ephemeral) | MessageFlag.Loading },
      [],
      { webhook_id: state.applicationId, application_id: state.applicationId },
    );
    interaction.original.flags |= MessageFlag.Loading;
  } else if (type === Callback.DeferredUpdate || type === Callback.Update) {
    interaction.original = interaction.message;
    if (type === Callback.Update && interaction.original) editMessage(interaction.original, data ?? {});
  }
  state.callbacks.push({ interactionId: id, token, type, data, call });

  if (call.query.with_response !== "true") return { status: 204, body: null };
  const message = interaction.original;
  return ok({
    interaction: {
      id,
      type: interaction.type,
      activity_instance_id: null,
      response_message_id: message?.id ?? null,
      response_message_loading: message ? (message.flags & MessageFlag.Loading) !== 0 : null,
      response_message_ephemeral: message ? (message.flags & MessageFlag.Ephemeral) !== 0 : null,
    },
    resource: { type, ...(message && type !== Callback.Autocomplete ? { message } : {}) },
  });
}

/** Sends an INTERACTION_CREATE on the ready session and remembers the interaction for its callback. */
export function dispatchInteraction(state: FakeState, input: InteractionInput): DispatchedInteraction {
  const ws = state.active;
  if (!ws || ws.readyState !== ws.OPEN) {
    throw new Error(
      "fake Discord: no ready gateway session — log the client in and await waitForReady() first",
    );
  }
  const { user: userInput, ...raw } = input;
  const user = state.userFor(userInput);
  const id = input.id ?? snowflake();
  const token = input.token ?? randomBytes(48).toString("base64url");
  const isDm = input.guild_id === null;
  const guild = isDm ? undefined : (state.guilds.find((g) => g.id === input.guild_id) ?? state.firstGuild);
  const channelId = input.channel_id ?? (guild ? guild.textChannelId : `dm-${user.id}`);
  const channel = guild
    ? { ...textChannel(channelId, guild.id), permissions: ALL_PERMISSIONS }
    : dmChannel(channelId, user);

  const data: JsonObject = { ...input.data };
  if (
    (input.type === InteractionType.ApplicationCommand || input.type === InteractionType.Autocomplete) &&
    !data.id
  ) {
    const name = String(data.name ?? "");
    const registered = [
      ...(guild ? (state.guildCommands.get(guild.id) ?? []) : []),
      ...state.globalCommands,
    ].find((c) => c.name === name && c.type === (data.type ?? 1));
    data.id = registered?.id ?? snowflake();
    if (registered?.guild_id) data.guild_id = registered.guild_id;
  }

  let message: FakeDiscordMessage | undefined;
  if (input.message) {
    message = {
      id: snowflake(),
      type: 0,
      channel_id: channelId,
      ...(guild ? { guild_id: guild.id } : {}),
      author: state.botUser,
      content: "",
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: [],
      embeds: [],
      components: [],
      pinned: false,
      flags: 0,
      ...input.message,
    };
  }

  const payload: JsonObject = {
    id,
    application_id: state.applicationId,
    data,
    token,
    version: 1,
    channel,
    channel_id: channelId,
    locale: state.locale,
    app_permissions: ALL_PERMISSIONS,
    entitlements: [],
    authorizing_integration_owners: isDm ? { "1": user.id } : { "0": guild?.id ?? "" },
    context: isDm ? 1 : 0,
    attachment_size_limit: 10_485_760,
    ...(guild ? { guild_id: guild.id, guild_locale: state.locale, member: memberOf(user) } : { user }),
    ...(message ? { message } : {}),
    ...raw,
  };
  if (message) payload.message = message;
  payload.type = input.type;
  payload.data = data;
  payload.id = id;
  payload.token = token;
  if (isDm) delete payload.guild_id;

  const interaction: InteractionState = {
    id,
    token,
    type: input.type,
    dispatchedAt: Date.now(),
    acknowledged: false,
    channelId,
    guildId: guild?.id ?? null,
    user,
    message,
    original: undefined,
    followUps: new Map(),
  };
  state.interactions.set(id, interaction);
  state.byToken.set(token, interaction);
  const seq = sendDispatch(state, ws, "INTERACTION_CREATE", payload);
  return { id, token, sequence: seq, payload };
}
