import type { CoreDoor } from "./inbound.ts";
import type { Platform } from "./invocation.ts";
import type { Reply } from "./reply.ts";

/**
 * Where a proactive message goes: a channel (optionally in the thread of one of its messages), or
 * a person's direct messages.
 */
export type PostTarget =
  | { channelId: string; userId?: undefined; threadOf?: string }
  | { userId: string; channelId?: undefined; threadOf?: undefined };

/** A sent message, as the platform identifies it. */
export interface PostResult {
  messageId: string;
  channelId: string;
}

/** A failure the platform reported for a send (not in channel, no such channel …); never a crash. */
export class DeliveryError extends Error {
  override readonly name = "DeliveryError";
  constructor(
    /** The platform's error code, e.g. `not_in_channel`. */
    readonly code: string,
    message: string,
    /** True when trying again later may succeed (rate limits, 5xx). */
    readonly retryable = false,
    /** How long the platform asked us to wait before trying again, if it said. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Whether the bot can post in a channel. When it can't: why, and what to do about it, in the
 * platform's own words (how to invite the bot there).
 */
export type PostAccess = { ok: true } | { ok: false; code: string; reason: string; fix: string };

/** What every chat platform adapter provides: receive into the core, and send out. */
export interface ChatAdapter {
  readonly platform: Platform;
  /** Starts receiving; resolves once the adapter is ready for traffic. */
  start(core: CoreDoor): Promise<void>;
  /** Stops receiving and releases sockets; in-flight requests may finish. */
  stop(): Promise<void>;
  /** Sends a reply to a channel or a person's DMs, in the workspace given. */
  post(workspaceId: string, target: PostTarget, reply: Reply): Promise<PostResult>;
  /**
   * Optional: asks the platform whether the bot can post in a channel, without posting. Adapters
   * that can't tell leave it out (or answer ok); a channel digest checks it before it is accepted.
   */
  checkPostAccess?(workspaceId: string, channelId: string): Promise<PostAccess>;
}
