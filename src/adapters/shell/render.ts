import type { Block, KrStatus, Reply, Tone } from "../../core/reply.ts";

/** How wide a progress bar is drawn, in characters. */
export const BAR_WIDTH = 20;

/** Options for plain-text rendering; colour only when writing to a terminal. */
export interface TextRenderOptions {
  color: boolean;
}

const ANSI = {
  reset: "\x1b[0m",
  bold: "\x1b[1m",
  dim: "\x1b[2m",
  red: "\x1b[31m",
  green: "\x1b[32m",
  yellow: "\x1b[33m",
  cyan: "\x1b[36m",
};
const STATUS_COLOR: Record<KrStatus, string> = {
  on_track: ANSI.green,
  done: ANSI.cyan,
  at_risk: ANSI.yellow,
  off_track: ANSI.red,
  none: ANSI.dim,
};
const TONE_MARK: Record<Tone, string> = { info: "", success: "✓ ", warning: "! ", error: "✗ " };

/** "██████░░░░" for a ratio in [0, 1]. */
export function bar(ratio: number, width = BAR_WIDTH): string {
  const r = Number.isFinite(ratio) ? Math.min(1, Math.max(0, ratio)) : 0;
  const full = Math.round(r * width);
  return "█".repeat(full) + "░".repeat(width - full);
}

/** Strips the light markdown commands use (`code`, *bold*) for a plain terminal. */
function plain(markdown: string): string {
  return markdown.replace(/`([^`]*)`/g, "$1").replace(/\*([^*\n]+)\*/g, "$1");
}

/** Renders a reply as terminal text; pure, so tests compare exact strings. */
export function renderText(reply: Reply, opts: TextRenderOptions): string {
  const paint = (code: string, s: string) => (opts.color ? `${code}${s}${ANSI.reset}` : s);
  const lines: string[] = [];
  const renderBlock = (block: Block, index: number) => {
    switch (block.kind) {
      case "heading":
        if (index > 0) lines.push("");
        lines.push(paint(ANSI.bold, block.text));
        break;
      case "text":
        lines.push(...plain(block.markdown).split("\n"));
        break;
      case "fields": {
        const width = Math.min(28, Math.max(...block.items.map((i) => plain(i.label).length)));
        for (const item of block.items) {
          const label = plain(item.label);
          const value = plain(item.value);
          if (label.length > width) lines.push(`${label}`, `${" ".repeat(width + 2)}${value}`);
          else lines.push(`${label.padEnd(width)}  ${value}`);
        }
        break;
      }
      case "progress":
        lines.push(`${paint(STATUS_COLOR[block.status], bar(block.ratio))} ${block.label}`);
        if (block.note) lines.push(`${" ".repeat(BAR_WIDTH + 1)}${paint(ANSI.dim, block.note)}`);
        break;
      case "context":
        lines.push(paint(ANSI.dim, plain(block.text)));
        break;
      case "actions":
        // Buttons open platform forms; the shell has none, and typing the command is the way.
        break;
    }
  };
  reply.blocks.forEach(renderBlock);
  if (lines.length > 0 && TONE_MARK[reply.tone]) {
    const mark = TONE_MARK[reply.tone];
    lines[0] = paint(reply.tone === "error" ? ANSI.red : ANSI.green, mark) + lines[0];
  }
  return lines.join("\n");
}
