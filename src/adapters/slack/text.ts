import { formatMention } from "../../domain/user-ref.ts";

/** A user mention as Slack sends it: `<@U123>` or `<@U123|label>`, the label with `&`, `<`, `>` escaped. */
const USER_MENTION = /<@([A-Z0-9_]+)(\|[^>]*)?>/gi;

/**
 * Undoes Slack's escaping of slash-command text, once, at the edge: Slack sends a typed `&`, `<`,
 * `>` as `&amp;`, `&lt;`, `&gt;`, and the core wants what the person typed ("Trust & Safety
 * Policy", "R&D <draft>"); renderers escape again for their platform. User mentions are left as
 * sent: their labels keep the escaping, which is the core's own mention syntax (see user-ref.ts),
 * so a display name holding `>` or `|` can't end the mention early. One pass, so `&amp;lt;`
 * (a typed `&lt;`) becomes `&lt;`, not `<`.
 */
export function decodeSlackText(text: string): string {
  return text.replace(/(<@[A-Z0-9_]+(?:\|[^>]*)?>)|&(amp|lt|gt);/gi, (match, mention: string | undefined) => {
    if (mention) return mention;
    const entity = match.slice(1, -1).toLowerCase();
    return entity === "amp" ? "&" : entity === "lt" ? "<" : ">";
  });
}

/** The ids of user mentions that came without a name (`<@U123>`), each once. */
export function unnamedMentions(text: string): string[] {
  const ids = [...text.matchAll(USER_MENTION)]
    .filter((m) => !m[2]?.slice(1).trim())
    .map((m) => m[1] as string);
  return [...new Set(ids)];
}

/**
 * Gives every unnamed user mention the name Slack shows for that person (`<@U123>` becomes
 * `<@U123|Carol Jones>`), so replies and stored members carry names, not ids. A person the
 * lookup can't name keeps the bare mention.
 */
export async function nameMentions(
  text: string,
  lookup: (userId: string) => Promise<string | undefined>,
): Promise<string> {
  const ids = unnamedMentions(text);
  if (ids.length === 0) return text;
  const names = new Map<string, string | undefined>();
  await Promise.all(ids.map(async (id) => names.set(id, await lookup(id))));
  return text.replace(USER_MENTION, (match, id: string, label: string | undefined) =>
    label?.slice(1).trim() ? match : formatMention(id, names.get(id)),
  );
}
