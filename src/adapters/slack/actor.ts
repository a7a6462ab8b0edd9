import type { WebClient } from "@slack/web-api";
import type { Invocation } from "../../core/invocation.ts";
import type { UserInfoCache } from "./timezones.ts";

/**
 * Commands that show times, store the actor's zone or need to know whether they are an admin
 * wait for users.info (cached an hour); read-only status and lists do not.
 */
const NEEDS_USER_INFO =
  /^\s*(\/?kr\s+)?(history|log|update|checkin|ci|owner|digest|remind|snooze|away|settings|team|undo|export)\b/i;

/** Whether a slash command's text needs the actor's profile (zone, admin flag) from users.info. */
export function needsUserInfo(text: string): boolean {
  return NEEDS_USER_INFO.test(text);
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
