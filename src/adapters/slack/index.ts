import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { App, HTTPReceiver, type RespondFn, SocketModeReceiver, webApi } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { ACTION_ID } from "../../core/actions.ts";
import {
  type ChatAdapter,
  DeliveryError,
  type PostAccess,
  type PostResult,
  type PostTarget,
} from "../../core/adapter.ts";
import { type AnyCommand, namedCommand } from "../../core/command.ts";
import type { CoreDoor as Core, FormOrReply } from "../../core/inbound.ts";
import type { Invocation } from "../../core/invocation.ts";
import type { Logger } from "../../core/logger.ts";
import type { Reply, ReplyFile } from "../../core/reply.ts";
import { boltLogger } from "./bolt-logger.ts";
import { uploadFiles } from "./files.ts";
import { digestsText, homeView } from "./home.ts";
import { type ExtraRoutes, slackHttpServer } from "./http-server.ts";
import {
  CHECKIN_CALLBACK_ID,
  type CheckInMetadata,
  checkInModal,
  KR_SELECT_ACTION,
  modalErrors,
  readCheckInSubmission,
  type SubmittedView,
  selectedKr,
} from "./modal.ts";
import { SlashCommandSchema, slackWorkspace, slashToInvocation, wantsCheckInForm } from "./parse.ts";
import { slackPostAccess } from "./post-access.ts";
import { renderSlack, responseTypeFor } from "./render.ts";
import { nameMentions } from "./text.ts";
import { UserInfoCache } from "./timezones.ts";

/** Slack wants an answer within 3 s; past this budget we ack empty and answer via response_url. */
export const ACK_BUDGET_MS = 2500;

/** How long stop() lets HTTP requests in flight finish before cutting them. */
const STOP_GRACE_MS = 5000;

/** How long stop() waits for the Socket Mode connection to close. */
const SOCKET_CLOSE_WAIT_MS = 3000;

/** Production retry policy: 429s wait for Retry-After, 5xx back off, for up to ~5 minutes. */
const DEFAULT_RETRY: webApi.RetryOptions = { retries: 8, factor: 2, minTimeout: 1000, maxTimeout: 60_000 };

/** How the Slack adapter is configured; tokens come from the environment, never from logs. */
export interface SlackAdapterOptions {
  botToken: string;
  /** HTTP mode: verify requests with this secret. */
  signingSecret?: string;
  /** Socket Mode: connect with this app-level token instead of listening for HTTP. */
  appToken?: string;
  /** Web API base URL (tests point it at a local fake). */
  apiUrl?: string;
  port: number;
  host?: string;
  log: Logger;
  retryConfig?: webApi.RetryOptions;
  ackBudgetMs?: number;
  /** HTTP mode: routes tried before Bolt on the same port (`/healthz`, `/metrics`). */
  extraRoutes?: ExtraRoutes;
}

/** Slack over Bolt: slash commands, Block Kit replies, the check-in modal and the Home tab. */
export class SlackAdapter implements ChatAdapter {
  readonly platform = "slack" as const;
  private app?: App;
  private server?: Server;
  private socketReceiver?: SocketModeReceiver;
  private readonly users = new UserInfoCache();
  /** The commands the core declared on start: whether one needs the actor's profile is read off them. */
  private commands: readonly AnyCommand[] = [];

  constructor(private readonly options: SlackAdapterOptions) {}

