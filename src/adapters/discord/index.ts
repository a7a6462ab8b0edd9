import {
  type AttachmentPayload,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  MessageFlags,
  type ModalSubmitInteraction,
  Partials,
  PermissionFlagsBits,
  type RepliableInteraction,
  type StringSelectMenuInteraction,
} from "discord.js";
import { ACTION_ID, encodeAction } from "../../core/actions.ts";
import {
  type ChatAdapter,
  DeliveryError,
  type PostAccess,
  type PostResult,
  type PostTarget,
} from "../../core/adapter.ts";
import type { AnyCommand, PlatformUsage } from "../../core/command.ts";
import type { CoreDoor as Core, FormOrReply } from "../../core/inbound.ts";
import type { Logger } from "../../core/logger.ts";
import type { ChartRequest, Reply, ReplyFile } from "../../core/reply.ts";
import { UserError } from "../../domain/errors.ts";
import type { RawUpdateFields } from "../../domain/update-fields.ts";
import { COMMAND_NAME, discordUsage, krCommand } from "./commands.ts";
import { CHECKIN_MODAL_PREFIX, checkInModal, readCheckInModal } from "./modal.ts";
import { type InteractionFrame, optionsToText, toInvocation, updateFields } from "./parse.ts";
import { ChannelAccess } from "./post-access.ts";
import { registerCommands } from "./register.ts";
import { type DiscordMessage, isEphemeral, renderDiscord, UPDATE_SELECT_ID } from "./render.ts";
import { checkInRefusal, userErrorReply } from "./replies.ts";

/** Discord shows at most 25 autocomplete choices, each name and value at most 100 characters. */
const MAX_CHOICES = 25;
const MAX_CHOICE_LENGTH = 100;

/** Files Discord takes on one message. */
export const MAX_ATTACHMENTS = 10;

/** Discord wants a first response within 3 s; past this budget we defer and edit later. */
export const DEFER_AFTER_MS = 2000;
/** Discord API error codes krbot treats specially. */
export const DISCORD_ERRORS = {
  cannotDmUser: 50007,
  missingPermissions: 50013,
  missingAccess: 50001,
  unknownChannel: 10003,
} as const;

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

/** Discord over discord.js: `/kr` subcommands with autocomplete, embeds, the check-in modal, DMs. */
export class DiscordAdapter implements ChatAdapter {
  readonly platform = "discord" as const;
  private client?: Client;
  /** Users whose DMs are closed to the bot (error 50007): not tried again in this process. */
  private readonly dmBlocked = new Set<string>();
  /** The bot's permissions per channel, from the interactions made there. */
  private readonly access = new ChannelAccess();
  /** How each subcommand is typed here, read off the registration (for usage hints). */
  private usages?: ReadonlyMap<string, PlatformUsage>;
  /** The commands `/kr` registers, as the core gave them on start. */
  private commands: readonly AnyCommand[] = [];

