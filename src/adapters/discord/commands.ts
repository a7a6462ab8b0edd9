import {
  InteractionContextType,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
  type SlashCommandStringOption,
} from "discord.js";
import type { AnyCommand, PlatformUsage } from "../../core/command.ts";
import { MAX_HISTORY } from "../../domain/limits.ts";
import { STATUS_WORDS } from "../../domain/status-words.ts";
import { MAX_NOTE_LENGTH } from "../../domain/update-fields.ts";

/** The top-level slash command's name: `/kr`. */
export const COMMAND_NAME = "kr";

const krOption =
  (required: boolean, description = "A key result, like IV.KR2 (start typing a code or title)") =>
  (o: SlashCommandStringOption) =>
    o.setName("kr").setDescription(description).setRequired(required).setAutocomplete(true);

/**
 * The `/kr` command as Discord registers it: one subcommand per core command that exists, with
 * typed options that map back to the same text grammar (see parse.ts). Commands the core does not
 * have yet are not registered, so Discord never offers something that would answer "unknown".
 */
export function krCommand(commands: readonly AnyCommand[]): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const has = (name: string) => commands.some((c) => c.name === name);
  const summary = (name: string) => (commands.find((c) => c.name === name)?.summary ?? name).slice(0, 100);
  const b = new SlashCommandBuilder()
    .setName(COMMAND_NAME)
    .setDescription("Track key results: check in, see status")
    // Key results belong to a server; in DMs there is no workspace to answer from.
    .setContexts(InteractionContextType.Guild);
  if (has("status")) {
    b.addSubcommand((s) =>
      s
        .setName("status")
        .setDescription(summary("status"))
        .addStringOption(krOption(false, "A key result or objective, like IV.KR2 or IV"))
        .addStringOption((o) =>
          o.setName("team").setDescription("Only this team's key results").setAutocomplete(true),
        )
        .addUserOption((o) => o.setName("user").setDescription("Only the key results this person owns"))
        .addBooleanOption((o) => o.setName("mine").setDescription("Only the key results you own")),
    );
  }
  if (has("update")) {
    b.addSubcommand((s) =>
      s
        .setName("update")
        .setDescription(`${summary("update")} Leave the rest empty for a form.`.slice(0, 100))
        .addStringOption(krOption(true))
        .addStringOption((o) =>
          o
            .setName("status")
            .setDescription("How it is going")
            .addChoices(...STATUS_WORDS.map((w) => ({ name: w, value: w }))),
        )
        .addIntegerOption((o) =>
          o
            .setName("progress")
            .setDescription("Progress in %, for KRs without metrics")
            .setMinValue(0)
            .setMaxValue(100),
        )
        .addStringOption((o) =>
          o
            .setName("metrics")
            .setDescription("Metric values, like trainers=25 teachers_reached=5,200")
            .setMaxLength(500),
        )
        .addStringOption((o) =>
          o.setName("note").setDescription("What happened").setMaxLength(MAX_NOTE_LENGTH),
        ),
    );
  }
  if (has("list")) {
    b.addSubcommand((s) =>
      s
        .setName("list")
        .setDescription(summary("list"))
        .addStringOption((o) =>
          o.setName("objective").setDescription("Only this objective, like IV").setAutocomplete(true),
        ),
    );
  }
  if (has("history")) {
    b.addSubcommand((s) =>
      s
        .setName("history")
        .setDescription(summary("history"))
        .addStringOption(krOption(true))
        .addIntegerOption((o) =>
          o.setName("count").setDescription("How many check-ins").setMinValue(1).setMaxValue(MAX_HISTORY),
        ),
    );
  }
  if (has("owner")) {
    b.addSubcommand((s) =>
      s
        .setName("owner")
        .setDescription(summary("owner"))
        .addStringOption(krOption(true))
        .addStringOption((o) =>
          o
            .setName("action")
            .setDescription("Add or remove")
            .setRequired(true)
            .addChoices({ name: "add", value: "add" }, { name: "remove", value: "remove" }),
        )
        .addUserOption((o) => o.setName("user").setDescription("The owner").setRequired(true)),
    );
  }
  if (has("owners")) {
    b.addSubcommand((s) =>
      s.setName("owners").setDescription(summary("owners")).addStringOption(krOption(true)),
    );
  }
  const weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].map((d) => ({ name: d, value: d }));
  if (has("digest")) {
    b.addSubcommand((s) =>
      s
        .setName("digest")
        .setDescription(summary("digest"))
        .addStringOption((o) =>
          o
            .setName("action")
            .setDescription("here: post it in this channel; off; list; preview")
            .setRequired(true)
            .addChoices(...["here", "off", "list", "preview"].map((a) => ({ name: a, value: a }))),
        )
        .addStringOption((o) =>
          o
            .setName("weekday")
            .setDescription("Day of the week (default mon)")
            .addChoices(...weekdays),
        )
        .addStringOption((o) =>
          o.setName("time").setDescription("Local time HH:MM (default 09:00)").setMaxLength(5),
        )
        .addStringOption((o) =>
          o
            .setName("zone")
            .setDescription("IANA time zone, like Europe/Berlin; alone it moves the digest to it")
            .setMaxLength(64),
        )
        .addStringOption((o) =>
          o.setName("objective").setDescription("Only this objective").setAutocomplete(true),
        )
        .addStringOption((o) => o.setName("team").setDescription("Only this team").setAutocomplete(true)),
    );
  }
  if (has("remind")) {
    b.addSubcommand((s) =>
      s
        .setName("remind")
        .setDescription(summary("remind"))
        .addStringOption((o) =>
          o
            .setName("state")
            .setDescription("Turn reminders on or off")
            .addChoices({ name: "on", value: "on" }, { name: "off", value: "off" }),
        )
        .addStringOption((o) =>
          o
            .setName("weekday")
            .setDescription("Your reminder day (the rest stays)")
            .addChoices(...weekdays),
        )
        .addStringOption((o) => o.setName("time").setDescription("Your local time HH:MM").setMaxLength(5))
        .addStringOption((o) =>
          o
            .setName("zone")
            .setDescription("Your IANA time zone, like Asia/Kolkata; alone it sets just your zone")
            .setMaxLength(64),
        ),
    );
  }
  if (has("snooze")) {
    b.addSubcommand((s) =>
      s
        .setName("snooze")
        .setDescription(summary("snooze"))
        .addStringOption(krOption(true))
        .addStringOption((o) =>
          o
            .setName("until")
            .setDescription("Last day of the pause, YYYY-MM-DD, or off")
            .setRequired(true)
            .setMaxLength(10),
        )
        .addBooleanOption((o) =>
          o
            .setName("everyone")
            .setDescription("Pause every owner's reminder, not just yours (owners and admins)"),
        ),
    );
  }
  if (has("away")) {
    b.addSubcommand((s) =>
      s
        .setName("away")
        .setDescription(summary("away"))
        .addStringOption((o) =>
          o
            .setName("until")
            .setDescription("Last day away, YYYY-MM-DD, or off")
            .setRequired(true)
            .setMaxLength(10),
        ),
    );
  }
  if (has("undo")) {
    b.addSubcommand((s) => s.setName("undo").setDescription(summary("undo")));
  }
  if (has("team")) {
    b.addSubcommand((s) =>
      s
        .setName("team")
        .setDescription(summary("team"))
        .addStringOption((o) =>
          o.setName("team").setDescription("The team").setRequired(true).setAutocomplete(true),
        )
        .addStringOption((o) =>
          o
            .setName("action")
            .setDescription("Add or remove a member (admins)")
            .addChoices({ name: "add", value: "add" }, { name: "remove", value: "remove" }),
        )
        .addUserOption((o) => o.setName("user").setDescription("The member")),
    );
  }
  if (has("settings")) {
    b.addSubcommand((s) =>
      s
        .setName("settings")
        .setDescription(summary("settings"))
        .addStringOption((o) =>
          o
            .setName("updates")
            .setDescription("Who may update key results (admins)")
            .addChoices({ name: "anyone", value: "anyone" }, { name: "restricted", value: "restricted" }),
        )
        .addStringOption((o) =>
          o.setName("timezone").setDescription("Workspace IANA time zone (admins)").setMaxLength(64),
        )
        .addStringOption((o) =>
          o
            .setName("zone")
            .setDescription("Your own IANA time zone, like Europe/Berlin (off to clear)")
            .setMaxLength(64),
        ),
    );
  }
  if (has("export")) {
    b.addSubcommand((s) => s.setName("export").setDescription(summary("export")));
  }
  if (has("help")) {
    b.addSubcommand((s) =>
      s
        .setName("help")
        .setDescription(summary("help"))
        .addStringOption((o) =>
          o
            .setName("command")
            .setDescription("One command's usage and examples")
            .addChoices(...commands.map((c) => ({ name: c.name, value: c.name }))),
        ),
    );
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
