import { describe, expect, it } from "vitest";
import { commands } from "../../src/commands/index.ts";
import { type CommandEvent, Core } from "../../src/core/dispatch.ts";
import { RateLimiter } from "../../src/core/rate-limit.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";

describe("per-user rate limit", () => {
  it("allows N commands a minute per key and says how long to wait after that", () => {
    const limiter = new RateLimiter(3);
    const t = 1_000_000;
    expect([0, 1, 2].map((i) => limiter.take("u", t + i).ok)).toEqual([true, true, true]);
    expect(limiter.take("u", t + 10)).toEqual({ ok: false, retryInMs: 60_000 - 10 });
    expect(limiter.take("other", t + 10).ok).toBe(true);
    expect(limiter.take("u", t + 60_001).ok).toBe(true);
  });

  it("answers the 21st command in a minute with a friendly wait, counted per person", async () => {
    const store = openSqliteStore(":memory:");
    const events: CommandEvent[] = [];
    let now = new Date("2027-01-01T00:00:00Z");
    const core = new Core({
      store,
      commands,
      settings: { staleDays: 7, rateLimitPerMinute: 20 },
      now: () => now,
      observe: (e) => events.push(e),
    });
    const inv = (user: string) => ({
      workspace: { platform: "slack" as const, id: "T1" },
      actor: { id: user, name: user },
      channel: { id: "C1", isDirect: false },
      command: "",
      text: "help",
      requestId: `${user}-${Math.random()}`,
    });
    for (let i = 0; i < 20; i++) expect((await core.dispatch(inv("U1"))).tone).toBe("info");
    const limited = await core.dispatch(inv("U1"));
    expect(limited.tone).toBe("warning");
    expect(limited.summary).toBe(
      "You're sending commands faster than 20 a minute; please wait 60 s and try again.",
    );
    expect((await core.dispatch(inv("U2"))).tone).toBe("info");
    now = new Date("2027-01-01T00:01:00.001Z");
    expect((await core.dispatch(inv("U1"))).tone).toBe("info");
    expect(events.filter((e) => e.outcome === "rate_limited")).toHaveLength(1);
    await store.close();
  });

  it("never limits the operator at the local shell, while a platform user in the same core still is", async () => {
    const store = openSqliteStore(":memory:");
    const core = new Core({ store, commands, settings: { staleDays: 7, rateLimitPerMinute: 2 } });
    const inv = (operator: boolean) => ({
      workspace: operator
        ? { platform: "shell" as const, id: "local" }
        : { platform: "slack" as const, id: "T1" },
      actor: { id: "me", name: "me" },
      channel: { id: "C1", isDirect: true },
      command: "",
      text: "help",
      requestId: `${operator}-${Math.random()}`,
      ...(operator ? { operator: true } : {}),
    });
    for (let i = 0; i < 5; i++) expect((await core.dispatchWithOutcome(inv(true))).outcome).toBe("ok");
    const outcomes = [];
    for (let i = 0; i < 3; i++) outcomes.push((await core.dispatchWithOutcome(inv(false))).outcome);
    expect(outcomes).toEqual(["ok", "ok", "rate_limited"]);
    await store.close();
  });
});
