import { statusLine } from "../commands/shared/format.ts";
import { type Block, type Reply, reply } from "../core/reply.ts";
import type { KrView, PlanInfo } from "../store/store.ts";

/** The reminder DM: only the owner's due KRs, each with "Update" and "Snooze a week". Pure. */
export function reminderMessage(
  name: string,
  due: KrView[],
  plan: PlanInfo,
  now: Date,
  staleDays: number,
): Reply {
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
        { id: `update:${kr.code}`, label: `Update ${kr.code}`, style: "primary" as const },
        { id: `snooze:${kr.code}`, label: `Snooze ${kr.code} a week` },
      ]),
    },
    { kind: "context", text: "Reply with `/kr update <kr> …`, or `/kr remind off` to stop these reminders." },
  ];
  return reply(`Time for a check-in: ${codes}`, { visibility: "channel", blocks });
}
