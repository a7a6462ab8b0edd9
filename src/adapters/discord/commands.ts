import {
  type ApplicationCommandOptionBase,
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
  type SlashCommandSubcommandBuilder,
} from "discord.js";
import type { AnyCommand, ArgSpec, PlatformUsage } from "../../core/command.ts";

/** The top-level slash command's name: `/kr`. */
export const COMMAND_NAME = "kr";

/** Discord's rule for subcommand names; aliases that break it (like `?`) are text-only. */
const SUBCOMMAND_NAME = /^[-_\p{L}\p{N}]{1,32}$/u;
/** Discord's limit on description lengths. */
const MAX_DESCRIPTION = 100;

/** One declared argument as a Discord option: its type, description, required, choices, autocomplete and bounds. */
function addOption(s: SlashCommandSubcommandBuilder, spec: ArgSpec, commands: readonly AnyCommand[]): void {
  const base = <O extends ApplicationCommandOptionBase>(o: O): O =>
    o
      .setName(spec.name)
      .setDescription(spec.description.slice(0, MAX_DESCRIPTION))
      .setRequired(Boolean(spec.required));
  const choices = spec.choices === "commands" ? commands.map((c) => c.name) : spec.choices;
  switch (spec.type) {
    case "user":
      s.addUserOption((o) => base(o));
      return;
    case "boolean":
      s.addBooleanOption((o) => base(o));
      return;
    case "integer":
      s.addIntegerOption((o) => {
        base(o);
        if (spec.min !== undefined) o.setMinValue(spec.min);
        if (spec.max !== undefined) o.setMaxValue(spec.max);
        return o;
      });
      return;
    case "string":
      s.addStringOption((o) => {
        base(o);
        if (choices?.length) o.addChoices(...choices.map((c) => ({ name: c, value: c })));
        if (spec.autocomplete) o.setAutocomplete(true);
        if (spec.maxLength !== undefined) o.setMaxLength(spec.maxLength);
        return o;
      });
  }
}

/** One subcommand from a command's declaration, under its name or one of its aliases. */
function subcommand(
  command: AnyCommand,
  name: string,
  commands: readonly AnyCommand[],
): (s: SlashCommandSubcommandBuilder) => SlashCommandSubcommandBuilder {
  const summary = command.optionsSummary ?? command.summary;
  const description =
    name === command.name ? summary : `Same as /${COMMAND_NAME} ${command.name}: ${summary}`;
  return (s) => {
    s.setName(name).setDescription(description.slice(0, MAX_DESCRIPTION));
    for (const spec of command.options ?? []) addOption(s, spec, commands);
    return s;
  };
}

/**
 * The `/kr` command as Discord registers it, generated from the commands' declarations: one
 * subcommand per command the core has, with its declared options, then one per alias that Discord
 * can name (so `/kr checkin` works here too), with the same options.
 */
export function krCommand(commands: readonly AnyCommand[]): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const b = new SlashCommandBuilder()
    .setName(COMMAND_NAME)
    .setDescription("Track key results: check in, see status")
    // Key results belong to a server; in DMs there is no workspace to answer from.
    .setContexts(InteractionContextType.Guild);
  for (const c of commands) b.addSubcommand(subcommand(c, c.name, commands));
  for (const c of commands) {
    for (const alias of (c.aliases ?? []).filter((a) => SUBCOMMAND_NAME.test(a))) {
      b.addSubcommand(subcommand(c, alias.toLowerCase(), commands));
    }
  }
  return b.toJSON();
}

/** Choices listed in a usage line when there are at most this many; more read as `<name>`. */
const MAX_INLINE_CHOICES = 5;
/** Discord's application command option types krbot's usage lines name specially. */
const USER_OPTION = 6;
const BOOLEAN_OPTION = 5;

/** One option of a registered subcommand, as far as a usage line needs it. */
interface OptionJson {
  name: string;
  description: string;
  type: number;
  required?: boolean;
  choices?: { value: string | number }[];
}

/**
 * How each `/kr` subcommand is typed on Discord, read off its registration: `/kr status [kr:<kr>]
 * [team:<team>] [user:@someone] [mine:True]`. Help and usage hints show these on Discord, where the
 * text grammar's `/kr checkin IV.KR2 40%` can't be typed.
 */
export function discordUsage(
  command: RESTPostAPIChatInputApplicationCommandsJSONBody,
): Map<string, PlatformUsage> {
  const usages = new Map<string, PlatformUsage>();
  // discord-api-types types options as a union without a shared `options` field on subcommands.
  for (const sub of (command.options ?? []) as unknown as (OptionJson & { options?: OptionJson[] })[]) {
    const options = sub.options ?? [];
    const parts = options.map((o) => {
      const value =
        o.choices && o.choices.length <= MAX_INLINE_CHOICES
          ? o.choices.map((c) => c.value).join("|")
          : o.type === USER_OPTION
            ? "@someone"
            : o.type === BOOLEAN_OPTION
              ? "True"
              : `<${o.name}>`;
      return o.required ? `${o.name}:${value}` : `[${o.name}:${value}]`;
    });
    usages.set(sub.name, {
      usage: [`/${command.name} ${sub.name}`, ...parts].join(" "),
      options: options.map((o) => ({ name: o.name, description: o.description })),
    });
  }
  return usages;
}
