import { z } from "zod";

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const url = (example: string) => z.url({ error: `expected a URL like ${example}` });

/** Every environment variable krbot reads, with its default and what a bad value gets told. */
export const EnvSchema = z.object({
  DATABASE_URL: z.string().default("./data/krbot.db"),
  KRBOT_PLAN: z.string().optional(),
  KRBOT_STALE_DAYS: z.coerce
    .number({ error: "expected a whole number of days, like 7" })
    .int("expected a whole number of days, like 7")
    .min(1, "expected at least 1 day")
    .max(365, "expected at most 365 days")
    .default(7),
  KRBOT_ADMINS: z
    .string()
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^(slack|discord|shell):[A-Za-z0-9_-]+$/,
            "expected platform:userId entries, like slack:U0123ABC,discord:123456789012345678",
          ),
      ),
    )
    .default([]),
  KRBOT_RATE_LIMIT: z.coerce
    .number({ error: "expected commands per user per minute, like 20 (0 turns the limit off)" })
    .int("expected a whole number, like 20")
    .min(0, "expected 0 or more")
    .default(20),
  KRBOT_GRACE_HOURS: z.coerce
    .number({ error: "expected a number of hours, like 12" })
    .min(0, "expected 0 hours or more")
    .max(168, "expected at most 168 hours (a week)")
    .default(12),
  PORT: z.coerce
    .number({ error: "expected a port number from 1 to 65535" })
    .int("expected a port number from 1 to 65535")
    .min(1, "expected a port number from 1 to 65535")
    .max(65535, "expected a port number from 1 to 65535")
    .default(3000),
  SLACK_BOT_TOKEN: z.string().startsWith("xoxb-", "expected a bot token starting with xoxb-").optional(),
  SLACK_SIGNING_SECRET: z
    .string()
    .min(8, "expected the app's signing secret (Basic Information page)")
    .optional(),
  SLACK_APP_TOKEN: z
    .string()
    .startsWith("xapp-", "expected an app-level token starting with xapp-")
    .optional(),
  SLACK_API_URL: url("https://slack.com/api/").optional(),
  DISCORD_TOKEN: z.string().min(20, "expected the bot token from the Discord developer portal").optional(),
  DISCORD_APPLICATION_ID: z
    .string()
    .regex(/^\d{15,21}$/, "expected a numeric application id")
    .optional(),
  DISCORD_API_URL: url("https://discord.com/api").optional(),
  DISCORD_GUILD_ID: z
    .string()
    .regex(/^\d{15,21}$/, "expected a numeric guild (server) id")
    .optional(),
  DEFAULT_TIMEZONE: z
    .string()
    .refine(isTimeZone, "expected an IANA time zone like Europe/Berlin or UTC")
    .default("UTC"),
  LOG_LEVEL: z
    .enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], {
      error: "expected one of fatal, error, warn, info, debug, trace, silent",
    })
    .optional(),
});

/** krbot's validated configuration. */
export type Config = z.output<typeof EnvSchema>;

/** Configuration that cannot start the bot; one readable line per variable, naming it. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(readonly problems: string[]) {
    super(problems.join("\n"));
  }
}

const SECRET = /TOKEN|SECRET/;

/** Parses the environment; empty values count as unset. Secrets are never echoed in errors. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v.trim() !== ""),
  );
  const result = EnvSchema.safeParse(present);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0]);
        const shown = SECRET.test(name) ? "" : ` (got "${present[name]}")`;
        return `${name}: ${issue.message}${shown}`;
      }),
    );
  }
  const config = result.data;
  const problems: string[] = [];
  if (config.SLACK_BOT_TOKEN && !config.SLACK_SIGNING_SECRET && !config.SLACK_APP_TOKEN) {
    problems.push(
      "SLACK_SIGNING_SECRET: required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)",
    );
  }
  if (config.DISCORD_TOKEN && !config.DISCORD_APPLICATION_ID) {
    problems.push("DISCORD_APPLICATION_ID: required with DISCORD_TOKEN");
  }
  if (problems.length) throw new ConfigError(problems);
  return config;
}
