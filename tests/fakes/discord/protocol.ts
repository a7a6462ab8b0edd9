/** Discord protocol constants the fake speaks: paths, gateway opcodes, interaction and callback types, flags. */

export const API_PREFIX = "/api/v10";
export const GATEWAY_PATH = "/gateway";
export const ALL_PERMISSIONS = "2199023255551";
export const DISCORD_EPOCH = 1_420_070_400_000n;
export const JOINED_AT = "2024-01-01T00:00:00.000000+00:00";

export const Op = {
  Dispatch: 0,
  Heartbeat: 1,
  Identify: 2,
  Resume: 6,
  Reconnect: 7,
  InvalidSession: 9,
  Hello: 10,
  HeartbeatAck: 11,
} as const;

/** GuildMembers, GuildPresences, MessageContent. */
export const PRIVILEGED_INTENTS = (1 << 1) | (1 << 8) | (1 << 15);

export const InteractionType = {
  Ping: 1,
  ApplicationCommand: 2,
  Component: 3,
  Autocomplete: 4,
  ModalSubmit: 5,
} as const;

export const Callback = {
  Pong: 1,
  Message: 4,
  DeferredMessage: 5,
  DeferredUpdate: 6,
  Update: 7,
  Autocomplete: 8,
  Modal: 9,
  PremiumRequired: 10,
  LaunchActivity: 12,
} as const;
export const CALLBACK_TYPES = new Set<number>(Object.values(Callback));

export const MessageFlag = { Ephemeral: 64, Loading: 128 } as const;
