import type { AnyCommand, ArgSpec } from "../../core/command.ts";
import type { Invocation } from "../../core/invocation.ts";
import { UserError } from "../../domain/errors.ts";
import type { RawUpdateFields } from "../../domain/update-fields.ts";
import { formatMention } from "../../domain/user-ref.ts";

/** The option getters krbot uses; discord.js's `interaction.options` satisfies it. */
export interface OptionReader {
  getSubcommand(): string;
  getString(name: string): string | null;
  getInteger(name: string): number | null;
  getBoolean(name: string): boolean | null;
  getUser(name: string): { id: string; username: string; globalName?: string | null } | null;
  /** The resolved guild member of a user option: a cached GuildMember (`nickname`) or raw data (`nick`). */
  getMember?(name: string): unknown;
}

/** Who, where and which request: the parts of an interaction that become the invocation's frame. */
export interface InteractionFrame {
  id: string;
  guildId: string;
  channelId: string;
  user: { id: string; username: string; globalName?: string | null };
  /** The member has Manage Server in this guild. */
  isAdmin?: boolean;
}

/**
 * A user option as the core's mention token, `<@123|Carol Jones>`, named as the server shows the
 * person (their nickname here, else their global display name, else their username), all of it
 * kept: the label is escaped so spaces, emoji, `|` or `>` stay inside the one token.
 */
function mention(o: OptionReader, option: string): string | null {
  const user = o.getUser(option);
  if (!user) return null;
  const member = o.getMember?.(option) as
    | { nickname?: string | null; nick?: string | null }
    | null
    | undefined;
  return formatMention(user.id, member?.nickname || member?.nick || user.globalName || user.username);
}

/** A free-text option as one token of the text grammar, so a team called "Add Ons" stays whole. */
function quoted(value: string | null): string | null {
  if (!value?.trim()) return null;
  return value.includes('"') ? value : `"${value.trim()}"`;
}

/** The value of an option as the person typed it, or null when it was left empty. */
function typed(o: OptionReader, name: string): string | null {
  const user = name === "user" ? o.getUser(name) : null;
  if (user) return `@${user.globalName || user.username}`;
  if (name === "mine") return o.getBoolean(name) ? "True" : null;
  const value = o.getString(name);
  return value === null || value === "" ? null : value;
}

/**
 * Refuses options that cannot go together, naming each one given, rather than quietly using one
 * of them: `/kr status kr:IV team:Growth` is a question krbot can't answer as asked.
 */
function atMostOne(o: OptionReader, sub: string, names: string[]): void {
  const given = names.flatMap((n) => {
    const v = typed(o, n);
    return v === null ? [] : [`\`${n}:${v}\``];
  });
  if (given.length < 2) return;
  const choices = names.map((n) => `\`${n}\``);
  throw new UserError(
    `\`/kr ${sub}\` takes one of ${choices.slice(0, -1).join(", ")} or ${choices.at(-1)}; you gave ${given.slice(0, -1).join(", ")} and ${given.at(-1)}.`,
    ["Run it again with just one of them."],
  );
}

/** The given parts as one line of words, empty ones left out. */
const words = (...parts: (string | number | null | undefined)[]) =>
  parts.filter((p) => p !== null && p !== undefined && p !== "").join(" ");

/**
 * One declared option's value as a word of the text grammar: a user as the mention token, a
 * boolean as its keyword (else its name) when true, a number as digits, after the option's keyword
 * if it has one (`team Growth`); null when left empty.
 */
function word(o: OptionReader, spec: ArgSpec): string | null {
  switch (spec.type) {
    case "user":
      return mention(o, spec.name);
    case "boolean":
      return o.getBoolean(spec.name) ? (spec.keyword ?? spec.name) : null;
    case "integer": {
      const n = o.getInteger(spec.name);
      return n === null ? null : words(spec.keyword, n);
    }
    case "string": {
      const value = o.getString(spec.name);
      return value ? words(spec.keyword, value) : null;
    }
  }
}

