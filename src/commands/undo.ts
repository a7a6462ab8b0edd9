import { defineCommand } from "../core/command.ts";
import type { KrStatus } from "../core/reply.ts";
import { reply } from "../core/reply.ts";
import { UserError } from "../domain/errors.ts";
import { grammar } from "../domain/grammar.ts";
import { percent } from "../domain/kr-text.ts";
import { plural } from "../domain/plural.ts";
import { statusLabel } from "../domain/status-words.ts";
import { formatNumber, splitWords } from "../domain/words.ts";

/** How long after a check-in its author can take it back. */
export const UNDO_WINDOW_MS = 15 * 60 * 1000;

/** `/kr undo`: take back your own last check-in within 15 minutes (kept as a revision). */
export const undo = defineCommand({
  name: "undo",
  summary: "Take back your own last check-in, within 15 minutes (the audit log keeps the revision).",
  usage: "/kr undo",
  examples: ["/kr undo"],
  needsProfile: true,
  options: [],
  visibility: "ephemeral",
  writes: true,
  args: grammar((text, report) => {
    if (splitWords(text).length) report("`undo` takes nothing more: it takes back your own last check-in.");
    return {};
  }),
  async execute(_args, ctx) {
    const result = await ctx.store.checkIns.undoLast(
      ctx.workspace.id,
      ctx.invocation.actor.id,
      ctx.now(),
      UNDO_WINDOW_MS,
    );
    if (!result.ok) {
      if (result.reason === "none") throw new UserError("You have no check-in to undo.");
      if (result.reason === "too_old") {
        throw new UserError(
          `Your last check-in on ${result.krCode} is ${plural(Math.round(result.ageMs / 60_000), "minute")} old; undo works for 15 minutes.`,
          [`Post a correcting check-in instead: \`/kr update ${result.krCode} …\``],
        );
      }
      throw new UserError(
        `Someone checked in on ${result.krCode} after you, so yours can't be undone without losing theirs.`,
        [`Post a correcting check-in instead: \`/kr update ${result.krCode} …\``],
      );
    }
    const r = result.restored;
    const values = r.values
      .map((v) => `${v.key} ${v.value === null ? "—" : formatNumber(v.value)}`)
      .join(", ");
    const text = `Undid your check-in on ${result.krCode}: back to ${statusLabel(r.status as KrStatus)}, ${percent(r.progress)}${values ? ` (${values})` : ""}.`;
    return reply(text, { tone: "success", visibility: "channel" });
  },
});
