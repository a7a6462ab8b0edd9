/** Snowflakes and the Discord objects the fake sends: users, members, channels and guilds. */
import { ALL_PERMISSIONS, DISCORD_EPOCH, JOINED_AT } from "./protocol.ts";
import type { FakeDiscordUser, FakeGuild, JsonObject, UserInput } from "./types.ts";

let snowflakeIncrement = 0n;

/** A real snowflake (timestamp from now), so discord.js's `createdAt` is sane. */
export function snowflake(): string {
  snowflakeIncrement = (snowflakeIncrement + 1n) & 0xfffn;
  return String(((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | (1n << 17n) | snowflakeIncrement);
}

export function isObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

export function makeUser(input: UserInput, fallbackName: string): FakeDiscordUser {
  return {
    id: input.id,
    username: input.username ?? fallbackName,
    global_name: input.globalName ?? null,
    discriminator: "0",
    avatar: null,
    ...(input.bot ? { bot: true } : {}),
    public_flags: 0,
    flags: 0,
    banner: null,
    accent_color: null,
    avatar_decoration_data: null,
  };
}

export function synthUser(input: UserInput): FakeDiscordUser {
  return makeUser(input, `user${input.id.slice(-4)}`);
}

export function memberOf(user: FakeDiscordUser | undefined): JsonObject {
  return {
    ...(user ? { user } : {}),
    roles: [],
    permissions: ALL_PERMISSIONS,
    joined_at: JOINED_AT,
    premium_since: null,
    deaf: false,
    mute: false,
    pending: false,
    nick: null,
    avatar: null,
    banner: null,
    flags: 0,
    communication_disabled_until: null,
  };
}

export function textChannel(id: string, guildId: string): JsonObject {
  return {
    id,
    type: 0,
    guild_id: guildId,
    name: "general",
    position: 0,
    permission_overwrites: [],
    parent_id: null,
    nsfw: false,
    topic: null,
    last_message_id: null,
    rate_limit_per_user: 0,
    flags: 0,
  };
}

export function dmChannel(id: string, recipient: FakeDiscordUser): JsonObject {
  return { id, type: 1, last_message_id: null, flags: 0, recipients: [recipient] };
}

/** A guild as `GET /guilds/:id` returns it (and the base of GUILD_CREATE). */
export function guildObject(g: FakeGuild, ownerId: string, locale: string): JsonObject {
  return {
    id: g.id,
    name: g.name,
    icon: null,
    icon_hash: null,
    splash: null,
    discovery_splash: null,
    banner: null,
    description: null,
    owner_id: ownerId,
    afk_channel_id: null,
    afk_timeout: 300,
    widget_enabled: false,
    widget_channel_id: null,
    verification_level: 0,
    default_message_notifications: 0,
    explicit_content_filter: 0,
    mfa_level: 0,
    nsfw_level: 0,
    premium_tier: 0,
    premium_subscription_count: 0,
    premium_progress_bar_enabled: false,
    preferred_locale: locale,
    features: [],
    roles: [
      {
        id: g.id,
        name: "@everyone",
        color: 0,
        colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
        hoist: false,
        icon: null,
        unicode_emoji: null,
        position: 0,
        permissions: "1071698660929",
        managed: false,
        mentionable: false,
        flags: 0,
      },
    ],
    emojis: [],
    stickers: [],
    application_id: null,
    system_channel_id: g.textChannelId,
    system_channel_flags: 0,
    rules_channel_id: null,
    public_updates_channel_id: null,
    safety_alerts_channel_id: null,
    max_presences: null,
    max_members: 500_000,
    max_video_channel_users: 25,
    max_stage_video_channel_users: 50,
    vanity_url_code: null,
    incidents_data: null,
  };
}

/** The GUILD_CREATE the gateway sends after READY: the guild with its one text channel. */
export function guildCreate(g: FakeGuild, ownerId: string, locale: string): JsonObject {
  return {
    ...guildObject(g, ownerId, locale),
    joined_at: JOINED_AT,
    large: false,
    unavailable: false,
    member_count: 2,
    voice_states: [],
    members: [],
    channels: [textChannel(g.textChannelId, g.id)],
    threads: [],
    presences: [],
    stage_instances: [],
    guild_scheduled_events: [],
    soundboard_sounds: [],
    embedded_activities: [],
    lazy: true,
  };
}
