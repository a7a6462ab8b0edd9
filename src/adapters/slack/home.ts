import type { HomeView, KnownBlock } from "@slack/types";
import type { Reply } from "../../core/reply.ts";
import { renderSlack } from "./render.ts";

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
          action_id: "update:",
          value: "update:",
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
