import type {
  AllMiddlewareArgs,
  App,
  SlackActionMiddlewareArgs,
  SlackCommandMiddlewareArgs,
  SlackEventMiddlewareArgs,
  SlackViewMiddlewareArgs,
} from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { ACTION_ID } from "../../core/actions.ts";
import type { AnyCommand } from "../../core/command.ts";
import type { CoreDoor as Core } from "../../core/inbound.ts";
import type { Invocation } from "../../core/invocation.ts";
import type { Logger } from "../../core/logger.ts";
import { describeActor, needsUserInfo } from "./actor.ts";
import { announce, type Post } from "./deliver.ts";
import { digestsText, homeView } from "./home.ts";
import {
  CHECKIN_CALLBACK_ID,
  type CheckInMetadata,
  checkInModal,
  KR_SELECT_ACTION,
  modalErrors,
  readCheckInSubmission,
  selectedKr,
} from "./modal.ts";
import { SlashCommandSchema, slackWorkspace, slashToInvocation, wantsCheckInForm } from "./parse.ts";
import {
  EventEnvelopeSchema,
  type InteractionBody,
  InteractionBodySchema,
  readBody,
} from "./payload-guard.ts";
import { answerCommand, attachToCommand, openCheckIn, withFileNote } from "./respond.ts";
import { nameMentions } from "./text.ts";
import type { UserInfoCache } from "./timezones.ts";

/** What the Bolt listeners need from the adapter. */
export interface SlackHandlerContext {
  core: Core;
  log: Logger;
  ackBudgetMs: number;
  users: UserInfoCache;
  /** The commands the core declared on start: whether one needs the actor's profile is read off them. */
  commands: readonly AnyCommand[];
  /** The adapter's own post, for answers that go to a channel or DMs. */
  post: Post;
  /** The adapter's Web API client (Bolt's, as @slack/web-api's type). */
  client(): WebClient;
}

// Bolt's client is its bundled @slack/web-api's WebClient: the same class, another package.
const web = (client: unknown) => client as WebClient;

/** Registers krbot's Bolt listeners: slash commands, buttons, the KR select, the modal, App Home. */
export function registerHandlers(app: App, ctx: SlackHandlerContext): void {
  app.command(/.*/, (args) => onCommand(ctx, args));
  // Every krbot button (Update, Snooze a week, the Home tab's Check in): the core reads the id.
  app.action(ACTION_ID, (args) => onAction(ctx, args));
  app.action(KR_SELECT_ACTION, (args) => onSelect(ctx, args));
  app.view(CHECKIN_CALLBACK_ID, (args) => onSubmit(ctx, args));
  app.event("app_home_opened", (args) => onHomeOpened(ctx, args));
}

type CommandArgs = SlackCommandMiddlewareArgs & AllMiddlewareArgs;

async function onCommand(ctx: SlackHandlerContext, { command, ack, respond, client }: CommandArgs) {
  const parsed = SlashCommandSchema.safeParse(command);
  if (!parsed.success) {
    ctx.log.warn({ issues: parsed.error.issues.length }, "Slack: malformed slash command payload");
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
    const outcome = await ctx.core.handle({ kind: "form", invocation });
    await openCheckIn(web(client), ctx.post, ctx.log, outcome, {
      triggerId: cmd.trigger_id,
      meta: { channelId: cmd.channel_id },
      respond,
      workspaceId: invocation.workspace.id,
      userId: invocation.actor.id,
    });
    return;
  }
  const invocation = slashToInvocation(cmd, `slack:${cmd.trigger_id ?? cmd.response_url ?? Date.now()}`);
  const slack = web(client);
  const work = (async () => {
    if (needsUserInfo(ctx.commands, cmd.text)) await describeActor(ctx.users, slack, invocation);
    invocation.text = await nameMentions(invocation.text ?? "", async (id) => {
      return (await ctx.users.get(slack, id, invocation.workspace.id)).name;
    });
    return withFileNote((await ctx.core.handle({ kind: "command", invocation })).reply);
  })();
  const reply = await answerCommand(work, ctx.ackBudgetMs, ack, respond);
  await attachToCommand(ctx.core, slack, ctx.log, invocation, cmd, reply, respond);
}

