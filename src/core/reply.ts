import type { ChartRequest, ReplyFile } from "../domain/chart-request.ts";
import type { KrStatus } from "../domain/kr-status.ts";

export type { ChartRequest, KrStatus, ReplyFile };

/** The mood of a reply, which renderers turn into colour or an emoji. */
export type Tone = "info" | "success" | "warning" | "error";

/** A platform-neutral piece of a reply; each adapter renders these natively. */
export type Block =
  | { kind: "heading"; text: string }
  | { kind: "text"; markdown: string }
  | { kind: "fields"; items: { label: string; value: string }[] }
  | {
      kind: "progress";
      label: string;
      ratio: number;
      status: KrStatus;
      note?: string;
      /** A button beside the line where the platform has buttons (e.g. "Update" → the check-in form). */
      action?: { id: string; label: string };
    }
  | { kind: "context"; text: string }
  | { kind: "actions"; items: { id: string; label: string; style?: "primary" | "danger" }[] };

/** What a command answers; adapters render it, never the command. */
export interface Reply {
  /** Plain-text fallback (notifications, screen readers, logs). */
  summary: string;
  visibility: "ephemeral" | "channel";
  tone: Tone;
  blocks: Block[];
  /** Files to attach: uploaded on Slack, attached on Discord, written to ./data in the shell. */
  files?: ReplyFile[];
  /**
   * Charts to render and attach once the reply itself is out (adapters) or when a queued
   * message is sent (digests): rendering takes tens of milliseconds, which must not delay the
   * answer, and the outbox should hold no image bytes.
   */
  chartRequests?: ChartRequest[];
}

/** Builds a reply; `summary` doubles as the first text block when no blocks are given. */
export function reply(
  summary: string,
  opts: { tone?: Tone; visibility?: Reply["visibility"]; blocks?: Block[] } = {},
): Reply {
  return {
    summary,
    tone: opts.tone ?? "info",
    visibility: opts.visibility ?? "ephemeral",
    blocks: opts.blocks ?? [{ kind: "text", markdown: summary }],
  };
}