  /** The port the HTTP server listens on (after start), e.g. when started on port 0. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  private get client(): WebClient {
    if (!this.app) throw new Error("Slack adapter is not started");
    // Bolt bundles its own @slack/web-api: the same class under another package identity.
    return this.app.client as unknown as WebClient;
  }

  async start(core: Core): Promise<void> {
    const o = this.options;
    const logger = boltLogger(o.log);
    const clientOptions = {
      ...(o.apiUrl ? { slackApiUrl: o.apiUrl } : {}),
      retryConfig: o.retryConfig ?? DEFAULT_RETRY,
      logger,
    };
    if (o.appToken) {
      // Our own receiver, so stop() can wait for the socket to close. A custom receiver ignores
      // App.clientOptions, hence the API URL goes in installerOptions too.
      this.socketReceiver = new SocketModeReceiver({
        appToken: o.appToken,
        logger,
        installerOptions: { clientOptions },
      });
      this.app = new App({
        receiver: this.socketReceiver,
        token: o.botToken,
        tokenVerificationEnabled: false,
        logger,
        clientOptions,
      });
    } else {
      if (!o.signingSecret) throw new Error("SLACK_SIGNING_SECRET is required for HTTP mode");
      const receiver = new HTTPReceiver({
        signingSecret: o.signingSecret,
        endpoints: "/slack/events",
        logger,
      });
      this.app = new App({
        receiver,
        token: o.botToken,
        tokenVerificationEnabled: false,
        logger,
        clientOptions,
      });
      this.server = slackHttpServer(receiver.requestListener, o.log, o.signingSecret, o.extraRoutes);
    }
    this.commands = core.connect(this).commands;
    this.register(this.app, core);
    if (this.server) {
      const server = this.server;
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(o.port, o.host ?? "0.0.0.0", () => resolve());
      });
      o.log.info({ port: this.port }, "Slack: listening for POST /slack/events");
    } else {
      await this.app.start();
      o.log.info({}, "Slack: connected in Socket Mode");
    }
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server) {
      // Stop accepting, let requests in flight finish (their commands are acked and recorded),
      // and only cut connections that are still open after the grace period.
      await new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
        force.unref();
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      });
    } else if (this.app && this.socketReceiver) {
      // Bolt's stop() starts the disconnect without waiting for it; wait (briefly) for the close.
      const client = this.socketReceiver.client;
      const closed = new Promise<void>((resolve) => {
        client.once("disconnected", () => resolve());
        setTimeout(resolve, SOCKET_CLOSE_WAIT_MS).unref();
      });
      await this.app.stop();
      await closed;
    }
  }

  async post(workspaceId: string, target: PostTarget, reply: Reply): Promise<PostResult> {
    try {
      let channel = target.channelId;
      if (target.userId) {
        const opened = await this.client.conversations.open({ users: target.userId });
        channel = opened.channel?.id;
      }
      if (!channel) throw new DeliveryError("channel_not_found", `no channel to post to in ${workspaceId}`);
      let messageId = "";
      for (const message of renderSlack(reply)) {
        const res = await this.client.chat.postMessage({
          channel,
          ...message,
          ...(target.threadOf ? { thread_ts: target.threadOf } : {}),
          unfurl_links: false,
          unfurl_media: false,
        });
        messageId ||= res.ts ?? "";
      }
      if (reply.files?.length) {
        // The messages are out: a failed upload must not make the outbox send them again, so
        // it is logged and the delivery counts as done (a missing chart beats a doubled digest).
        try {
          await uploadFiles(this.client, channel, reply.files, {
            ...(target.threadOf ? { threadTs: target.threadOf } : {}),
          });
        } catch (err) {
          const failure = toDeliveryError(err, this.options.log, workspaceId);
          this.options.log.warn({ workspace: workspaceId, code: failure.code }, "Slack: files not attached");
        }
      }
      return { messageId, channelId: channel };
    } catch (err) {
      throw toDeliveryError(err, this.options.log, workspaceId);
    }
  }

  /** Asks Slack (conversations.info, which posts nothing) whether krbot can post in a channel. */
  async checkPostAccess(_workspaceId: string, channelId: string): Promise<PostAccess> {
    return slackPostAccess(this.client, channelId, this.options.log);
  }

