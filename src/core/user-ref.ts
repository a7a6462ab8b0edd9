/** A user as typed: a platform mention (`<@U123>`, `<@!123>`, `<@U123|ann>`) or a plain `@name`. */
export type UserRef = { kind: "id"; id: string; name?: string } | { kind: "name"; name: string };

/** Parses one word as a user reference; undefined when it is not one. */
export function parseUserRef(word: string): UserRef | undefined {
  const mention = /^<@!?([A-Za-z0-9_]+)(?:\|([^>]*))?>$/.exec(word);
  if (mention) {
    const [, id, name] = mention;
    return name ? { kind: "id", id: id as string, name } : { kind: "id", id: id as string };
  }
  const plain = /^@([\p{L}\p{N}._-]{1,80})$/u.exec(word);
  if (plain) return { kind: "name", name: plain[1] as string };
  return undefined;
}
