import { defineCommand } from "../core/command.ts";
import { type Block, reply } from "../core/reply.ts";
import { grammar } from "../domain/grammar.ts";
import { percent } from "../domain/kr-text.ts";
import { MAX_HISTORY } from "../domain/limits.ts";
import { plural } from "../domain/plural.ts";
import { statusLabel } from "../domain/status-words.ts";
import { formatDateTime } from "../domain/time.ts";
import { formatNumber, splitWords } from "../domain/words.ts";
import { krChartRequest } from "./shared/chart-file.ts";
import { findKr } from "./shared/find-kr.ts";
import { KR_OPTION } from "./shared/options.ts";
import { actorZone } from "./shared/zone.ts";

export { MAX_HISTORY };

/** `/kr history <kr> [count]`: the latest check-ins with what each one changed. */
export const history = defineCommand({
  name: "history",
  aliases: ["log"],
  summary: "Show a key result's latest check-ins and what each changed.",
  usage: "/kr history <kr> [count]",
  examples: ["/kr history IV.KR2", "/kr history 4.2 20"],
  needsPlan: true,
  needsProfile: true,
  options: [
    KR_OPTION,
    { name: "count", type: "integer", description: "How many check-ins", min: 1, max: MAX_HISTORY },
  ],
  visibility: "ephemeral",
  writes: false,
  args: grammar((text, report) => {
    const [ref, count, ...extra] = splitWords(text);
    if (!ref) report("Name a key result, like `/kr history IV.KR2`.");
    let n = 5;
    if (count !== undefined) {
      n = /^\d{1,3}$/.test(count) ? Number(count) : Number.NaN;
      if (!(n >= 1 && n <= MAX_HISTORY))
        report(`\`${count}\`: the count is a whole number from 1 to ${MAX_HISTORY}.`);
    }
    if (extra.length)
      report(`\`history\` takes a KR and a count; I don't know what to do with \`${extra.join(" ")}\`.`);
    return { ref: ref ?? "", count: n };
  }),
  async execute({ ref, count }, ctx) {
    const kr = await findKr(ref, ctx);
    const entries = await ctx.store.checkIns.list(ctx.workspace.id, kr.id, count);
    const { zone: tz } = await actorZone(ctx);
    const blocks: Block[] = [
      { kind: "heading", text: `${kr.code} ${kr.title}: history` },
      ...(entries.length ? [{ kind: "context" as const, text: `Times in ${tz}` }] : []),
    ];
    if (entries.length === 0) {
      blocks.push({ kind: "text", markdown: `No check-ins yet. Post one with \`/kr update ${kr.code} …\`.` });
    }
    for (const c of entries) {
      const changes = [
        c.status !== c.previousStatus
          ? `${statusLabel(c.previousStatus)} → ${statusLabel(c.status)}`
          : statusLabel(c.status),
        c.progress !== c.previousProgress
          ? `${percent(c.previousProgress)} → ${percent(c.progress)}`
          : percent(c.progress),
        ...c.values.map(
          (v) =>
            `${v.key} ${v.previous === null ? "" : `${formatNumber(v.previous)} → `}${formatNumber(v.value)}`,
        ),
      ];
      blocks.push({
        kind: "text",
        markdown: `*${formatDateTime(c.at, tz)}* ${c.author}: ${changes.join(" · ")}${c.undoneAt ? " (undone)" : ""}${c.note ? `\n> ${c.note}` : ""}`,
      });
    }
    const charts = krChartRequest(ctx, kr);
    return {
      ...reply(`${kr.code}: ${plural(entries.length, "check-in")}`, { blocks }),
      ...(charts.length ? { chartRequests: charts } : {}),
    };
  },
});
