import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "../../core/logger.ts";

/** Bolt's logger interface over ours, so Bolt's messages land in the same JSON log. */
export function boltLogger(log: Logger & { debug?: (obj: object, msg?: string) => void }): BoltLogger {
  let level = LogLevel.WARN;
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : String(m))).join(" ");
  return {
    debug: (...msg) => log.debug?.({ source: "bolt" }, text(msg)),
    info: (...msg) => log.info({ source: "bolt" }, text(msg)),
    warn: (...msg) => log.warn({ source: "bolt" }, text(msg)),
    error: (...msg) => log.error({ source: "bolt" }, text(msg)),
    setLevel: (l) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}