  private register(app: App, core: Core): void {
    const log = this.options.log;
    const budget = this.options.ackBudgetMs ?? ACK_BUDGET_MS;

    app.command(/.*/, async ({ command, ack, respond, client }) => {
      const parsed = SlashCommandSchema.safeParse(command);
      if (!parsed.success) {
        log.warn({ issues: parsed.error.issues.length }, "Slack: malformed slash command payload");
        await ack({
          response_type: "ephemeral",
          text: "Slack sent a command krbot could not read; please try again.",
        });
        return;
      }
      const cmd = parsed.data;
      if (wantsCheckInForm(cmd.text) && cmd.trigger_id) {
        await ack();
        const invocation = slashToInvocation(cmd, `slack:${cmd.trigger_id}`);
        const outcome = await core.handle({ kind: "form", invocation });
        // Bolt's client is its bundled @slack/web-api's WebClient: the same class, another package.
        await this.openCheckIn(client as unknown as WebClient, outcome, {
          triggerId: cmd.trigger_id,
          meta: { channelId: cmd.channel_id },
          respond,
          workspaceId: invocation.workspace.id,
          userId: invocation.actor.id,
        });
        return;
      }
      const invocation = slashToInvocation(cmd, `slack:${cmd.trigger_id ?? cmd.response_url ?? Date.now()}`);
      // Bolt's client is its bundled @slack/web-api's WebClient: the same class, another package.
      const web = client as unknown as WebClient;
      const work = (async () => {
        // Commands that show times, store the actor's zone or need to know whether they are an
        // admin declare it and wait for users.info (cached an hour); status and lists do not.
        if (namedCommand(this.commands, cmd.text)?.needsProfile) await this.describeActor(web, invocation);
        invocation.text = await nameMentions(invocation.text ?? "", async (id) => {
          return (await this.users.get(web, id, invocation.workspace.id)).name;
        });
        return withFileNote((await core.handle({ kind: "command", invocation })).reply);
      })();
      let timer: NodeJS.Timeout | undefined;
      const early = await Promise.race([
        work,
        new Promise<undefined>((resolve) => {
          timer = setTimeout(() => resolve(undefined), budget);
        }),
      ]);
      clearTimeout(timer);
      if (early) {
        const [first, ...rest] = renderSlack(early);
        await ack({ response_type: responseTypeFor(early), ...first });
        for (const m of rest) await respond({ response_type: responseTypeFor(early), ...m });
        await this.attachToCommand(core, web, invocation, cmd, early, respond);
        return;
      }
      await ack();
      const late = await work;
      for (const m of renderSlack(late)) await respond({ response_type: responseTypeFor(late), ...m });
      await this.attachToCommand(core, web, invocation, cmd, late, respond);
    });

    // Every krbot button (Update, Snooze a week, the Home tab's Check in): the core reads the id.
    app.action(ACTION_ID, async ({ ack, body, client, action, respond }) => {
      await ack();
      const b = body as unknown as BlockActionBody;
      // The renderer keeps action ids unique per message with a suffix; the value is the plain id.
      const value =
        "value" in action && typeof action.value === "string"
          ? action.value
          : "action_id" in action
            ? String(action.action_id)
            : "";
      const invocation = interactionInvocation(b, `slack-action:${b.trigger_id ?? value}`);
      // Bolt's client is its bundled @slack/web-api's WebClient: the same class, another package.
      const web = client as unknown as WebClient;
      await this.describeActor(web, invocation);
      const outcome = await core.handle({ kind: "action", invocation, actionId: value });
      await this.openCheckIn(web, outcome, {
        ...(b.trigger_id ? { triggerId: b.trigger_id } : {}),
        meta: b.channel?.id ? { channelId: b.channel.id } : {},
        respond,
        workspaceId: invocation.workspace.id,
        userId: invocation.actor.id,
        hasResponseUrl: Boolean(b.response_url),
      });
    });

    app.action(KR_SELECT_ACTION, async ({ ack, body, client }) => {
      await ack();
      const b = body as unknown as BlockActionBody;
      if (!b.view) return;
      const invocation = interactionInvocation(b, `slack-select:${b.view.id}`);
      const outcome = await core.handle({ kind: "form", invocation, kr: selectedKr(b.view), redraw: true });
      if (!outcome.form) return;
      const meta = parseMeta(b.view.private_metadata);
      await client.views.update({
        view_id: b.view.id,
        hash: b.view.hash,
        view: checkInModal(outcome.form, meta),
      });
    });

    app.view(CHECKIN_CALLBACK_ID, async ({ ack, body, view }) => {
      const b = body as unknown as ViewSubmissionBody;
      // The view id is stable across Slack's redeliveries and double clicks: one check-in per form.
      const invocation = interactionInvocation(b, `slack-view:${view.id}`);
      const meta = parseMeta(view.private_metadata);
      await this.describeActor(this.client, invocation);
      const fields = readCheckInSubmission(view as unknown as SubmittedView);
      const result = await core.handle({ kind: "check-in", invocation, fields });
      if (!result.ok) {
        await ack({ response_action: "errors", errors: modalErrors(result.errors) });
        return;
      }
      await ack();
      try {
        await this.announce(invocation, meta, result.reply);
      } catch (err) {
        log.error({ err }, "Slack: check-in saved but not announced");
      }
    });

    app.event("app_home_opened", async ({ event, body, client }) => {
      if (event.tab && event.tab !== "home") return;
      const b = body as unknown as {
        team_id?: string;
        enterprise_id?: string;
        is_enterprise_install?: boolean;
      };
      const invocation: Invocation = {
        workspace: slackWorkspace(b),
        actor: { id: event.user, name: event.user },
        channel: { id: event.channel ?? "", isDirect: true },
        command: "",
        requestId: `slack-home:${event.user}:${Date.now()}`,
      };
      const { mine, digests } = await core.handle({ kind: "home", invocation });
      await client.views.publish({ user_id: event.user, view: homeView(mine, digestsText(digests)) });
    });
  }

