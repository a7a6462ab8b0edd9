import {
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  type APIEmbedField,
  type APISelectMenuOption,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from "discord.js";
import type { Block, KrStatus, Reply, Tone } from "../../core/reply.ts";

/** Characters in a message's `content`. */
export const MAX_CONTENT = 2000;
/** Embeds in one message. */
export const MAX_EMBEDS = 10;
/** Characters in an embed title. */
export const MAX_EMBED_TITLE = 256;
/** Characters in an embed description. */
export const MAX_EMBED_DESCRIPTION = 4096;
/** Fields in one embed. */
export const MAX_EMBED_FIELDS = 25;
/** Characters in a field name. */
export const MAX_FIELD_NAME = 256;
/** Characters in a field value. */
export const MAX_FIELD_VALUE = 1024;
/** Characters in an embed footer's text. */
export const MAX_FOOTER = 2048;
/** Characters across all embeds of one message (title, description, fields, footer, author). */
export const MAX_EMBED_TOTAL = 6000;
/** Action rows in one message. */
export const MAX_ACTION_ROWS = 5;
/** Buttons in one action row. */
export const MAX_ROW_BUTTONS = 5;
/** Characters in a button label. */
export const MAX_BUTTON_LABEL = 80;
/** Characters in a component's custom_id. */
export const MAX_CUSTOM_ID = 100;
/** Options in one select menu. */
export const MAX_SELECT_OPTIONS = 25;
/** Characters in a select option's label. */
export const MAX_OPTION_LABEL = 100;
/** Characters in a select option's value. */
export const MAX_OPTION_VALUE = 100;
/** Characters in a select option's description. */
export const MAX_OPTION_DESCRIPTION = 100;
/** Cells in the text progress bar. */
export const PROGRESS_CELLS = 10;
/** Field values up to this long sit side by side (`inline`); longer ones take a full row. */
export const INLINE_FIELD_MAX = 40;
/** custom_id of the select menu that lists a message's progress-line actions. */
export const UPDATE_SELECT_ID = "krbot:update-select";

/** One Discord message: the first of a reply is the interaction reply, the rest are follow-ups. */
export interface DiscordMessage {
  content?: string;
  embeds: APIEmbed[];
  components: Row[];
  flags?: number;
}

const EMOJI: Record<KrStatus, string> = {
  on_track: "🟢",
  at_risk: "🟡",
  off_track: "🔴",
  done: "✅",
  none: "⚪",
};
const COLOR: Record<Tone, number> = { info: 0x5865f2, success: 0x57f287, warning: 0xfee75c, error: 0xed4245 };
const BUTTON_STYLE = { primary: ButtonStyle.Primary, danger: ButtonStyle.Danger } as const;
const ZWJ = "\u200D";
/** Slack-style `*bold*`: balanced, on one line, not touching another `*` or a word character. */
const SINGLE_BOLD = /(?<![*\w])\*(?![\s*])([^*\n]*?[^\s*])\*(?![*\w])/g;
/** Code blocks and spans, which keep their text as typed. */
const CODE = /(```[\s\S]*?```|`[^`\n]*`)/;

type Row = APIActionRowComponent<APIComponentInMessageActionRow>;
type Progress = Extract<Block, { kind: "progress" }>;
/** A progress line with an action, travelling with the embed the line landed in. */
type Pick = Progress & { action: { id: string; label: string } };
type EmbedItem = { kind: "embed"; embed: APIEmbed; picks: Pick[] };
type Item = EmbedItem | { kind: "button"; button: APIButtonComponentWithCustomId };
type Page = { embeds: APIEmbed[]; chars: number; buttons: APIButtonComponentWithCustomId[]; picks: Pick[] };

/**
 * Makes mentions inert for plain-text surfaces (labels, options). Messages are sent with
 * `allowedMentions: { parse: [] }`, which already stops every ping; this also stops the highlight and the
 * rendering: a zero-width joiner after the `@` of `@everyone`/`@here`, and after the `<` of `<@123>`,
 * `<@!123>`, `<@&123>` and `<#123>`, so they show as the text the user typed.
 */
export function defuseMentions(s: string): string {
  return s.replace(/@(?=(?:everyone|here)\b)/gi, `@${ZWJ}`).replace(/<(?=[@#])/g, `<${ZWJ}`);
}

/**
 * Escapes user-ish text for Discord markdown (see {@link defuseMentions}) and keeps the core's light
 * markdown: Slack-style `*bold*` becomes `**bold**` (Discord reads single asterisks as italics), while
 * `**`, `code` (left exactly as typed) and "> " quotes pass through.
 */
export function escapeDiscordText(s: string): string {
  return defuseMentions(s)
    .split(CODE)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(SINGLE_BOLD, "**$1**")))
    .join("");
}

/** True when only the invoker should see the reply (every message gets the Ephemeral flag). */
export function isEphemeral(reply: Reply): boolean {
  return reply.visibility === "ephemeral";
}

/** The characters Discord counts against {@link MAX_EMBED_TOTAL} (UTF-16 units, which over-count safely). */
export function embedCharacters(embed: APIEmbed): number {
  const fields = (embed.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0);
  const extras = (embed.footer?.text.length ?? 0) + (embed.author?.name.length ?? 0);
  return (embed.title?.length ?? 0) + (embed.description?.length ?? 0) + fields + extras;
}

/**
 * Renders a reply as Discord messages; pure, so tests compare exact JSON.
 *
 * Blocks fill embeds in order: a heading opens a titled embed; text, progress and context lines append to
 * its description; fields become embed fields. Discord draws fields below the description, so a line that
 * follows fields opens an untitled continuation embed (same colour) to keep the reply's order; so do a
 * description past 4,096 characters (split at line boundaries, a lone long line hard-split), a 26th field
 * and a 26th progress action. Embeds then pack into messages of ≤ 10 embeds, ≤ 6,000 embed characters,
 * ≤ 5 action rows and ≤ 25 progress actions; whatever does not fit starts a follow-up message.
 *
 * Components: `actions` items are buttons, five to a row. A message's progress actions become one button
 * when there is one, else one select menu ({@link UPDATE_SELECT_ID}, option value = action id; never more
 * than the first 25, which the packing above already guarantees). A repeated custom_id in one message
 * is dropped (Discord rejects duplicates; the same id means the same action).
 */
export function renderDiscord(reply: Reply): DiscordMessage[] {
  const summary = escapeDiscordText(reply.summary.trim()) || "krbot";
  const layout = new Layout(COLOR[reply.tone]);
  for (const block of reply.blocks) addBlock(layout, block);
  for (const item of layout.items) if (item.kind === "embed") settle(item.embed, summary);
  const pages = paginate(layout.items);
  const messages = (pages.length ? pages : [emptyPage()]).map((p) => message(p, isEphemeral(reply)));
  const [head] = messages;
  if (head && !pages.some((p) => p.embeds.length > 0)) head.content = truncate(summary, MAX_CONTENT);
  return messages;
}

function addBlock(layout: Layout, block: Block): void {
  switch (block.kind) {
    case "heading": {
      const title = truncate(escapeDiscordText(block.text.trim()), MAX_EMBED_TITLE);
      if (title) layout.open(title);
      return;
    }
    case "text": {
      const text = escapeDiscordText(block.markdown.trim());
      if (text) layout.text(text, true);
      return;
    }
    case "fields":
      for (const item of block.items) layout.field(field(item.label, item.value));
      return;
    case "progress": {
      const pick = block.action ? { ...block, action: block.action } : undefined;
      layout.text(truncate(progressText(block), MAX_EMBED_DESCRIPTION), false, pick);
      return;
    }
    case "context": {
      const text = escapeDiscordText(block.text.trim());
      if (text) layout.text(subtext(text), false);
      return;
    }
    case "actions":
      for (const item of block.items) layout.button(button(item.id, item.label, item.style));
      return;
  }
}

/** Lays blocks out into embeds (each within the per-embed limits) and buttons, in reply order. */
class Layout {
  readonly items: Item[] = [];
  private current: EmbedItem | undefined;
  private lastPara = false;

  constructor(private readonly color: number) {}

  open(title?: string): EmbedItem {
    this.current = { kind: "embed", embed: { color: this.color, ...(title ? { title } : {}) }, picks: [] };
    this.items.push(this.current);
    return this.current;
  }

  /** Appends a paragraph or line; a piece too long for any embed is spread line by line. */
  text(piece: string, para: boolean, pick?: Pick): void {
    const c = this.current;
    let item = c && !c.embed.fields && !(pick && c.picks.length >= MAX_SELECT_OPTIONS) ? c : this.open();
    let sep = para || this.lastPara ? "\n\n" : "\n";
    const parts = piece.length <= MAX_EMBED_DESCRIPTION ? [piece] : piece.split("\n").flatMap(hardSplit);
    for (const part of parts) {
      const d = item.embed.description ?? "";
      const joined = d ? d + sep + part : part;
      const fits = joined.length <= MAX_EMBED_DESCRIPTION;
      if (!fits) item = this.open();
      item.embed.description = fits ? joined : part;
      sep = "\n";
    }
    if (pick) item.picks.push(pick);
    this.lastPara = para;
  }

  field(f: APIEmbedField): void {
    const c = this.current;
    const room = (e: APIEmbed) =>
      (e.fields?.length ?? 0) < MAX_EMBED_FIELDS &&
      embedCharacters(e) + f.name.length + f.value.length <= MAX_EMBED_TOTAL;
    const item = c && room(c.embed) ? c : this.open();
    item.embed.fields = [...(item.embed.fields ?? []), f];
  }

  button(b: APIButtonComponentWithCustomId): void {
    this.items.push({ kind: "button", button: b });
  }
}

/** Drops an empty description; an embed with nothing to show gets the summary instead. */
function settle(embed: APIEmbed, summary: string): void {
  if (!embed.description?.trim()) delete embed.description;
  if (!embed.title && !embed.description && !embed.fields?.length) {
    embed.description = truncate(summary, MAX_EMBED_DESCRIPTION);
  }
}

function emptyPage(): Page {
  return { embeds: [], chars: 0, buttons: [], picks: [] };
}

/** Packs items into messages greedily, in order; an item that does not fit starts the next message. */
function paginate(items: Item[]): Page[] {
  const pages: Page[] = [];
  let page: Page | undefined;
  for (const item of items) {
    if (item.kind === "button" && page?.buttons.some((b) => b.custom_id === item.button.custom_id)) continue;
    if (!page || !fits(page, item)) {
      page = emptyPage();
      pages.push(page);
    }
    if (item.kind === "button") page.buttons.push(item.button);
    else {
      page.embeds.push(item.embed);
      page.chars += embedCharacters(item.embed);
      page.picks.push(...item.picks);
    }
  }
  return pages;
}

function fits(page: Page, item: Item): boolean {
  if (item.kind === "button") return rowCount(page.buttons.length + 1, page.picks.length) <= MAX_ACTION_ROWS;
  const picks = page.picks.length + item.picks.length;
  return (
    page.embeds.length < MAX_EMBEDS &&
    page.chars + embedCharacters(item.embed) <= MAX_EMBED_TOTAL &&
    picks <= MAX_SELECT_OPTIONS &&
    rowCount(page.buttons.length, picks) <= MAX_ACTION_ROWS
  );
}

function rowCount(buttons: number, picks: number): number {
  return Math.ceil(buttons / MAX_ROW_BUTTONS) + (picks > 0 ? 1 : 0);
}

function message(page: Page, ephemeral: boolean): DiscordMessage {
  const components = chunk(page.buttons, MAX_ROW_BUTTONS).map(row);
  const ids = new Set(page.buttons.map((b) => b.custom_id));
  const picks = page.picks.filter((p) => !ids.has(idOf(p)) && ids.add(idOf(p))).slice(0, MAX_SELECT_OPTIONS);
  const [only] = picks;
  if (picks.length === 1 && only)
    components.push(row([button(only.action.id, only.action.label, "primary")]));
  if (picks.length > 1) {
    const options = picks.map(option);
    components.push(
      row([
        {
          type: ComponentType.StringSelect,
          custom_id: UPDATE_SELECT_ID,
          placeholder: "Check in on…",
          options,
        },
      ]),
    );
  }
  return { embeds: page.embeds, components, ...(ephemeral ? { flags: MessageFlags.Ephemeral } : {}) };
}

const idOf = (p: Pick) => cut(p.action.id, MAX_CUSTOM_ID);

function row(components: APIComponentInMessageActionRow[]): Row {
  return { type: ComponentType.ActionRow, components };
}

function button(id: string, label: string, style?: "primary" | "danger"): APIButtonComponentWithCustomId {
  return {
    type: ComponentType.Button,
    custom_id: cut(id, MAX_CUSTOM_ID),
    label: truncate(defuseMentions(label.trim() || id), MAX_BUTTON_LABEL),
    style: style ? BUTTON_STYLE[style] : ButtonStyle.Secondary,
  };
}

/** A select option: the line's label (the action's own label is usually just "Update"), note beneath. */
function option(p: Pick): APISelectMenuOption {
  const label = truncate(
    defuseMentions(p.label.trim() || p.action.label.trim() || idOf(p)),
    MAX_OPTION_LABEL,
  );
  const note = defuseMentions(p.note?.replace(/\s+/g, " ").trim() ?? "");
  return { label, value: idOf(p), ...(note ? { description: truncate(note, MAX_OPTION_DESCRIPTION) } : {}) };
}

/** `name` / `value` within limits; Discord rejects empty ones, so stand-ins fill them. */
function field(label: string, value: string): APIEmbedField {
  const v = truncate(escapeDiscordText(value.trim()), MAX_FIELD_VALUE) || "—";
  const name = truncate(escapeDiscordText(label.trim()), MAX_FIELD_NAME) || "\u200B";
  return { name, value: v, inline: v.length <= INLINE_FIELD_MAX };
}

/**
 * "🟢 ▰▰▰▰▰▰▱▱▱▱ 63% **label**", the note beneath as `-# ` subtext. The bar clamps the ratio to [0, 1]
 * (NaN draws empty); the percentage shows the true ratio ("170%") or "—" when it is not a number.
 */
function progressText(block: Progress): string {
  const finite = Number.isFinite(block.ratio);
  const full = Math.round((finite ? Math.min(1, Math.max(0, block.ratio)) : 0) * PROGRESS_CELLS);
  const bar = "▰".repeat(full) + "▱".repeat(PROGRESS_CELLS - full);
  const pct = finite ? `${Math.round(block.ratio * 100)}%` : "—";
  const label = escapeDiscordText(block.label.trim());
  const note = escapeDiscordText(block.note?.trim() ?? "");
  return `${EMOJI[block.status]} ${bar} ${pct}${label ? ` **${label}**` : ""}${note ? `\n${subtext(note)}` : ""}`;
}

/** Prefixes every non-blank line with `-# ` (Discord's small grey subtext). */
function subtext(text: string): string {
  return text
    .split("\n")
    .map((line) => (line.trim() ? `-# ${line}` : line))
    .join("\n");
}

function chunk<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function hardSplit(line: string): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > MAX_EMBED_DESCRIPTION) {
    const piece = cut(rest, MAX_EMBED_DESCRIPTION);
    pieces.push(piece);
    rest = rest.slice(piece.length);
  }
  return [...pieces, rest];
}

/** Cuts to ≤ max characters with "…". */
function truncate(s: string, max: number): string {
  return s.length <= max ? s : `${cut(s, max - 1)}…`;
}

/** The first ≤ max characters, never ending inside a surrogate pair. */
function cut(s: string, max: number): string {
  if (s.length <= max) return s;
  const code = s.charCodeAt(max - 1);
  return s.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
