import { type ChatAdapter, DeliveryError } from "../core/adapter.ts";
import type { Platform } from "../core/invocation.ts";
import type { Logger } from "../core/logger.ts";
import { type Reply, type ReplyFile, reply } from "../core/reply.ts";
import type { Delivery, Store } from "../store/store.ts";

/** How the delivery worker paces itself. */
export interface DeliveryOptions {
  /** Rows taken per pass. */
  batch: number;
  /** A row a worker took but did not finish (it crashed) is retried after this. */
  leaseMs: number;
  /** Give up on a row after this many failed attempts. */
  maxAttempts: number;
  /** Backoff for attempt n (1-based), unless the platform said how long to wait. */
  backoffMs: (attempt: number) => number;
  /** Told each time a row is marked sent, put back for a retry, or failed (metrics); must not throw. */
  onDelivery?: (outcome: "sent" | "retry" | "failed", platform: Platform) => void;
  /** Renders the charts a queued reply asks for (digests); without it they are left out. */
  renderCharts?: (workspaceId: number, requests: NonNullable<Reply["chartRequests"]>) => Promise<ReplyFile[]>;
}

/** How to let the bot post in a channel, per platform, for the person whose digest failed. */
const INVITE_HINT: Record<Platform, string> = {
  slack:
    "Invite krbot with `/invite @krbot` in that channel, then run `/kr digest here` there again (or `/kr digest off` to stop it).",
  discord:
    "Give krbot View Channel, Send Messages, Embed Links and Attach Files in that channel's permissions, then run `/kr digest here` there again (or `/kr digest off` to stop it).",
  shell: "Run `/kr digest here` again.",
};

/** Why a channel message failed for good, in words: "krbot is not a member of the channel". */
function channelFailureText(e: DeliveryError): string {
  switch (e.code) {
    case "not_in_channel":
      return "krbot is not a member of the channel";
    case "channel_not_found":
      return "krbot can't see the channel (it is private without krbot, or it was deleted)";
    case "is_archived":
      return "the channel is archived";
    case "missing_permissions":
      return "krbot lacks permission to post there";
    default:
      return e.retryable ? `the platform kept failing (${e.code})` : `the platform refused it (${e.code})`;
  }
}

/** 30 s, 1 min, 2 min … capped at one hour. */
export const DEFAULT_DELIVERY: DeliveryOptions = {
  batch: 20,
  leaseMs: 120_000,
  maxAttempts: 10,
  backoffMs: (n) => Math.min(3_600_000, 30_000 * 2 ** (n - 1)),
};

/**
 * Sends outbox rows through the platform adapters. Each row is leased before sending and marked
 * sent with the platform's message id right after, so it is never sent twice by two workers; a
 * worker that dies mid-send leaves a lease that expires and the row is retried. Platform failures
 * are retried with backoff (or the platform's Retry-After) and given up after maxAttempts; a
 * person who refuses DMs is remembered so reminders skip them from then on.
 */
export class DeliveryWorker {
  private readonly options: DeliveryOptions;

  constructor(
    private readonly store: Store,
    private readonly adapters: ReadonlyMap<Platform, ChatAdapter>,
    private readonly now: () => Date,
    private readonly log: Logger,
    options: Partial<DeliveryOptions> = {},
  ) {
    this.options = { ...DEFAULT_DELIVERY, ...options };
  }

  /** The queued reply, with the charts it asks for rendered and attached (a failed chart is left out). */
  private async withCharts(d: Delivery): Promise<Reply> {
    const { chartRequests, ...reply } = d.reply as Reply;
    if (!chartRequests?.length || !this.options.renderCharts) return reply;
    try {
      const files = await this.options.renderCharts(d.workspaceId, chartRequests);
      return files.length ? { ...reply, files: [...(reply.files ?? []), ...files] } : reply;
    } catch (err) {
      this.log.warn(
        { outbox: d.id, error: String((err as Error)?.message ?? err) },
        "delivery: charts not rendered",
      );
      return reply;
    }
  }