  /**
   * Uploads a slash command's files once its answer is out: to the channel when the answer is public,
   * else to the person's DM with krbot, so an ephemeral export is not shown to everyone. A failure is
   * told to the person in an ephemeral follow-up, never thrown.
   */
  private async attachToCommand(
    core: Core,
    client: WebClient,
    invocation: Invocation,
    cmd: { channel_id: string; user_id: string },
    reply: Reply,
    respond: (message: {
      response_type: "ephemeral";
      replace_original: false;
      text: string;
    }) => Promise<unknown>,
  ): Promise<void> {
    // Charts are rendered now, after the answer is out, so the answer never waits for them.
    const charts = reply.chartRequests?.length
      ? (await core.handle({ kind: "charts", invocation, requests: reply.chartRequests })).files
      : [];
    const files = [...(reply.files ?? []), ...charts];
    if (files.length === 0) return;
    const log = this.options.log;
    const workspace = invocation.workspace.id;
    try {
      if (reply.visibility === "channel") {
        await uploadFiles(client, cmd.channel_id, files);
      } else {
        const opened = await client.conversations.open({ users: cmd.user_id });
        const dm = opened.channel?.id;
        if (!dm) throw new DeliveryError("dm_not_opened", "Slack opened no DM with you");
        await uploadFiles(client, dm, files, { initialComment: reply.summary });
      }
    } catch (err) {
      const failure = toDeliveryError(err, log, workspace);
      try {
        await respond({
          response_type: "ephemeral",
          replace_original: false,
          text: `${fileNames(files)} could not be attached: ${explainUploadFailure(failure)}`,
        });
      } catch (respondErr) {
        log.warn({ workspace, err: respondErr }, "Slack: could not say that a file was not attached");
      }
    }
  }

  /** Fills in the actor's zone and admin flag from users.info (cached). */
  private async describeActor(client: WebClient, invocation: Invocation): Promise<void> {
    const info = await this.users.get(client, invocation.actor.id, invocation.workspace.id);
    if (info.timezone) invocation.actor.timezone = info.timezone;
    invocation.actor.isAdmin = info.isAdmin;
  }

  /**
   * Opens the check-in form the core built, or, when it answered with a reply instead (a refusal, a
   * snooze's confirmation, a failure), shows that reply to the person only.
   */
  private async openCheckIn(
    client: WebClient,
    outcome: FormOrReply,
    opts: {
      triggerId?: string;
      meta: CheckInMetadata;
      respond: RespondFn;
      workspaceId: string;
      userId: string;
      hasResponseUrl?: boolean;
    },
  ): Promise<void> {
    try {
      if (outcome.form && opts.triggerId) {
        await client.views.open({ trigger_id: opts.triggerId, view: checkInModal(outcome.form, opts.meta) });
        return;
      }
      if (!outcome.reply) return;
      const [first] = renderSlack(outcome.reply);
      // A button on the Home tab comes with no response_url: the answer goes to the person's DMs.
      if (opts.hasResponseUrl === false)
        await this.post(opts.workspaceId, { userId: opts.userId }, outcome.reply);
      else if (first) await opts.respond({ response_type: "ephemeral", replace_original: false, ...first });
    } catch (err) {
      this.options.log.error({ err }, "Slack: could not answer a check-in request");
    }
  }

