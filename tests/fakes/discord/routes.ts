/**
 * The REST routes the fake answers: gateway discovery, users, the application and its commands,
 * interaction callbacks and webhooks, DM and guild channels, guilds and members.
 */
import { interactionCallback } from "./interactions.ts";
import { FormErrors, isEmptyMessage, validateCommand, validateMessage } from "./limits.ts";
import { createMessage, editMessage } from "./messages.ts";
import { dmChannel, guildObject, memberOf, snowflake, textChannel } from "./objects.ts";
import { type Answer, apiError, invalidForm, notFound, ok, type Route, route } from "./routing.ts";
import type { FakeState, InteractionState } from "./state.ts";
import type { JsonObject, RegisteredCommand } from "./types.ts";

/** The route table, in matching order. */
export function createRoutes(state: FakeState): Route[] {
  const requireInteractionWebhook = (params: Record<string, string>): InteractionState | Answer => {
    const interaction = params.token ? state.byToken.get(params.token) : undefined;
    if (!interaction || params.app !== state.applicationId || !interaction.acknowledged) {
      return apiError(404, 10015, "Unknown Webhook");
    }
    return interaction;
  };
  const isAnswer = (v: InteractionState | Answer): v is Answer => "status" in v;

  return [
    route("GET", "/gateway", () => ok({ url: state.gatewayUrl })),
    route("GET", "/gateway/bot", () =>
      ok({
        url: state.gatewayUrl,
        shards: 1,
        session_start_limit: { total: 1000, remaining: 1000, reset_after: 0, max_concurrency: 1 },
      }),
    ),
    route("GET", "/users/@me", () => ok(state.botUser)),
    route("GET", "/users/:user", ({ params }) => ok(state.userFor({ id: params.user ?? "" }))),
    route("GET", "/applications/@me", () =>
      ok({
        id: state.applicationId,
        name: state.botUser.username,
        icon: null,
        description: "",
        summary: "",
        bot_public: true,
        bot_require_code_grant: false,
        verify_key: "0".repeat(64),
        flags: 0,
        team: null,
        owner: state.defaultUser,
        bot: state.botUser,
        approximate_guild_count: state.guilds.length,
      }),
    ),
    ...commandRoutes(state, "/applications/:app/commands", () => state.globalCommands, undefined),
    ...commandRoutes(
      state,
      "/applications/:app/guilds/:guild/commands",
      (params) => {
        const id = params.guild ?? "";
        let list = state.guildCommands.get(id);
        if (!list) {
          list = [];
          state.guildCommands.set(id, list);
        }
        return list;
      },
      (params) => params.guild,
    ),
    route("POST", "/interactions/:id/:token/callback", ({ params, body, call }) =>
      interactionCallback(state, params.id ?? "", params.token ?? "", body, call),
    ),
    route("GET", "/webhooks/:app/:token/messages/:message", ({ params }) => {
      const interaction = requireInteractionWebhook(params);
      if (isAnswer(interaction)) return interaction;
      const message =
        params.message === "@original"
          ? interaction.original
          : interaction.followUps.get(params.message ?? "");
      return message ? ok(message) : apiError(404, 10008, "Unknown Message");
    }),
    route("PATCH", "/webhooks/:app/:token/messages/:message", ({ params, body }) => {
      const interaction = requireInteractionWebhook(params);
      if (isAnswer(interaction)) return interaction;
      const message =
        params.message === "@original"
          ? interaction.original
          : interaction.followUps.get(params.message ?? "");
      if (!message) return apiError(404, 10008, "Unknown Message");
      const errors = new FormErrors();
      validateMessage(body, [], errors);
      if (errors.count > 0) return invalidForm(errors);
      return ok(editMessage(message, body));
    }),
    route("DELETE", "/webhooks/:app/:token/messages/:message", ({ params }) => {
      const interaction = requireInteractionWebhook(params);
      if (isAnswer(interaction)) return interaction;
      if (params.message === "@original") {
        if (!interaction.original) return apiError(404, 10008, "Unknown Message");
        interaction.original = undefined;
      } else if (!interaction.followUps.delete(params.message ?? ""))
        return apiError(404, 10008, "Unknown Message");
      return { status: 204, body: null };
    }),
    route("POST", "/webhooks/:app/:token", ({ params, body, call }) => {
      const interaction = requireInteractionWebhook(params);
      if (isAnswer(interaction)) return interaction;
      if (isEmptyMessage(body, call.files)) return apiError(400, 50006, "Cannot send an empty message");
      const errors = new FormErrors();
      validateMessage(body, [], errors);
      if (errors.count > 0) return invalidForm(errors);
      const message = createMessage(state, interaction.channelId, body, call.files, {
        webhook_id: state.applicationId,
        application_id: state.applicationId,
      });
      interaction.followUps.set(message.id, message);
      return call.query.wait === "false" ? { status: 204, body: null } : ok(message);
    }),
    route("POST", "/users/@me/channels", ({ body }) => {
      const recipient = typeof body.recipient_id === "string" ? body.recipient_id : undefined;
      if (!recipient) {
        const errors = new FormErrors();
        errors.add(["recipient_id"], "BASE_TYPE_REQUIRED", "This field is required");
        return invalidForm(errors);
      }
      return ok(dmChannel(`dm-${recipient}`, state.userFor({ id: recipient })));
    }),
    route("GET", "/channels/:channel", ({ params }) => {
      const id = params.channel ?? "";
      if (id.startsWith("dm-")) return ok(dmChannel(id, state.userFor({ id: id.slice(3) })));
      return ok(textChannel(id, (state.guildOfChannel(id) ?? state.firstGuild).id));
    }),
    route("POST", "/channels/:channel/messages", ({ params, body, call }) => {
      const id = params.channel ?? "";
      if (id.startsWith("dm-") && state.blockedDms.has(id.slice(3))) {
        return apiError(403, 50007, "Cannot send messages to this user");
      }
      if (state.deniedChannels.has(id)) return apiError(403, 50013, "Missing Permissions");
      if (isEmptyMessage(body, call.files)) return apiError(400, 50006, "Cannot send an empty message");
      const errors = new FormErrors();
      validateMessage(body, [], errors);
      if (errors.count > 0) return invalidForm(errors);
      return ok(createMessage(state, id, body, call.files));
    }),
    route("GET", "/guilds/:guild", ({ params }) => {
      const guild = state.guilds.find((g) => g.id === params.guild);
      return guild
        ? ok(guildObject(guild, state.defaultUser.id, state.locale))
        : apiError(404, 10004, "Unknown Guild");
    }),
    route("GET", "/guilds/:guild/members/:user", ({ params }) => {
      if (!state.guilds.some((g) => g.id === params.guild)) return apiError(404, 10004, "Unknown Guild");
      return ok(memberOf(state.userFor({ id: params.user ?? "" })));
    }),
  ];
}

