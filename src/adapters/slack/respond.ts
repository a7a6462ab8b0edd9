import type { AckFn, RespondArguments, RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import { DeliveryError } from "../../core/adapter.ts";
import type { CoreDoor as Core, FormOrReply } from "../../core/inbound.ts";
import type { Invocation } from "../../core/invocation.ts";
import type { Logger } from "../../core/logger.ts";
import type { Reply, ReplyFile } from "../../core/reply.ts";
import { answerWithinDeadline } from "../respond.ts";
import { type Post, toDeliveryError } from "./deliver.ts";
import { uploadFiles } from "./files.ts";
import { type CheckInMetadata, checkInModal } from "./modal.ts";
import { renderSlack, responseTypeFor } from "./render.ts";

/** Slack wants an answer within 3 s; past this budget we ack empty and answer via response_url. */
export const ACK_BUDGET_MS = 2500;

/**
 * Answers a slash command within Slack's deadline: in the ack body when the reply is ready in
 * time, else an empty ack now and the reply via response_url when it is done. Returns the reply.
 */
export async function answerCommand(
  work: Promise<Reply>,
  budgetMs: number,
  ack: AckFn<string | RespondArguments>,
  respond: RespondFn,
): Promise<Reply> {
  const all = async (reply: Reply, messages = renderSlack(reply)) => {
    for (const m of messages) await respond({ response_type: responseTypeFor(reply), ...m });
  };
  return answerWithinDeadline(work, budgetMs, {
    inTime: async (reply) => {
      const [first, ...rest] = renderSlack(reply);
      await ack({ response_type: responseTypeFor(reply), ...first });
      await all(reply, rest);
    },
    defer: () => ack(),
    late: (reply) => all(reply),
  });
}

/**
 * Uploads a slash command's files once its answer is out: to the channel when the answer is public,
 * else to the person's DM with krbot, so an ephemeral export is not shown to everyone. A failure is
 * told to the person in an ephemeral follow-up, never thrown.
 */
export async function attachToCommand(
  core: Core,
  client: WebClient,
  log: Logger,
  invocation: Invocation,
  cmd: { channel_id: string; user_id: string },
  reply: Reply,
  respond: RespondFn,
): Promise<void> {
  // Charts are rendered now, after the answer is out, so the answer never waits for them.
  const charts = reply.chartRequests?.length
    ? (await core.handle({ kind: "charts", invocation, requests: reply.chartRequests })).files
    : [];
  const files = [...(reply.files ?? []), ...charts];
  if (files.length === 0) return;
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

/** Where and how a check-in form (or the reply instead of it) is shown. */
export interface CheckInAnswer {
  triggerId?: string;
  meta: CheckInMetadata;
  respond: RespondFn;
  workspaceId: string;
  userId: string;
  hasResponseUrl?: boolean;
}

/**
 * Opens the check-in form the core built, or, when it answered with a reply instead (a refusal, a
 * snooze's confirmation, a failure), shows that reply to the person only.
 */
export async function openCheckIn(
  client: WebClient,
  post: Post,
  log: Logger,
  outcome: FormOrReply,
  opts: CheckInAnswer,
): Promise<void> {
  try {
    if (outcome.form && opts.triggerId) {
      await client.views.open({ trigger_id: opts.triggerId, view: checkInModal(outcome.form, opts.meta) });
      return;
    }
    if (!outcome.reply) return;
    const [first] = renderSlack(outcome.reply);
    // A button on the Home tab comes with no response_url: the answer goes to the person's DMs.
    if (opts.hasResponseUrl === false) await post(opts.workspaceId, { userId: opts.userId }, outcome.reply);
    else if (first) await opts.respond({ response_type: "ephemeral", replace_original: false, ...first });
  } catch (err) {
    log.error({ err }, "Slack: could not answer a check-in request");
  }
}

/** An ephemeral reply's files go to the person's DMs; the reply says so where they typed the command. */
export function withFileNote(reply: Reply): Reply {
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
