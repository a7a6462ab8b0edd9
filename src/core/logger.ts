/** The logging the core needs; pino satisfies it. Never pass tokens or secrets. */
export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** A logger that drops everything (tests, library use). */
export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
