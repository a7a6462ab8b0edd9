import type { HomeView, KnownBlock } from "@slack/types";
import { encodeAction } from "../../core/actions.ts";
import type { Reply } from "../../core/reply.ts";
import { escapeSlackText, renderSlack } from "./render.ts";

/** The Home tab's "Check in" button: the check-in form with no KR chosen yet. */
const CHECK_IN_ACTION = encodeAction({ kind: "update", kr: "" });

/** Slack allows 100 blocks in a Home tab; keep room for the header and footer. */
const MAX_HOME_STATUS_BLOCKS = 90;

/**
 * The App Home tab: the viewer's own key results (rendered from the same `status mine` reply the
 * slash command gives, with its Update buttons), then the workspace's digest schedule. Pure.
 */
export function homeView(mine: Reply, digestSchedule: string): HomeView {
  const statusBlocks = renderSlack(mine).flatMap((m) => m.blocks);
  const shown = statusBlocks.slice(0, MAX_HOME_STATUS_BLOCKS);
  const blocks: KnownBlock[] = [
    ...shown,
    ...(statusBlocks.length > shown.length
      ? [
          {
            type: "context" as const,
            elements: [{ type: "mrkdwn" as const, text: "More in `/kr status mine`." }],
          },
        ]
      : []),
    {
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: CHECK_IN_ACTION,
          value: CHECK_IN_ACTION,
          style: "primary",
          text: { type: "plain_text", text: "Check in", emoji: true },
        },
      ],
    },
    { type: "divider" },
    { type: "header", text: { type: "plain_text", text: "Digests", emoji: true } },
    { type: "section", text: { type: "mrkdwn", text: digestSchedule } },
  ];
  return { type: "home", blocks };
}

/**
 * The Home tab's digest section from the `/kr digest list` reply: one line per digest with its
 * channel linked (`<#C…>`), else the reply's own words ("No channel has a digest yet."). Pure.
 */
export function digestsText(list: Reply): string {
  const lines = list.blocks.flatMap((b) => {
    if (b.kind === "fields") {
      return b.items.map((i) => {
        const channel = /^[A-Z0-9]+$/.test(i.label) ? `<#${i.label}>` : escapeSlackText(i.label);
        return `• ${channel} — ${escapeSlackText(i.value)}`;
      });
    }
    if (b.kind === "text") return [escapeSlackText(b.markdown)];
    if (b.kind === "context") return [`_${escapeSlackText(b.text)}_`];
    return [];
  });
  // A section holds 3,000 characters; the rest stays in `/kr digest list`.
  const shown: string[] = [];
  let size = 0;
  for (const line of lines) {
    if (size + line.length > 2800) {
      shown.push(`…and ${lines.length - shown.length} more in \`/kr digest list\`.`);
      break;
    }
    shown.push(line);
    size += line.length + 1;
  }
  return shown.join("\n") || escapeSlackText(list.summary);
}
