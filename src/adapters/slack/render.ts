import type { Button, ContextBlock, HeaderBlock, KnownBlock, SectionBlock } from "@slack/types";
import type { Block, KrStatus, Reply, Tone } from "../../core/reply.ts";

/** Blocks allowed in one message (chat.postMessage, response_url, ack body). */
export const MAX_BLOCKS = 50;
/** Characters in a section's `text` (also used for a context element's text). */
export const MAX_SECTION_TEXT = 3000;
/** Fields in one section. */
export const MAX_FIELDS = 10;
/** Characters in one section field. */
export const MAX_FIELD_TEXT = 2000;
/** Characters in a header's plain text. */
export const MAX_HEADER_TEXT = 150;
/** Elements in one context block. */
export const MAX_CONTEXT_ELEMENTS = 10;
/** Characters in a button's label. */
export const MAX_BUTTON_TEXT = 75;
/** Characters kept in the top-level fallback `text` (notifications stay short; Slack allows more). */
export const MAX_FALLBACK_TEXT = 3000;
/** Elements (buttons) in one actions block. */
export const MAX_ACTION_ELEMENTS = 25;
/** Cells in the text progress bar. */
export const PROGRESS_CELLS = 10;

/** One Slack message: `text` is the notification / screen-reader fallback and is never empty. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

const STATUS_EMOJI: Record<KrStatus, string> = {
  on_track: ":large_green_circle:",
  at_risk: ":large_yellow_circle:",
  off_track: ":red_circle:",
  done: ":white_check_mark:",
  none: ":white_circle:",
};
const TONE_MARK: Record<Tone, string> = {
  info: "",
  success: ":white_check_mark: ",
  warning: ":warning: ",
  error: ":warning: ",
};
const CONTINUED = "(continued)";

/**
 * Escapes text for Slack: `&`, `<`, `>` become entities, so `<!channel>`, `<@U123>` or `<https://x|y>`
 * written by a user shows literally instead of pinging or linking. The core never emits Slack link or
 * mention syntax, so every piece of Reply text goes through here. Bare `@channel`/`@here`/`@everyone`
 * only notify when a message is posted with `link_names`, which krbot never sets; a zero-width joiner
 * after the `@` keeps them inert even if someone turns that on later. The core's light markdown survives:
 * `code`, *bold* and newlines are untouched, and Slack still renders a line starting `&gt; ` as a quote.
 */
export function escapeSlackText(s: string): string {
  return s
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/@(?=(?:channel|here|everyone)\b)/gi, "@\u200D");
}

/** "ephemeral" for replies only the invoker should see, "in_channel" for the rest. */
export function responseTypeFor(reply: Reply): "ephemeral" | "in_channel" {
  return reply.visibility === "channel" ? "in_channel" : "ephemeral";
}

/**
 * Renders a reply as Block Kit messages; pure, so tests compare exact JSON.
 *
 * Usually one message. Past {@link MAX_BLOCKS} blocks the reply is split at block boundaries, preferring
 * to break just before a header in the back half of a message so a heading stays with its lines. Every
 * message carries the fallback `text`; continuation messages start with a "(continued)" context block
 * and their `text` ends with " (continued)". Empty text, heading, context and actions blocks are dropped
 * (Slack rejects empty text); a reply that renders to nothing becomes one section with the summary.
 */
export function renderSlack(reply: Reply): SlackMessage[] {
  const actionIds = new Map<string, number>();
  const blocks = withToneMark(reply.blocks, reply.tone).flatMap((b) => renderBlock(b, actionIds));
  const summary = escapeSlackText(reply.summary.trim()) || "krbot";
  if (blocks.length === 0) blocks.push(section(truncate(summary, MAX_SECTION_TEXT)));
  return paginate(blocks).map((page, i) =>
    i === 0
      ? { text: truncate(summary, MAX_FALLBACK_TEXT), blocks: page }
      : {
          text: `${truncate(summary, MAX_FALLBACK_TEXT - CONTINUED.length - 1)} ${CONTINUED}`,
          blocks: [context(`_${CONTINUED}_`), ...page],
        },
  );
}

/**
 * Prefixes the tone's emoji to the first block when it is a heading, text or context; a progress line
 * already has a status emoji and fields or buttons have no one text. Error and warning share `:warning:`.
 */
function withToneMark(blocks: Block[], tone: Tone): Block[] {
  const mark = TONE_MARK[tone];
  const [first, ...rest] = blocks;
  if (!mark || !first) return blocks;
  switch (first.kind) {
    case "heading":
    case "context":
      return [{ ...first, text: mark + first.text }, ...rest];
    case "text":
      return [{ ...first, markdown: mark + first.markdown }, ...rest];
    default:
      return blocks;
  }
}

