/** A user as typed: a platform mention (`<@U123>`, `<@!123>`, `<@U123|ann>`) or a plain `@name`. */
export type UserRef = { kind: "id"; id: string; name?: string } | { kind: "name"; name: string };

/**
 * The core's mention syntax is Slack's: `<@ID|label>`, where the label holds `&`, `<` and `>` as
 * `&amp;`, `&lt;` and `&gt;`. So a mention ends at its first `>` whatever the display name holds
 * (spaces, emoji, `|`, `<3`), and the text grammar can keep it as one token.
 */
const MENTION = /^<@!?([A-Za-z0-9_]+)(?:\|([^>]*))?>$/;

/** Escapes a display name for a mention label (`&`, `<`, `>` as entities). */
export function encodeMentionLabel(name: string): string {
  return name.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Reads a mention label back into the display name (one level of `&amp;`, `&lt;`, `&gt;`). */
export function decodeMentionLabel(label: string): string {
  return label.replace(/&(amp|lt|gt);/g, (_, e: string) => (e === "amp" ? "&" : e === "lt" ? "<" : ">"));
}

/** A person as a mention token for the text grammar: `<@123|Carol Jones>`. */
export function formatMention(id: string, name?: string): string {
  const label = name?.trim() ? `|${encodeMentionLabel(name.trim())}` : "";
  return `<@${id}${label}>`;
}

/** Free text with each named mention written as people read it: `<@U1|Carol Jones>` becomes `@Carol Jones`. */
export function mentionsAsText(text: string): string {
  return text.replace(/<@!?[A-Za-z0-9_]+\|([^>]*)>/g, (match, label: string) => {
    const name = decodeMentionLabel(label).trim();
    return name ? `@${name}` : match;
  });
}

/** Parses one word (a whole mention token, see words.ts) as a user reference; undefined when it is not one. */
export function parseUserRef(word: string): UserRef | undefined {
  const mention = MENTION.exec(word);
  if (mention) {
    const [, id, label] = mention;
    const name = label ? decodeMentionLabel(label).trim() : "";
    return name ? { kind: "id", id: id as string, name } : { kind: "id", id: id as string };
  }
  const plain = /^@([\p{L}\p{N}._-]{1,80})$/u.exec(word);
  if (plain) return { kind: "name", name: plain[1] as string };
  return undefined;
}

/** Whether a word looks like a person written without the `@` (`ann`, `ann.lee`), for hints. */
export function looksLikeBareName(word: string): boolean {
  return /^[\p{L}][\p{L}\p{N}._-]{0,79}$/u.test(word);
}
