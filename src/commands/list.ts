import { defineCommand } from "../core/command.ts";
import { type Block, reply } from "../core/reply.ts";
import { grammar } from "../domain/grammar.ts";
import { resolveObjective } from "../domain/kr-ref.ts";
import { plural } from "../domain/plural.ts";
import { splitWords } from "../domain/words.ts";
import { requirePlan } from "./shared/plan-context.ts";

/** `/kr list [objective]`: the plan's objectives and key result codes. */
export const list = defineCommand({
  name: "list",
  aliases: ["ls"],
  summary: "List the plan's objectives and key results with their codes.",
  usage: "/kr list [objective]",
  examples: ["/kr list", "/kr list IV"],
  needsPlan: true,
  options: [
    {
      name: "objective",
      type: "string",
      description: "Only this objective, like IV",
      autocomplete: "objective",
    },
  ],
  visibility: "ephemeral",
  writes: false,
  args: grammar((text, report) => {
    const words = splitWords(text);
    if (words.length > 1) report("`list` takes at most one objective, like `/kr list IV`.");
    return { objective: words[0] };
  }),
  async execute({ objective }, ctx) {
    const plan = await requirePlan(ctx);
    const ws = ctx.workspace.id;
    const [objectives, krs] = await Promise.all([
      ctx.store.plans.listObjectives(ws),
      ctx.store.keyResults.list(ws),
    ]);
    const shown = objective ? [resolveObjective(objective, objectives)] : objectives;
    const blocks: Block[] = [{ kind: "heading", text: plan.title }];
    for (const o of shown) {
      blocks.push({ kind: "heading", text: `${o.code}. ${o.title}` });
      const lines = krs.filter((kr) => kr.objectiveCode === o.code).map((kr) => `\`${kr.code}\` ${kr.title}`);
      blocks.push({ kind: "text", markdown: lines.join("\n") });
    }
    blocks.push({
      kind: "context",
      text: "Codes are forgiving: `IV.KR2`, `iv-kr2` and `4.2` name the same KR.",
    });
    const count = krs.filter((kr) => shown.some((o) => o.code === kr.objectiveCode)).length;
    return reply(`${plan.title}: ${plural(shown.length, "objective")}, ${plural(count, "key result")}`, {
      blocks,
    });
  },
});
