import { defineCommand } from "../core/command.ts";
import { reply } from "../core/reply.ts";
import { grammar } from "../domain/grammar.ts";
import { splitWords } from "../domain/words.ts";
import { findKr } from "./shared/find-kr.ts";
import { KR_OPTION } from "./shared/options.ts";

/** `/kr owners <kr>`: who owns a key result. */
export const owners = defineCommand({
  name: "owners",
  summary: "List the owners of a key result.",
  usage: "/kr owners <kr>",
  examples: ["/kr owners IV.KR2"],
  needsPlan: true,
  options: [KR_OPTION],
  visibility: "ephemeral",
  writes: false,
  args: grammar((text, report) => {
    const words = splitWords(text);
    if (words.length !== 1) report("Name one key result, like `/kr owners IV.KR2`.");
    return { ref: words[0] ?? "" };
  }),
  async execute({ ref }, ctx) {
    const kr = await findKr(ref, ctx);
    if (kr.owners.length === 0) {
      return reply(`${kr.code} has no owners yet.`, {
        blocks: [
          { kind: "text", markdown: `${kr.code} ${kr.title} has no owners yet.` },
          { kind: "context", text: `Add one with \`/kr owner ${kr.code} add @user\`.` },
        ],
      });
    }
    const names = kr.owners.map((o) => o.displayName).join(", ");
    return reply(`${kr.code} owners: ${names}`, {
      blocks: [
        { kind: "heading", text: `${kr.code} ${kr.title}` },
        { kind: "text", markdown: `Owners: ${names}` },
        ...(kr.teams.length ? [{ kind: "context" as const, text: `Teams: ${kr.teams.join(", ")}` }] : []),
      ],
    });
  },
});