  constructor(private readonly options: DiscordAdapterOptions) {}

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
    this.commands = linked.commands;
    this.usages = discordUsage(krCommand(this.commands));
    client.on(Events.InteractionCreate, (interaction) => {
      this.handle(core, interaction).catch(async (err: unknown) => {
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
    const kr = krCommand(this.commands);
    const registered = await registerCommands(
      client.rest,
      { applicationId: o.applicationId, ...(o.guildId ? { guildId: o.guildId } : {}) },
      [kr],
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
    const client = this.client;
    if (!client) throw new Error("Discord adapter is not started");
    if (target.userId && this.dmBlocked.has(target.userId)) {
      throw new DeliveryError("dm_blocked", `user ${target.userId} does not accept DMs from the bot`);
    }
    try {
      const channel = target.userId
        ? await client.users.createDM(target.userId)
        : await client.channels.fetch(target.channelId as string);
      if (!channel?.isSendable())
        throw new DeliveryError("channel_not_found", `cannot post in channel ${target.channelId}`);
      let messageId = "";
      for (const m of withFiles(renderDiscord(message), message.files)) {
        const sent = await channel.send(sendable(m));
        messageId ||= sent.id;
      }
      return { messageId, channelId: channel.id };
    } catch (err) {
      throw this.deliveryError(err, workspaceId, target);
    }
  }

  private deliveryError(err: unknown, workspace: string, target: PostTarget): DeliveryError {
    if (err instanceof DeliveryError) return err;
    const log = this.options.log;
    if (err instanceof DiscordAPIError) {
      if (err.code === DISCORD_ERRORS.cannotDmUser && target.userId) {
        this.dmBlocked.add(target.userId);
        log.warn({ workspace, user: target.userId }, "Discord: user does not accept DMs; not retrying");
        return new DeliveryError("dm_blocked", "this user does not accept direct messages from the bot");
      }
      if (err.code === DISCORD_ERRORS.missingPermissions || err.code === DISCORD_ERRORS.missingAccess) {
        log.warn(
          { workspace, channel: target.channelId },
          "Discord: missing permission to post (needs View Channel, Send Messages, Embed Links, Attach Files)",
        );
        return new DeliveryError(
          "missing_permissions",
          "the bot lacks View Channel, Send Messages, Embed Links or Attach Files here",
        );
      }
      if (err.code === DISCORD_ERRORS.unknownChannel)
        return new DeliveryError("channel_not_found", "no such channel");
      return new DeliveryError(String(err.code), err.message, err.status >= 500);
    }
    log.warn({ workspace, message: (err as Error).message }, "Discord could not be reached");
    return new DeliveryError(
      "request_failed",
      (err as Error).message ?? "Discord could not be reached",
      true,
    );
  }

  private async handle(core: Core, i: Interaction): Promise<void> {
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
    if (i.isAutocomplete()) return this.autocomplete(core, frame, i);
    if (i.isChatInputCommand() && i.commandName === COMMAND_NAME) return this.command(core, frame, i);
    // A krbot button, or the select menu whose options stand for a message's Update buttons.
    if (i.isButton() && ACTION_ID.test(i.customId)) return this.action(core, frame, i, i.customId);
    if (i.isStringSelectMenu() && i.customId === UPDATE_SELECT_ID)
      // An option's value is an Update button's id; none chosen is the form on no KR.
      return this.action(core, frame, i, i.values[0] || encodeAction({ kind: "update", kr: "" }));
    if (i.isModalSubmit() && i.customId.startsWith(CHECKIN_MODAL_PREFIX))
      return this.submitModal(core, frame, i);
    // Anything else (an old button, another app's command) still gets a short, private answer.
    await answerUnknown(i, "That button or command is not one krbot knows (any more). Try `/kr help`.");
  }

  /** The declared command a subcommand stands for, by its name or one of its aliases. */
  private declared(sub: string): AnyCommand | undefined {
    const name = sub.toLowerCase();
    return this.commands.find((c) => c.name === name || c.aliases?.some((a) => a.toLowerCase() === name));
  }

  private async autocomplete(core: Core, frame: InteractionFrame, i: AutocompleteInteraction): Promise<void> {
    const focused = i.options.getFocused(true);
    const command = this.declared(i.options.getSubcommand(false) ?? "");
    // What to suggest is the focused option's declared kind (KRs when the declaration is not found).
    const spec = command?.options?.find((o) => o.name === focused.name);
    const { choices } = await core.handle({
      kind: "suggest",
      invocation: toInvocation(frame, "", "autocomplete"),
      field: spec?.autocomplete ?? "kr",
      partial: String(focused.value),
      forUpdate: command?.name === "update",
    });
    const clip = (s: string) => s.slice(0, MAX_CHOICE_LENGTH);
    await i.respond(
      choices.slice(0, MAX_CHOICES).map((c) => ({ name: clip(c.label), value: clip(c.value) })),
    );
  }

  private async command(core: Core, frame: InteractionFrame, i: ChatInputCommandInteraction): Promise<void> {
    const sub = i.options.getSubcommand();
    const command = this.declared(sub);
    if (command?.name === "update") {
      const typed = updateFields(i.options);
      if (!typed) return this.openForm(core, frame, i, i.options.getString("kr") ?? "");
      return this.deliver(i, this.submit(core, frame, typed.fields, typed.stray), "channel");
    }
    let text: string;
    try {
      // A subcommand the core lacks (a stale registration) goes as typed: the core says it has none.
      text = command ? optionsToText(i.options, command) : sub;
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      return this.deliver(i, Promise.resolve(userErrorReply(err)), "ephemeral");
    }
    const invocation = toInvocation(frame, text);
    const work = core.handle({ kind: "command", invocation }).then((o) => o.reply);
    return this.deliver(i, work, command?.visibility ?? "ephemeral", async (requests) => {
      return (await core.handle({ kind: "charts", invocation, requests })).files;
    });
  }

  /** Records a check-in from options or the modal; a refusal repeats the input, named as typed here. */
  private async submit(
    core: Core,
    frame: InteractionFrame,
    fields: RawUpdateFields,
    stray: string[],
  ): Promise<Reply> {
    const invocation = toInvocation(frame, "", "update");
    const result = await core.handle({ kind: "check-in", invocation, fields, stray });
    if (result.ok) return result.reply;
    return result.failure ?? checkInRefusal(fields, result, this.usages?.get("update")?.usage);
  }

  /** A button or select press: the core answers with the check-in form to show, or a reply. */
  private async action(core: Core, frame: InteractionFrame, i: ModalOpener, actionId: string): Promise<void> {
    const outcome = await core.handle({ kind: "action", invocation: toInvocation(frame, ""), actionId });
    return this.showForm(i, outcome);
  }

  /** `/kr update kr:…` with nothing else: the check-in form on that KR. */
  private async openForm(core: Core, frame: InteractionFrame, i: ModalOpener, ref: string): Promise<void> {
    if (!ref) {
      const err = new UserError("Choose a key result first, like `/kr update kr:IV.KR2`.");
      return this.showForm(i, { reply: userErrorReply(err) });
    }
    const invocation = toInvocation(frame, "", "update");
    return this.showForm(i, await core.handle({ kind: "form", invocation, kr: ref }));
  }

  /**
   * Shows the check-in modal on the form's KR. Discord's modals hold no text, so a form without a
   * KR (none given, none the person may update, no such KR) is said as a private reply instead.
   */
  private async showForm(i: ModalOpener, outcome: FormOrReply): Promise<void> {
    if (outcome.form?.selected) {
      await i.showModal(checkInModal(outcome.form.selected));
      return;
    }
    const notice = outcome.form?.notice ?? [];
    const [message, ...hints] = notice.length
      ? notice
      : ["Choose a key result first, like `/kr update kr:IV.KR2`."];
    const answer = outcome.reply ?? userErrorReply(new UserError(message as string, hints));
    await this.deliver(i, Promise.resolve(answer), "ephemeral");
  }

  private async submitModal(core: Core, frame: InteractionFrame, i: ModalSubmitInteraction): Promise<void> {
    const values = Object.fromEntries(
      i.fields.fields.map((f) => [f.customId, "value" in f ? String(f.value ?? "") : ""]),
    );
    const { fields, stray } = readCheckInModal(i.customId, values);
    await this.deliver(i, this.submit(core, frame, fields, stray), "channel");
  }

  /**
   * Answers within Discord's 3 s: a direct reply when the work is done in time, else a deferred
   * reply (ephemeral or not, fixed now) edited later. A reply that turns out ephemeral after a
   * public defer replaces the placeholder with an ephemeral follow-up.
   */
  private async deliver(
    i: RepliableInteraction,
    work: Promise<Reply>,
    visibility: Reply["visibility"],
    renderCharts?: (requests: ChartRequest[]) => Promise<ReplyFile[]>,
  ): Promise<void> {
    const reply = await this.answer(i, work, visibility);
    // Charts follow the answer, so it never waits for them.
    if (!reply?.chartRequests?.length || !renderCharts) return;
    const files = await renderCharts(reply.chartRequests);
    if (files.length === 0) return;
    const [m] = withFiles([{ embeds: [], components: [] }], files);
    if (m)
      await i.followUp(withFlags({ ...m, ...(isEphemeral(reply) ? { flags: MessageFlags.Ephemeral } : {}) }));
  }

  /** Sends the reply itself (in time, or deferred) and returns it. */
  private async answer(
    i: RepliableInteraction,
    work: Promise<Reply>,
    visibility: Reply["visibility"],
  ): Promise<Reply | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const early = await Promise.race([
      work,
      new Promise<undefined>((resolve) => {
        timer = setTimeout(() => resolve(undefined), this.options.deferAfterMs ?? DEFER_AFTER_MS);
      }),
    ]);
    clearTimeout(timer);
    if (early) {
      const [first, ...rest] = withFiles(renderDiscord(early), early.files);
      await i.reply(withFlags(first as Outgoing));
      for (const m of rest) await i.followUp(withFlags(m));
      return early;
    }
    const deferredEphemeral = visibility === "ephemeral";
    await i.deferReply(deferredEphemeral ? { flags: MessageFlags.Ephemeral } : {});
    const late = await work;
    const messages = withFiles(renderDiscord(late), late.files);
    if (!deferredEphemeral && isEphemeral(late)) {
      await i.deleteReply();
      for (const m of messages) await i.followUp(withFlags(m));
      return late;
    }
    const [first, ...rest] = messages;
    await i.editReply(sendable(first as Outgoing));
    for (const m of rest) await i.followUp(withFlags(m));
    return late;
  }
}

/** Interactions that may answer with the check-in modal. */
type ModalOpener = ChatInputCommandInteraction | ButtonInteraction | StringSelectMenuInteraction;

/** A rendered message with the files that go with it. */
type Outgoing = DiscordMessage & { files?: AttachmentPayload[] };

/**
 * Attaches a reply's files to its first message, at most MAX_ATTACHMENTS of them; any more go on
 * messages of their own after it (with the same ephemeral flag).
 */
function withFiles(messages: DiscordMessage[], files: ReplyFile[] | undefined): Outgoing[] {
  if (!files?.length) return messages;
  const attachments = files.map(
    (f): AttachmentPayload => ({
      // A Buffer view of the reply's bytes, not a copy.
      attachment: Buffer.from(f.bytes.buffer, f.bytes.byteOffset, f.bytes.byteLength),
      name: f.name,
      // Discord shows an attachment's description as its alt text.
      ...(f.title ? { description: f.title } : {}),
    }),
  );
  const chunks: AttachmentPayload[][] = [];
  for (let at = 0; at < attachments.length; at += MAX_ATTACHMENTS)
    chunks.push(attachments.slice(at, at + MAX_ATTACHMENTS));
  const [first, ...more] = chunks;
  const [head, ...tail] = messages;
  const flags = head?.flags;
  return [
    { ...(head ?? { embeds: [], components: [] }), files: first ?? [] },
    ...tail,
    ...more.map((chunk) => ({ embeds: [], components: [], ...(flags ? { flags } : {}), files: chunk })),
  ];
}

/** A rendered message as a channel send / edit takes it (no interaction flags). */
function sendable(m: Outgoing) {
  return {
    ...(m.content !== undefined ? { content: m.content } : {}),
    embeds: m.embeds,
    components: m.components,
    ...(m.files?.length ? { files: m.files } : {}),
  };
}

/** A rendered message as an interaction reply takes it (ephemeral flag kept). */
function withFlags(m: Outgoing) {
  return { ...sendable(m), ...(m.flags ? { flags: MessageFlags.Ephemeral as const } : {}) };
}

/** Answers an interaction krbot cannot handle, privately, unless it was answered already. */
async function answerUnknown(i: Interaction, text: string): Promise<void> {
  try {
    if (i.isAutocomplete()) {
      if (!i.responded) await i.respond([]);
      return;
    }
    if (!i.isRepliable() || i.replied || i.deferred) return;
    await i.reply({ content: text, flags: MessageFlags.Ephemeral });
  } catch {
    // The interaction may have expired; nothing more to do.
  }
}