/** `/kr digest`: `action:here` with its slot and scope, or another action alone. */
function digestText(o: OptionReader): string {
  const action = o.getString("action");
  if (action !== "here") {
    const extra = ["weekday", "time", "zone", "objective", "team"].filter((n) => typed(o, n) !== null);
    if (extra.length) {
      throw new UserError(
        `\`/kr digest action:${action}\` takes no other options; you gave ${extra.map((n) => `\`${n}\``).join(", ")}.`,
        ["Those options go with `action:here`, which sets this channel's digest."],
      );
    }
    return words("digest", action);
  }
  atMostOne(o, "digest", ["objective", "team"]);
  const weekday = o.getString("weekday");
  const time = o.getString("time");
  const zone = o.getString("zone");
  // A zone alone moves the channel's digest to that zone, keeping its day and time.
  const slot = weekday || time ? [weekday ?? "mon", time ?? "09:00", zone] : [zone];
  const objective = o.getString("objective");
  const team = o.getString("team");
  return words("digest here", ...slot, objective ? `objective ${objective}` : team ? `team ${team}` : null);
}

/** `/kr remind`: `state:on|off` alone, or the parts of the reminder to move. */
function remindText(o: OptionReader): string {
  const state = o.getString("state");
  if (state) {
    const extra = ["weekday", "time", "zone"].filter((n) => typed(o, n) !== null);
    if (extra.length) {
      throw new UserError(
        `\`state:${state}\` takes no other options; you gave ${extra.map((n) => `\`${n}\``).join(", ")}.`,
        ["Leave `state` empty to move your reminder: any of `weekday`, `time` and `zone` (the rest stays)."],
      );
    }
    return words("remind", state);
  }
  // Whatever is left out stays as it was, so `zone` alone sets your zone (Discord has none to tell us).
  return words("remind", o.getString("weekday"), o.getString("time"), o.getString("zone"));
}

/**
 * Rebuilds the text grammar from typed options, so Discord and Slack reach the core the same way:
 * by default the command's name and its declared options' values in declaration order (the order
 * its grammar takes them). Commands whose options don't line up with their words map here by name.
 * `update` is not mapped here: its free-text note could be misread as words of the grammar, so it
 * goes through the check-in form fields instead (see updateFields). Options that contradict each
 * other throw a UserError naming them.
 */
export function optionsToText(o: OptionReader, command: AnyCommand): string {
  const sub = command.name;
  switch (sub) {
    case "digest":
      return digestText(o);
    case "remind":
      return remindText(o);
    case "snooze": {
      const until = o.getString("until") ?? "";
      const everyone = o.getBoolean("everyone") ? "for everyone" : undefined;
      return until.toLowerCase() === "off"
        ? words("snooze", o.getString("kr"), "off", everyone)
        : words("snooze", o.getString("kr"), "until", until, everyone);
    }
    case "team": {
      const user = o.getUser("user");
      const action = o.getString("action");
      if (Boolean(action) !== Boolean(user)) {
        throw new UserError(
          action
            ? `\`action:${action}\` needs \`user\`: the person to ${action}.`
            : "`user` needs `action`: `add` or `remove`.",
          ["Like `/kr team team:Growth action:add user:@ana`, or just `/kr team team:Growth` to see it."],
        );
      }
      return words(
        "team",
        quoted(o.getString("team")),
        action && user ? action : null,
        action && user ? mention(o, "user") : null,
      );
    }
    case "away": {
      const until = o.getString("until") ?? "";
      return until.toLowerCase() === "off" ? "away off" : words("away until", until);
    }
    default:
      for (const group of command.exclusive ?? []) atMostOne(o, sub, [...group]);
      return words(sub, ...(command.options ?? []).map((spec) => word(o, spec)));
  }
}

/** `metric=value` pairs typed into one option, split for the form schema; stray words are reported. */
export function parseMetricPairs(text: string): { values: RawUpdateFields["values"]; stray: string[] } {
  const values: RawUpdateFields["values"] = [];
  const stray: string[] = [];
  for (const word of text.match(/\S+/g) ?? []) {
    const eq = word.indexOf("=");
    if (eq > 0) values.push({ key: word.slice(0, eq).toLowerCase(), raw: word.slice(eq + 1) });
    else stray.push(word);
  }
  return { values, stray };
}

/** The `/kr update` options as form fields; undefined when only a KR was given (open the form). */
export function updateFields(o: OptionReader): { fields: RawUpdateFields; stray: string[] } | undefined {
  const status = o.getString("status");
  const progress = o.getInteger("progress");
  const metrics = o.getString("metrics");
  const note = o.getString("note");
  if (!status && progress === null && !metrics && !note) return undefined;
  const { values, stray } = parseMetricPairs(metrics ?? "");
  return {
    fields: {
      ref: o.getString("kr") ?? "",
      ...(status ? { status } : {}),
      ...(progress !== null ? { percent: String(progress) } : {}),
      values,
      note: note ?? "",
    },
    stray,
  };
}

/** The core invocation for an interaction; the interaction id is the request id (Discord never redelivers it). */
export function toInvocation(frame: InteractionFrame, text: string, command = ""): Invocation {
  return {
    workspace: { platform: "discord", id: frame.guildId },
    actor: {
      id: frame.user.id,
      name: frame.user.globalName || frame.user.username,
      isAdmin: Boolean(frame.isAdmin),
    },
    channel: { id: frame.channelId, isDirect: false },
    command,
    text,
    requestId: `discord:${frame.id}`,
  };
}
