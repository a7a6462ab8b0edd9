import type { Platform, WorkspaceRef } from "../domain/platform.ts";

export type { Platform, WorkspaceRef };

/** The person who typed the command, as the platform knows them. */
export interface Actor {
  id: string;
  name: string;
  timezone?: string;
  /** The platform says this person administers the workspace (Slack admin/owner, Discord Manage Server). */
  isAdmin?: boolean;
}

/** What every adapter produces from a platform payload. */
export interface Invocation {
  workspace: WorkspaceRef;
  actor: Actor;
  channel: { id: string; isDirect: boolean };
  /** The command name; empty when the adapter passes the whole line in `text`. */
  command: string;
  text?: string;
  /** Idempotency key: the same request twice changes nothing twice. */
  requestId: string;
  /**
   * The person who runs this krbot process, typing at its own terminal (the shell adapter sets it):
   * the per-user rate limit, which protects a shared bot from its users, does not apply.
   */
  operator?: boolean;
}
