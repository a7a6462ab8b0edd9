/**
 * One fake's state, shared by its REST, interaction and gateway sides: the configuration resolved from
 * `FakeDiscordOptions`, everything recorded so far, the pending waits, and the live gateway session.
 */
import type { WebSocket } from "ws";
import { makeUser, synthUser } from "./objects.ts";
import { GATEWAY_PATH } from "./protocol.ts";
import type {
  FakeDiscordCall,
  FakeDiscordFailure,
  FakeDiscordMessage,
  FakeDiscordOptions,
  FakeDiscordUser,
  FakeGuild,
  FakeInteractionCallback,
  GatewayConnectionInfo,
  GatewayIdentify,
  GatewayPayload,
  RegisteredCommand,
  UserInput,
} from "./types.ts";

export interface InteractionState {
  id: string;
  token: string;
  type: number;
  dispatchedAt: number;
  acknowledged: boolean;
  channelId: string;
  guildId: string | null;
  user: FakeDiscordUser;
  /** The component's message (type 3), which `@original` edits after deferUpdate/update. */
  message: FakeDiscordMessage | undefined;
  original: FakeDiscordMessage | undefined;
  followUps: Map<string, FakeDiscordMessage>;
}

export interface QueuedFailure {
  method: string;
  match: (p: string) => boolean;
  failure: FakeDiscordFailure;
}

export interface Waiter {
  check(): boolean;
  fail(err: Error): void;
}

export class FakeState {
  readonly opts: FakeDiscordOptions;
  readonly applicationId: string;
  readonly botUser: FakeDiscordUser;
  readonly defaultUser: FakeDiscordUser;
  readonly guilds: FakeGuild[];
  readonly firstGuild: FakeGuild;
  readonly heartbeatInterval: number;
  readonly deadlineMs: number;
  readonly locale: string;

  readonly calls: FakeDiscordCall[] = [];
  readonly callbacks: FakeInteractionCallback[] = [];
  readonly messages: FakeDiscordMessage[] = [];
  readonly gatewayReceived: GatewayPayload[] = [];
  readonly gatewayConnections: GatewayConnectionInfo[] = [];
  readonly failures: QueuedFailure[] = [];
  readonly blockedDms = new Set<string>();
  readonly deniedChannels = new Set<string>();
  readonly globalCommands: RegisteredCommand[] = [];
  readonly guildCommands = new Map<string, RegisteredCommand[]>();
  readonly commandIds = new Map<string, string>();
  readonly interactions = new Map<string, InteractionState>();
  readonly byToken = new Map<string, InteractionState>();
  readonly users: Map<string, FakeDiscordUser>;
  readonly waiters = new Set<Waiter>();

  identify: GatewayIdentify | undefined;
  heartbeatCount = 0;
  readyCount = 0;
  sequence = 0;
  sessionId = "";
  active: WebSocket | undefined;
  closed = false;
  /** Set once the server listens (no request can arrive before). */
  port = 0;

  constructor(opts: FakeDiscordOptions) {
    this.opts = opts;
    this.applicationId = opts.applicationId ?? "500000000000000005";
    this.botUser = {
      ...makeUser(
        {
          id: opts.botUser?.id ?? this.applicationId,
          username: opts.botUser?.username ?? "krbot",
          bot: true,
        },
        "krbot",
      ),
      verified: true,
      mfa_enabled: false,
    };
    this.defaultUser = makeUser(opts.defaultUser ?? { id: "300000000000000003", username: "alice" }, "alice");
    const guildIds = opts.guildIds ?? ["100000000000000001"];
    this.guilds = guildIds.map((id, i) => ({
      id,
      name: i === 0 ? "Fake Guild" : `Fake Guild ${i + 1}`,
      textChannelId: String(200000000000000002n + BigInt(i)),
    }));
    const firstGuild = this.guilds[0];
    if (!firstGuild) throw new Error("startFakeDiscord: guildIds must not be empty");
    this.firstGuild = firstGuild;
    this.heartbeatInterval = opts.heartbeatIntervalMs ?? 45_000;
    this.deadlineMs = opts.interactionDeadlineMs ?? 3000;
    this.locale = opts.locale ?? "en-US";
    this.users = new Map<string, FakeDiscordUser>([
      [this.botUser.id, this.botUser],
      [this.defaultUser.id, this.defaultUser],
    ]);
  }

  /** `ws://127.0.0.1:<port>/gateway` */
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}${GATEWAY_PATH}`;
  }

  /** Re-checks every pending wait; call after anything a wait may be watching changed. */
  notify(): void {
    for (const w of [...this.waiters]) if (w.check()) this.waiters.delete(w);
  }

  waitFor<T>(get: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) {
        reject(new Error("fake Discord is closed"));
        return;
      }
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${describe()}`));
      }, timeoutMs);
      const waiter: Waiter = {
        check() {
          const value = get();
          if (value === undefined) return false;
          clearTimeout(timer);
          resolve(value);
          return true;
        },
        fail(err) {
          clearTimeout(timer);
          reject(err);
        },
      };
      if (!waiter.check()) this.waiters.add(waiter);
    });
  }

  /** The default user for `undefined`; a known user by id unless names are given; else a synthesized one. */
  userFor(input: UserInput | undefined): FakeDiscordUser {
    if (!input) return this.defaultUser;
    const known = this.users.get(input.id);
    const user =
      known && input.username === undefined && input.globalName === undefined ? known : synthUser(input);
    this.users.set(user.id, user);
    return user;
  }

  guildOfChannel(channelId: string): FakeGuild | undefined {
    return this.guilds.find((g) => g.textChannelId === channelId);
  }
}
