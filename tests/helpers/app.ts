import { randomUUID } from "node:crypto";
import { renderChartRequests } from "../../src/charts/chart-service.ts";
import { forms } from "../../src/commands/forms/index.ts";
import { commands } from "../../src/commands/index.ts";
import type { AnyCommand } from "../../src/core/command.ts";
import { Core } from "../../src/core/dispatch.ts";
import type { Actor, Invocation, Platform } from "../../src/core/invocation.ts";
import { silentLogger } from "../../src/core/logger.ts";
import type { Reply } from "../../src/core/reply.ts";
import { BUNDLED_PLAN_PATH } from "../../src/plan/plan-file.ts";
import { workspaceSeeder } from "../../src/plan/seed.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";
import { snapshotStore } from "./db-snapshot.ts";

/** A fixed "now" inside the bundled plan's period: 2022-01-01 is 50.4% of the way through. */
export const MID_PLAN = new Date("2022-01-01T00:00:00Z");

/** The tests' usual actor: a workspace admin (as the shell's local user is). */
export const ALICE: Actor = { id: "alice", name: "Alice", timezone: "Europe/Berlin", isAdmin: true };
/** A member with no admin rights, for permission tests. */
export const BOB: Actor = { id: "bob", name: "Bob" };

/** A core on a fresh in-memory store seeded with the bundled plan, plus helpers to drive it. */
export function createTestApp(
  opts: {
    now?: Date;
    platform?: Platform;
    workspaceId?: string;
    url?: string;
    admins?: string[];
    charts?: boolean;
    /** The commands the core serves (default every command krbot has). */
    commands?: readonly AnyCommand[];
  } = {},
) {
  const store = openSqliteStore(opts.url ?? ":memory:");
  let now = opts.now ?? MID_PLAN;
  const core = new Core({
    store,
    commands: opts.commands ?? commands,
    forms,
    // The fake Slack's default user (U0ALICE) is an admin, as Slack test workspaces' installers are.
    // Charts are off unless a test asks: rendering one takes ~35 ms, and most tests don't look at it.
    settings: { staleDays: 7, admins: opts.admins ?? ["slack:U0ALICE"], charts: opts.charts ?? false },
    log: silentLogger,
    charts: renderChartRequests,
    now: () => now,
    resolveWorkspace: workspaceSeeder(store, BUNDLED_PLAN_PATH, silentLogger),
  });
  const workspace = { platform: opts.platform ?? ("shell" as Platform), id: opts.workspaceId ?? "local" };
  const invocation = (text: string, actor: Actor = ALICE, requestId: string = randomUUID()): Invocation => ({
    workspace,
    actor,
    channel: { id: "C1", isDirect: false },
    command: "",
    text,
    requestId,
  });
  return {
    store,
    core,
    workspace,
    invocation,
    /** Dispatches one line as `actor`; a new request id each time unless one is given. */
    run(text: string, actor: Actor = ALICE, requestId?: string): Promise<Reply> {
      return core.dispatch(invocation(text, actor, requestId));
    },
    setNow(d: Date) {
      now = d;
    },
    /** Row counts and current-state columns of every table: equal snapshots mean nothing was written. */
    snapshot: (): string => snapshotStore(store),
    close: () => store.close(),
  };
}

/** A test app as `createTestApp` makes it. */
export type TestApp = ReturnType<typeof createTestApp>;

/** All the human-readable text of a reply, joined by newlines. */
export function textOf(reply: Reply): string {
  const parts = [reply.summary];
  for (const b of reply.blocks) {
    switch (b.kind) {
      case "heading":
        parts.push(b.text);
        break;
      case "text":
        parts.push(b.markdown);
        break;
      case "context":
        parts.push(b.text);
        break;
      case "fields":
        for (const i of b.items) parts.push(`${i.label}: ${i.value}`);
        break;
      case "progress":
        parts.push(`${b.label} ${b.note ?? ""}`);
        break;
      case "actions":
        parts.push(b.items.map((i) => i.label).join(" "));
        break;
    }
  }
  return parts.join("\n");
}
