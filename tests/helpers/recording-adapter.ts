import { type ChatAdapter, DeliveryError, type PostResult, type PostTarget } from "../../src/core/adapter.ts";
import type { Platform } from "../../src/core/invocation.ts";
import type { Reply } from "../../src/core/reply.ts";

/** One post the adapter received. */
export interface RecordedPost {
  workspace: string;
  target: PostTarget;
  reply: Reply;
  messageId: string;
}

/**
 * A ChatAdapter that records what it is asked to post and can be told to fail the next posts,
 * for scheduler and delivery tests that do not need a real platform.
 */
export class RecordingAdapter implements ChatAdapter {
  readonly posts: RecordedPost[] = [];
  private failures: (DeliveryError | "hang")[] = [];
  private n = 0;
  constructor(readonly platform: Platform = "slack") {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  /** The next posts fail with these errors, in order ("hang" never resolves: a crash mid-send). */
  failNext(...failures: (DeliveryError | "hang")[]): void {
    this.failures.push(...failures);
  }
  async post(workspace: string, target: PostTarget, reply: Reply): Promise<PostResult> {
    const failure = this.failures.shift();
    if (failure === "hang") return new Promise(() => {});
    if (failure) throw failure;
    const messageId = `m${++this.n}`;
    this.posts.push({ workspace, target, reply, messageId });
    return { messageId, channelId: target.channelId ?? `D-${target.userId}` };
  }
}

/** A retryable platform failure (a 5xx or rate limit), optionally with the platform's Retry-After. */
export const transient = (retryAfterMs?: number) =>
  new DeliveryError("http_500", "Slack answered 500", true, retryAfterMs);
/** The person does not accept DMs from the bot. */
export const dmBlocked = () =>
  new DeliveryError("dm_blocked", "this user does not accept direct messages from the bot");