  /** Posts a check-in's reply where the form was opened; if the bot can't post there, DMs the author. */
  private async announce(invocation: Invocation, meta: CheckInMetadata, reply: Reply): Promise<void> {
    const workspace = invocation.workspace.id;
    if (meta.channelId) {
      try {
        await this.post(workspace, { channelId: meta.channelId }, reply);
        return;
      } catch (err) {
        if (!(err instanceof DeliveryError)) throw err;
      }
    }
    try {
      await this.post(workspace, { userId: invocation.actor.id }, reply);
    } catch (err) {
      if (!(err instanceof DeliveryError)) throw err;
    }
  }
}

/** The parts of a block_actions payload krbot reads. */
interface BlockActionBody {
  trigger_id?: string;
  /** Absent for buttons outside messages (the Home tab, a modal). */
  response_url?: string;
  user: { id: string; name?: string; username?: string };
  team?: { id: string } | null;
  enterprise?: { id: string } | null;
  is_enterprise_install?: boolean;
  channel?: { id: string };
  view?: SubmittedView & { id: string; hash: string; private_metadata?: string };
}

/** The parts of a view_submission payload krbot reads. */
type ViewSubmissionBody = BlockActionBody;

function interactionInvocation(b: BlockActionBody, requestId: string): Invocation {
  return {
    workspace: slackWorkspace({
      team_id: b.team?.id,
      enterprise_id: b.enterprise?.id,
      is_enterprise_install: b.is_enterprise_install,
    }),
    actor: { id: b.user.id, name: b.user.name ?? b.user.username ?? b.user.id },
    channel: { id: b.channel?.id ?? "", isDirect: false },
    command: "update",
    requestId,
  };
}

function parseMeta(raw: string | undefined): CheckInMetadata {
  try {
    const meta = JSON.parse(raw ?? "{}") as CheckInMetadata;
    return typeof meta.channelId === "string" ? { channelId: meta.channelId } : {};
  } catch {
    return {};
  }
}

/** An ephemeral reply's files go to the person's DMs; the reply says so where they typed the command. */
function withFileNote(reply: Reply): Reply {
  if (reply.visibility === "channel") return reply;
  const names = [
    ...(reply.files ?? []).map((f) => `\`${f.name}\``),
    ...(reply.chartRequests ?? []).map((c) =>
      c.kind === "kr" ? `the ${c.code} chart` : `the objective ${c.code} chart`,
    ),
  ];
  if (names.length === 0) return reply;
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return {
    ...reply,
    blocks: [
      ...reply.blocks,
      { kind: "context", text: `${list} will arrive in your direct messages with krbot.` },
    ],
  };
}

function fileNames(files: ReplyFile[]): string {
  const names = files.map((f) => `\`${f.name}\``);
  return names.length === 1 ? (names[0] as string) : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

/** Why an upload failed, in words a person can act on. */
function explainUploadFailure(err: DeliveryError): string {
  switch (err.code) {
    case "not_in_channel":
    case "channel_not_found":
      return "krbot is not a member of this channel; invite it with `/invite @krbot` and try again.";
    case "missing_scope":
    case "not_allowed_token_type":
      return "the Slack app lacks the `files:write` scope; reinstall it from slack/manifest.yml.";
    case "file_size_too_large":
      return "the file is larger than Slack accepts.";
    case "dm_not_opened":
      return "Slack would not open a direct message between you and krbot.";
    default:
      return err.retryable
        ? `Slack could not take the file just now (${err.code}); try again in a minute.`
        : `Slack refused the upload (${err.code}).`;
  }
}

/** Turns a Web API failure into a DeliveryError, logging it (never the token). */
function toDeliveryError(err: unknown, log: Logger, workspace: string): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { code?: string; data?: { error?: string }; message?: string };
  if (e.code === webApi.ErrorCode.PlatformError) {
    const code = e.data?.error ?? "unknown_error";
    log.warn({ workspace, code }, "Slack refused a message");
    return new DeliveryError(code, `Slack refused the message: ${code}`, code === "ratelimited");
  }
  log.warn({ workspace, code: e.code, message: e.message }, "Slack could not be reached");
  return new DeliveryError(e.code ?? "request_failed", e.message ?? "Slack could not be reached", true);
}
