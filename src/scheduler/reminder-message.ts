import { encodeAction } from "../core/actions.ts";
import { type Block, type Reply, reply } from "../core/reply.ts";
import { statusLine } from "../core/status-line.ts";
import type { KrView, PlanInfo } from "../domain/model.ts";
import { everyoneText } from "../domain/snooze-text.ts";
import type { PauseNotice } from "./due.ts";

/**
 * The reminder DM: only the owner's due KRs, each with "Update" and "Snooze a week", and the
 * pauses for everyone someone else set since their last reminder. Pure.
 */
export function reminderMessage(
  name: string,
  due: KrView[],
  plan: PlanInfo,
  now: Date,
  staleDays: number,
  notices: PauseNotice[] = [],
): Reply {
  const paused = notices.map((n) => `• ${n.kr.code} ${n.kr.title}: ${everyoneText(n.snooze)}.`);
  const pausedBlocks: Block[] = paused.length
    ? [{ kind: "text", markdown: `Reminders paused for every owner:\n${paused.join("\n")}` }]
    : [];
  if (due.length === 0) {
    const codes = notices.map((n) => n.kr.code).join(", ");
    return reply(`Reminders paused for everyone: ${codes}`, {
      visibility: "channel",
      blocks: [
        { kind: "heading", text: "Reminders paused" },
        { kind: "text", markdown: `Hi ${name}, nothing needs a check-in from you this week.` },
        ...pausedBlocks,
        {
          kind: "context",
          text: "`/kr status <kr>` shows who paused them; `/kr remind off` stops these reminders.",
        },
      ],
    });
  }
  const codes = due.map((kr) => kr.code).join(", ");
  const blocks: Block[] = [
    { kind: "heading", text: "Time for a check-in" },
    {
      kind: "text",
      markdown: `Hi ${name}, ${due.length === 1 ? "this key result has" : "these key results have"} no check-in this week:`,
    },
    ...due.map((kr) => statusLine(kr, plan, now, staleDays)),
    {
      kind: "actions",
      items: due.flatMap((kr) => [
        {
          id: encodeAction({ kind: "update", kr: kr.code }),
          label: `Update ${kr.code}`,
          style: "primary" as const,
        },
        { id: encodeAction({ kind: "snooze", kr: kr.code }), label: `Snooze ${kr.code} a week` },
      ]),
    },
    ...pausedBlocks,
    {
      kind: "context",
      text: 'Reply with `/kr update <kr> …`; "Snooze a week" pauses only your reminder; `/kr remind off` stops these reminders.',
    },
  ];
  return reply(`Time for a check-in: ${codes}`, { visibility: "channel", blocks });
}
