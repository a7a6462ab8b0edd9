import {
  Client,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  Partials,
  PermissionFlagsBits,
} from "discord.js";
import { ACTION_ID, encodeAction } from "../../core/actions.ts";
import type { ChatAdapter, PostAccess, PostResult, PostTarget } from "../../core/adapter.ts";
import type { CoreDoor as Core } from "../../core/inbound.ts";
import type { Logger } from "../../core/logger.ts";
import type { Reply } from "../../core/reply.ts";
import { COMMAND_NAME, discordUsage, krCommand } from "./commands.ts";
import { DiscordDelivery } from "./deliver.ts";
import {
  type DiscordHandlerContext,
  onAction,
  onAutocomplete,
  onCommand,
  onModalSubmit,
} from "./handlers.ts";
import { CHECKIN_MODAL_PREFIX } from "./modal.ts";
import type { InteractionFrame } from "./parse.ts";
import { ChannelAccess } from "./post-access.ts";
import { registerCommands } from "./register.ts";
import { UPDATE_SELECT_ID } from "./render.ts";
import { answerUnknown, DEFER_AFTER_MS } from "./respond.ts";

export { DISCORD_ERRORS, MAX_ATTACHMENTS } from "./deliver.ts";
export { DEFER_AFTER_MS } from "./respond.ts";

/** How the Discord adapter is configured; the token never reaches a log. */
export interface DiscordAdapterOptions {
  token: string;
  applicationId: string;
  /** Register `/kr` in this guild (instant) instead of globally. */
  guildId?: string;
  /** REST base (tests point it at a local fake); the gateway URL comes from `GET /gateway/bot` there. */
  apiUrl?: string;
  log: Logger;
  /** REST retries for 5xx; 429s always wait for `retry_after`. */
  restRetries?: number;
  deferAfterMs?: number;
}

/**
 * Discord over discord.js: `/kr` subcommands with autocomplete, embeds, the check-in modal, DMs.
 * The handlers are in handlers.ts, the deadline in respond.ts, sending in deliver.ts.
 */
export class DiscordAdapter implements ChatAdapter {
  readonly platform = "discord" as const;
  private client?: Client;
  private readonly delivery: DiscordDelivery;
  /** The bot's permissions per channel, from the interactions made there. */
  private readonly access = new ChannelAccess();

  constructor(private readonly options: DiscordAdapterOptions) {
    this.delivery = new DiscordDelivery(options.log);
  }

  async start(core: Core): Promise<void> {
    const o = this.options;
    const client = new Client({
      intents: [GatewayIntentBits.Guilds],
      partials: [Partials.Channel],
      allowedMentions: { parse: [] },
      rest: { ...(o.apiUrl ? { api: o.apiUrl } : {}), retries: o.restRetries ?? 3 },
    });
    this.client = client;
    const linked = core.connect({
      platform: this.platform,
      checkPostAccess: (workspaceId, channelId) => this.checkPostAccess(workspaceId, channelId),
      usage: (commands) => discordUsage(krCommand(commands)),
    });
    const commands = linked.commands;
    const handlers: DiscordHandlerContext = {
      core,
      commands,
      usages: discordUsage(krCommand(commands)),
      deferAfterMs: o.deferAfterMs ?? DEFER_AFTER_MS,
    };
    client.on(Events.InteractionCreate, (interaction) => {
      this.route(handlers, interaction).catch(async (err: unknown) => {
        // Wrongly typed options (a client with a stale command definition) make discord.js throw;
        // the person still gets an answer instead of "The application did not respond".
        o.log.warn({ error: String((err as Error)?.message ?? err) }, "Discord: interaction failed");
        await answerUnknown(
          interaction,
          "krbot could not read that command; try `/kr help`, or run it again.",
        );
      });
    });
    client.on(Events.Error, (err) => o.log.error({ err }, "Discord: client error"));
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(o.token);
    await ready;
    const registered = await registerCommands(
      client.rest,
      { applicationId: o.applicationId, ...(o.guildId ? { guildId: o.guildId } : {}) },
      [krCommand(commands)],
    );
    o.log.info({ registered, guild: o.guildId ?? "global" }, "Discord: connected; /kr is registered");
  }

  async stop(): Promise<void> {
    await this.client?.destroy();
  }

  /** Whether krbot can post in a channel, from the permissions Discord sent with the last interaction there. */
  async checkPostAccess(_workspaceId: string, channelId: string): Promise<PostAccess> {
    return this.access.check(channelId);
  }

  async post(workspaceId: string, target: PostTarget, message: Reply): Promise<PostResult> {
    if (!this.client) throw new Error("Discord adapter is not started");
    return this.delivery.post(this.client, workspaceId, target, message);
  }

  /** Sends an interaction to its handler; anything krbot does not know gets a short private answer. */
  private async route(ctx: DiscordHandlerContext, i: Interaction): Promise<void> {
    if (!i.inGuild()) {
      if (i.isRepliable())
        await i.reply({ content: "Use /kr in a server channel.", flags: MessageFlags.Ephemeral });
      return;
    }
    this.access.record(i.channelId, i.appPermissions);
    const frame: InteractionFrame = {
      id: i.id,
      guildId: i.guildId,
      channelId: i.channelId ?? "",
      user: { id: i.user.id, username: i.user.username, globalName: i.user.globalName },
      // Discord's own admin notion for krbot: Manage Server in this guild.
      isAdmin: Boolean(i.memberPermissions?.has(PermissionFlagsBits.ManageGuild)),
    };
    if (i.isAutocomplete()) return onAutocomplete(ctx, frame, i);
    if (i.isChatInputCommand() && i.commandName === COMMAND_NAME) return onCommand(ctx, frame, i);
    // A krbot button, or the select menu whose options stand for a message's Update buttons.
    if (i.isButton() && ACTION_ID.test(i.customId)) return onAction(ctx, frame, i, i.customId);
    if (i.isStringSelectMenu() && i.customId === UPDATE_SELECT_ID)
      // An option's value is an Update button's id; none chosen is the form on no KR.
      return onAction(ctx, frame, i, i.values[0] || encodeAction({ kind: "update", kr: "" }));
    if (i.isModalSubmit() && i.customId.startsWith(CHECKIN_MODAL_PREFIX)) return onModalSubmit(ctx, frame, i);
    // Anything else (an old button, another app's command) still gets a short, private answer.
    await answerUnknown(i, "That button or command is not one krbot knows (any more). Try `/kr help`.");
  }
}
