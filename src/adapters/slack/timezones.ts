import type { WebClient } from "@slack/web-api";

/** How long a user's time zone is trusted before asking Slack again. */
export const TIMEZONE_TTL_MS = 60 * 60 * 1000;

/**
 * Looks up users' time zones with `users.info`, once per user per hour. A failed lookup gives
 * undefined (commands then show UTC) rather than failing the command.
 */
export class TimezoneCache {
  private readonly entries = new Map<string, { tz: string | undefined; until: number }>();
  constructor(private readonly now: () => number = Date.now) {}

  async get(client: WebClient, userId: string, token?: string): Promise<string | undefined> {
    const hit = this.entries.get(userId);
    if (hit && hit.until > this.now()) return hit.tz;
    try {
      const res = await client.users.info({ user: userId, ...(token ? { token } : {}) });
      const tz = res.user?.tz;
      this.entries.set(userId, { tz, until: this.now() + TIMEZONE_TTL_MS });
      return tz;
    } catch {
      return undefined;
    }
  }
}
