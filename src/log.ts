import pino from "pino";

/**
 * Log fields that may hold a credential, at the top level or one level down (`{ options: { botToken } }`),
 * plus request headers. krbot never logs these on purpose; this is the safety net.
 */
export const REDACTED_PATHS = [
  ...["token", "secret", "authorization", "botToken", "appToken", "signingSecret", "password"].flatMap(
    (k) => [k, `*.${k}`],
  ),
  "*.headers.authorization",
  "*.headers.cookie",
  '*.headers["x-slack-signature"]',
];

/** JSON logs on stderr (stdout belongs to the shell adapter). Never log tokens, secrets or payloads. */
export function createLogger(level: string, destination: pino.DestinationStream = pino.destination(2)) {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: "[redacted]" } }, destination);
}
