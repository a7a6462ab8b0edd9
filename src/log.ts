import pino from "pino";

/** JSON logs on stderr (stdout belongs to the shell adapter). Never log tokens or secrets. */
export function createLogger(level: string) {
  return pino(
    {
      level,
      redact: { paths: ["*.token", "*.secret", "*.authorization", "token", "secret"], censor: "[redacted]" },
    },
    pino.destination(2),
  );
}
