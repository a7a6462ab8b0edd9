import type { WebClient } from "@slack/web-api";

/** How long what users.info said about a person is trusted before asking Slack again. */
export const USER_INFO_TTL_MS = 60 * 60 * 1000;

/** What krbot reads from `users.info`. */
export interface SlackUserInfo {
  /** The name Slack shows for the person: their display name, else their full name, else their handle. */
  name?: string;
  timezone?: string;
  /** Workspace admin or owner. */
  isAdmin: boolean;
}

/**
 * Looks people up with `users.info`, once per workspace and user per hour: the name Slack shows
 * (for people mentioned without one), their time zone (for times and reminders) and whether they
 * administer the workspace (for permissions). A failed lookup gives "no name, no zone, not an admin"
 * rather than failing the command.
 */
export class UserInfoCache {
  private readonly entries = new Map<string, { info: SlackUserInfo; until: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  async get(client: WebClient, userId: string, workspaceId = ""): Promise<SlackUserInfo> {
    const key = `${workspaceId}:${userId}`;
    const hit = this.entries.get(key);
    if (hit && hit.until > this.now()) return hit.info;
    try {
      const res = await client.users.info({ user: userId });
      const u = res.user;
      const name = [u?.profile?.display_name, u?.profile?.real_name, u?.real_name, u?.name]
        .map((n) => n?.trim())
        .find(Boolean);
      const info: SlackUserInfo = {
        ...(name ? { name } : {}),
        ...(u?.tz ? { timezone: u.tz } : {}),
        isAdmin: Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner),
      };
      this.entries.set(key, { info, until: this.now() + USER_INFO_TTL_MS });
      return info;
    } catch {
      return { isAdmin: false };
    }
  }
}
