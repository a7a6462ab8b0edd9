import { defineCommand } from "../core/command.ts";
import { reply } from "../core/reply.ts";
import { UserError } from "../domain/errors.ts";
import { grammar } from "../domain/grammar.ts";
import { closest } from "../domain/suggest.ts";
import { splitWords } from "../domain/words.ts";

/** `/kr help [command]`: generated from the command declarations, never written by hand. */
export const help = defineCommand({
  name: "help",
  aliases: ["?"],
  summary: "Show every command, or one command's usage and examples.",
  usage: "/kr help [command]",
  examples: ["/kr help", "/kr help update"],
  options: [
    { name: "command", type: "string", description: "One command's usage and examples", choices: "commands" },
  ],
  visibility: "ephemeral",
  writes: false,
  args: grammar((text, report) => {
    const words = splitWords(text);
    if (words.length > 1) report("`help` takes at most one command name, like `/kr help update`.");
    return { topic: words[0]?.toLowerCase().replace(/^\//, "") };
  }),
  async execute({ topic }, ctx) {
    // On a platform with its own syntax (Discord options), help shows that, not the text grammar.
    const own = ctx.platformUsage;
    if (!topic) {
      const shown = own ? ctx.commands.filter((c) => own.has(c.name)) : ctx.commands;
      return reply("krbot commands", {
        blocks: [
          { kind: "heading", text: "krbot: track your key results where you talk" },
          {
            kind: "fields",
            items: shown.map((c) => ({ label: own?.get(c.name)?.usage ?? c.usage, value: c.summary })),
          },
          {
            kind: "context",
            text: own
              ? `Type \`${own.get("help")?.usage ?? "/kr help"}\` for one command's options.`
              : "Type `/kr help <command>` for examples, e.g. `/kr help update`.",
          },
        ],
      });
    }
    const command = ctx.commands.find((c) => c.name === topic || (!own && c.aliases?.includes(topic)));
    if (!command) {
      const near = closest(
        topic,
        ctx.commands.map((c) => c.name),
        2,
        1,
      );
      throw new UserError(`There is no command \`${topic}\`.`, [
        near[0] ? `Did you mean \`/kr help ${near[0]}\`?` : "Type `/kr help` to see every command.",
      ]);
    }
    const mine = own?.get(command.name);
    if (mine) {
      return reply(`${mine.usage}: ${command.summary}`, {
        blocks: [
          { kind: "heading", text: mine.usage },
          { kind: "text", markdown: command.summary },
          ...(mine.options.length
            ? [
                {
                  kind: "fields" as const,
                  items: mine.options.map((o) => ({ label: o.name, value: o.description })),
                },
              ]
            : []),
        ],
      });
    }
    return reply(`${command.usage}: ${command.summary}`, {
      blocks: [
        { kind: "heading", text: command.usage },
        { kind: "text", markdown: command.summary },
        {
          kind: "fields",
          items: command.examples.map((e, i) => ({ label: `Example ${i + 1}`, value: `\`${e}\`` })),
        },
        ...(command.aliases?.length
          ? [{ kind: "context" as const, text: `Also: ${command.aliases.map((a) => `/kr ${a}`).join(", ")}` }]
          : []),
      ],
    });
  },
});