type ActionArgs = SlackActionMiddlewareArgs & AllMiddlewareArgs;

async function onAction(ctx: SlackHandlerContext, { ack, body, client, action, respond }: ActionArgs) {
  await ack();
  const b = readBody(InteractionBodySchema, body, "button", ctx.log);
  if (!b) return;
  // The renderer keeps action ids unique per message with a suffix; the value is the plain id.
  const value =
    "value" in action && typeof action.value === "string"
      ? action.value
      : "action_id" in action
        ? String(action.action_id)
        : "";
  const invocation = interactionInvocation(b, `slack-action:${b.trigger_id ?? value}`);
  const slack = web(client);
  await describeActor(ctx.users, slack, invocation);
  const outcome = await ctx.core.handle({ kind: "action", invocation, actionId: value });
  await openCheckIn(slack, ctx.post, ctx.log, outcome, {
    ...(b.trigger_id ? { triggerId: b.trigger_id } : {}),
    meta: b.channel?.id ? { channelId: b.channel.id } : {},
    respond,
    workspaceId: invocation.workspace.id,
    userId: invocation.actor.id,
    hasResponseUrl: Boolean(b.response_url),
  });
}

async function onSelect(ctx: SlackHandlerContext, { ack, body, client }: ActionArgs) {
  await ack();
  const b = readBody(InteractionBodySchema, body, "KR select", ctx.log);
  if (!b?.view) return;
  const invocation = interactionInvocation(b, `slack-select:${b.view.id}`);
  const outcome = await ctx.core.handle({ kind: "form", invocation, kr: selectedKr(b.view), redraw: true });
  if (!outcome.form) return;
  const meta = parseMeta(b.view.private_metadata);
  await client.views.update({
    view_id: b.view.id,
    hash: b.view.hash,
    view: checkInModal(outcome.form, meta),
  });
}

type ViewArgs = SlackViewMiddlewareArgs & AllMiddlewareArgs;

async function onSubmit(ctx: SlackHandlerContext, { ack, body }: ViewArgs) {
  const b = readBody(InteractionBodySchema, body, "check-in form", ctx.log);
  if (!b?.view) {
    await ack();
    return;
  }
  // The view id is stable across Slack's redeliveries and double clicks: one check-in per form.
  const invocation = interactionInvocation(b, `slack-view:${b.view.id}`);
  const meta = parseMeta(b.view.private_metadata);
  await describeActor(ctx.users, ctx.client(), invocation);
  const fields = readCheckInSubmission(b.view);
  const result = await ctx.core.handle({ kind: "check-in", invocation, fields });
  if (!result.ok) {
    await ack({ response_action: "errors", errors: modalErrors(result.errors) });
    return;
  }
  await ack();
  try {
    await announce(ctx.post, invocation.workspace.id, invocation.actor.id, meta, result.reply);
  } catch (err) {
    ctx.log.error({ err }, "Slack: check-in saved but not announced");
  }
}

type EventArgs = SlackEventMiddlewareArgs<"app_home_opened"> & AllMiddlewareArgs;

async function onHomeOpened(ctx: SlackHandlerContext, { event, body, client }: EventArgs) {
  if (event.tab && event.tab !== "home") return;
  const envelope = readBody(EventEnvelopeSchema, body, "App Home event", ctx.log);
  if (!envelope) return;
  const invocation: Invocation = {
    workspace: slackWorkspace(envelope),
    actor: { id: event.user, name: event.user },
    channel: { id: event.channel ?? "", isDirect: true },
    command: "",
    requestId: `slack-home:${event.user}:${Date.now()}`,
  };
  const { mine, digests } = await ctx.core.handle({ kind: "home", invocation });
  await client.views.publish({ user_id: event.user, view: homeView(mine, digestsText(digests)) });
}

function interactionInvocation(b: InteractionBody, requestId: string): Invocation {
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
