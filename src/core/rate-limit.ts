/**
 * A sliding-window limit per key (workspace + user): at most `perMinute` commands in any
 * 60 seconds. In memory: a restart forgets it, which only ever errs on the side of the user.
 */
export class RateLimiter {
  private readonly hits = new Map<string, number[]>();
  constructor(
    private readonly perMinute: number,
    private readonly windowMs = 60_000,
  ) {}

  /** Records a hit and says whether it is allowed; when not, also how long until it would be. */
  take(key: string, now: number): { ok: true } | { ok: false; retryInMs: number } {
    if (this.perMinute <= 0) return { ok: true };
    const recent = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (recent.length >= this.perMinute) {
      this.hits.set(key, recent);
      return { ok: false, retryInMs: this.windowMs - (now - (recent[0] as number)) };
    }
    recent.push(now);
    this.hits.set(key, recent);
    if (this.hits.size > 10_000) this.sweep(now);
    return { ok: true };
  }

  private sweep(now: number): void {
    for (const [key, times] of this.hits) {
      if (times.every((t) => now - t >= this.windowMs)) this.hits.delete(key);
    }
  }
}