function renderBlock(block: Block, actionIds: Map<string, number>): KnownBlock[] {
  switch (block.kind) {
    case "heading": {
      const text = truncate(escapeSlackText(block.text.trim()), MAX_HEADER_TEXT);
      const header: HeaderBlock = { type: "header", text: { type: "plain_text", text, emoji: true } };
      return text ? [header] : [];
    }
    case "text":
      return splitLines(escapeSlackText(block.markdown), MAX_SECTION_TEXT).map(section);
    case "fields":
      return chunk(block.items, MAX_FIELDS).map(
        (items): SectionBlock => ({
          type: "section",
          fields: items.map((item) => ({ type: "mrkdwn", text: fieldText(item.label, item.value) })),
        }),
      );
    case "progress": {
      const line = section(progressText(block));
      return [block.action ? { ...line, accessory: button({ ...block.action }, actionIds) } : line];
    }
    case "context": {
      const text = truncate(escapeSlackText(block.text.trim()), MAX_SECTION_TEXT);
      return text ? [context(text)] : [];
    }
    case "actions":
      return chunk(block.items, MAX_ACTION_ELEMENTS).map((items) => ({
        type: "actions",
        elements: items.map((item) => button(item, actionIds)),
      }));
  }
}

function section(text: string): SectionBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

function context(text: string): ContextBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}

/** "*label*\nvalue", or just the value when the label is empty; "—" stands in for an empty value. */
function fieldText(label: string, value: string): string {
  const v = escapeSlackText(value) || "—";
  const text = label.trim() ? `*${escapeSlackText(label.trim())}*\n${v}` : v;
  return truncate(text, MAX_FIELD_TEXT);
}

/**
 * ":large_green_circle: ▰▰▰▰▰▰▱▱▱▱ 63% *label*" with the note on the next line. The bar comes first,
 * as in the shell renderer, so bars line up down an overview. The bar clamps the ratio to [0, 1] (NaN
 * draws empty); the percentage shows the true ratio ("170%") or "—" when it is not a number.
 */
function progressText(block: Extract<Block, { kind: "progress" }>): string {
  const finite = Number.isFinite(block.ratio);
  const full = Math.round((finite ? Math.min(1, Math.max(0, block.ratio)) : 0) * PROGRESS_CELLS);
  const bar = "▰".repeat(full) + "▱".repeat(PROGRESS_CELLS - full);
  const pct = finite ? `${Math.round(block.ratio * 100)}%` : "—";
  const line = `${STATUS_EMOJI[block.status]} ${bar} ${pct} *${escapeSlackText(block.label.trim())}*`;
  const note = block.note?.trim() ? `\n${escapeSlackText(block.note.trim())}` : "";
  return truncate(line + note, MAX_SECTION_TEXT);
}

/**
 * A button whose `value` is the item id. `action_id` must be unique within a message, so a repeated id
 * gets a ":2", ":3"… suffix; handlers should therefore read `value`, which is always the plain id.
 */
function button(
  item: { id: string; label: string; style?: "primary" | "danger" },
  seen: Map<string, number>,
) {
  const n = (seen.get(item.id) ?? 0) + 1;
  seen.set(item.id, n);
  const label = truncate(escapeSlackText(item.label.trim() || item.id), MAX_BUTTON_TEXT);
  const out: Button = {
    type: "button",
    action_id: n === 1 ? item.id : `${item.id}:${n}`,
    text: { type: "plain_text", text: label, emoji: true },
    value: item.id,
  };
  if (item.style) out.style = item.style;
  return out;
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Splits blocks into pages of ≤ MAX_BLOCKS, leaving room for the "(continued)" context after page one. */
function paginate(blocks: KnownBlock[]): KnownBlock[][] {
  const pages: KnownBlock[][] = [];
  let start = 0;
  while (start < blocks.length) {
    const room = pages.length === 0 ? MAX_BLOCKS : MAX_BLOCKS - 1;
    let end = Math.min(start + room, blocks.length);
    if (end < blocks.length) end = breakPoint(blocks, start, end);
    pages.push(blocks.slice(start, end));
    start = end;
  }
  return pages;
}

/** Ends a full page just before the last header in its back half (if any), else fills the page. */
function breakPoint(blocks: KnownBlock[], start: number, end: number): number {
  for (let i = end; i > start + (end - start) / 2; i--) if (blocks[i]?.type === "header") return i;
  return end;
}

/** Packs lines into chunks of ≤ max, breaking at newlines (dropped); longer lines are hard-split. */
function splitLines(text: string, max: number): string[] {
  const chunks: string[] = [];
  let current: string | null = null;
  for (const line of text.split("\n")) {
    const [first = "", ...more] = hardSplit(line, max);
    if (current !== null && current.length + 1 + first.length <= max) current += `\n${first}`;
    else {
      if (current !== null) chunks.push(current);
      current = first;
    }
    // Pieces of one hard-split line never rejoin with "\n", which would add a line break mid-line.
    for (const piece of more) {
      chunks.push(current);
      current = piece;
    }
  }
  if (current !== null) chunks.push(current);
  return chunks.filter((c) => c.trim() !== ""); // Slack rejects blank section text
}

function hardSplit(line: string, max: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > max) {
    const cut = cutPoint(rest, max) || max;
    pieces.push(rest.slice(0, cut));
    rest = rest.slice(cut);
  }
  pieces.push(rest);
  return pieces;
}

/** Cuts escaped text to ≤ max characters with "…", never inside an entity or a surrogate pair. */
function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, cutPoint(s, max - 1))}…`;
}

/** The largest index ≤ max splitting no entity (escaped text: every `&` starts one) or surrogate pair. */
function cutPoint(s: string, max: number): number {
  let end = max;
  const amp = s.lastIndexOf("&", end - 1);
  if (amp >= 0 && amp > end - 5) {
    const semi = s.indexOf(";", amp);
    if (semi === -1 || semi >= end) end = amp;
  }
  const code = s.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return end;
}