  /** Sends everything due now; returns how many rows were sent. */
  async drain(): Promise<number> {
    let sent = 0;
    for (;;) {
      const batch = await this.store.outbox.lease(this.now(), this.options.batch, this.options.leaseMs);
      if (batch.length === 0) return sent;
      for (const d of batch) if (await this.deliver(d)) sent++;
    }
  }

  private async deliver(d: Delivery): Promise<boolean> {
    const adapter = this.adapters.get(d.platform);
    if (!adapter) {
      // Sent by a process that serves this platform; check again later rather than spin.
      await this.store.outbox.markRetry(
        d.id,
        d.leaseToken,
        new Date(this.now().getTime() + this.options.leaseMs),
        `no ${d.platform} adapter running`,
      );
      this.report("retry", d.platform);
      return false;
    }
    const target =
      "userId" in d.target
        ? { userId: d.target.userId }
        : { channelId: d.target.channelId, ...(d.threadMessageId ? { threadOf: d.threadMessageId } : {}) };
    try {
      const { messageId } = await adapter.post(d.externalWorkspaceId, target, await this.withCharts(d));
      await this.store.outbox.markDelivered(d.id, d.leaseToken, messageId, this.now());
      if ("channelId" in d.target && !d.threadMessageId) {
        await this.store.schedules.clearDigestFailing(d.workspaceId, d.target.channelId);
      }
      this.report("sent", d.platform);
      return true;
    } catch (err) {
      const e =
        err instanceof DeliveryError
          ? err
          : new DeliveryError("send_failed", (err as Error).message ?? String(err), true);
      if ("userId" in d.target && e.code === "dm_blocked") {
        await this.store.members.setReminderSettings(
          d.workspaceId,
          { platformUserId: d.target.userId, displayName: d.target.userId },
          { dmBlocked: true },
        );
      }
      if (!e.retryable || d.attempts >= this.options.maxAttempts) {
        await this.store.outbox.markFailed(d.id, d.leaseToken, `${e.code}: ${e.message}`);
        if ("channelId" in d.target) await this.digestFailed(d, d.target.channelId, e);
        this.report("failed", d.platform);
        this.log.warn(
          { outbox: d.id, workspace: d.workspaceId, code: e.code, attempts: d.attempts },
          "delivery: gave up",
        );
        return false;
      }
      const wait = e.retryAfterMs ?? this.options.backoffMs(d.attempts);
      await this.store.outbox.markRetry(
        d.id,
        d.leaseToken,
        new Date(this.now().getTime() + wait),
        `${e.code}: ${e.message}`,
      );
      this.report("retry", d.platform);
      this.log.warn({ outbox: d.id, code: e.code, retryInMs: wait }, "delivery: will retry");
      return false;
    }
  }

  /** A digest can't reach its channel: mark the schedule failing and tell its creator, once. */
  private async digestFailed(d: Delivery, channelId: string, e: DeliveryError): Promise<void> {
    const reason = channelFailureText(e);
    const notice = reply(`Your weekly digest could not be posted in channel ${channelId}: ${reason}.`, {
      tone: "warning",
      blocks: [
        {
          kind: "text",
          markdown: `Your weekly digest could not be posted in channel ${channelId}: ${reason}.`,
        },
        { kind: "context", text: INVITE_HINT[d.platform] },
        { kind: "context", text: "`/kr digest list` shows it as failing until a digest gets through." },
      ],
    });
    try {
      await this.store.schedules.markDigestFailing(
        d.workspaceId,
        channelId,
        { reason, at: this.now() },
        notice,
      );
    } catch (err) {
      this.log.warn({ err, outbox: d.id }, "delivery: could not mark the digest as failing");
    }
  }

  private report(outcome: "sent" | "retry" | "failed", platform: Platform): void {
    try {
      this.options.onDelivery?.(outcome, platform);
    } catch (err) {
      this.log.warn({ err }, "delivery: onDelivery hook failed");
    }
  }
}