/** GET, PUT (bulk overwrite) and POST (upsert) for one command scope: global or one guild. */
function commandRoutes(
  state: FakeState,
  base: string,
  list: (params: Record<string, string>) => RegisteredCommand[],
  guildOf: ((params: Record<string, string>) => string | undefined) | undefined,
): Route[] {
  const store = (cmd: JsonObject, params: Record<string, string>): RegisteredCommand => {
    const guildId = guildOf?.(params);
    const type = typeof cmd.type === "number" ? cmd.type : 1;
    const key = `${guildId ?? "global"}:${type}:${String(cmd.name)}`;
    let id = state.commandIds.get(key);
    if (!id) {
      id = snowflake();
      state.commandIds.set(key, id);
    }
    return {
      default_member_permissions: null,
      nsfw: false,
      integration_types: [0],
      ...cmd,
      id,
      application_id: state.applicationId,
      ...(guildId ? { guild_id: guildId } : {}),
      name: String(cmd.name),
      type,
      version: snowflake(),
    };
  };
  const wrongApp = (params: Record<string, string>) => params.app !== state.applicationId;
  return [
    route("GET", base, ({ params }) => (wrongApp(params) ? notFound() : ok(list(params)))),
    route("PUT", base, ({ params, call }) => {
      if (wrongApp(params)) return notFound();
      const body = call.body;
      if (!Array.isArray(body)) return apiError(400, 50109, "The request body contains invalid JSON.");
      const errors = new FormErrors();
      body.forEach((cmd, i) => {
        validateCommand(cmd, i, errors);
      });
      if (errors.count > 0) return invalidForm(errors);
      const stored = body.map((cmd) => store(cmd as JsonObject, params));
      const target = list(params);
      target.splice(0, target.length, ...stored);
      return ok(stored);
    }),
    route("POST", base, ({ params, body }) => {
      if (wrongApp(params)) return notFound();
      const errors = new FormErrors();
      validateCommand(body, 0, errors);
      if (errors.count > 0) return invalidForm(errors);
      const cmd = store(body, params);
      const target = list(params);
      const at = target.findIndex((c) => c.id === cmd.id);
      if (at >= 0) target[at] = cmd;
      else target.push(cmd);
      return { status: at >= 0 ? 200 : 201, body: cmd };
    }),
  ];
}
