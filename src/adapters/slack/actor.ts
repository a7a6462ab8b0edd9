import type { WebClient } from "@slack/web-api";
import { type AnyCommand, namedCommand } from "../../core/command.ts";
import type { Invocation } from "../../core/invocation.ts";
import type { UserInfoCache } from "./timezones.ts";

/**
 * Whether a slash command's text needs the actor's profile (zone, admin flag) from users.info:
 * commands that show times, store the actor's zone or check admin rights declare `needsProfile`;
 * status and lists do not, so they never wait on Slack.
 */
export function needsUserInfo(commands: readonly AnyCommand[], text: string): boolean {
  return namedCommand(commands, text)?.needsProfile === true;
}

/** Fills in the actor's zone and admin flag from users.info (cached). */
export async function describeActor(
  users: UserInfoCache,
  client: WebClient,
  invocation: Invocation,
): Promise<void> {
  const info = await users.get(client, invocation.actor.id, invocation.workspace.id);
  if (info.timezone) invocation.actor.timezone = info.timezone;
  invocation.actor.isAdmin = info.isAdmin;
}
