import type { KnownBlock } from "@slack/types";
import { describe, expect, it } from "vitest";
import {
  escapeSlackText,
  MAX_BLOCKS,
  MAX_BUTTON_TEXT,
  MAX_CONTEXT_ELEMENTS,
  MAX_FIELD_TEXT,
  MAX_FIELDS,
  MAX_HEADER_TEXT,
  MAX_SECTION_TEXT,
  renderSlack,
  responseTypeFor,
  type SlackMessage,
} from "../../../src/adapters/slack/render.ts";
import type { Block, Reply } from "../../../src/core/reply.ts";

/** Block Kit's structural rules, checked on every message the tests render. */
function expectValidBlockKit(msg: SlackMessage): void {
  expect(msg.text.trim()).not.toBe("");
  expect(msg.blocks.length).toBeGreaterThan(0);
  expect(msg.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS);
  const actionIds: string[] = [];
  for (const block of msg.blocks) {
    switch (block.type) {
      case "header":
        expect(block.text.type).toBe("plain_text");
        expect(block.text.text.length).toBeGreaterThan(0);
        expect(block.text.text.length).toBeLessThanOrEqual(MAX_HEADER_TEXT);
        break;
      case "section":
        expect(block.text ?? block.fields).toBeDefined();
        if (block.text) {
          expect(block.text.text.trim()).not.toBe("");
          expect(block.text.text.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
        }
        if (block.fields) {
          expect(block.fields.length).toBeGreaterThan(0);
          expect(block.fields.length).toBeLessThanOrEqual(MAX_FIELDS);
          for (const f of block.fields) expect(f.text.length).toBeLessThanOrEqual(MAX_FIELD_TEXT);
        }
        break;
      case "context":
        expect(block.elements.length).toBeGreaterThan(0);
        expect(block.elements.length).toBeLessThanOrEqual(MAX_CONTEXT_ELEMENTS);
        break;
      case "actions":
        expect(block.elements.length).toBeGreaterThan(0);
        expect(block.elements.length).toBeLessThanOrEqual(25);
        for (const el of block.elements) {
          if (el.type !== "button") throw new Error(`unexpected element ${el.type}`);
          expect(el.text.text.length).toBeGreaterThan(0);
          expect(el.text.text.length).toBeLessThanOrEqual(MAX_BUTTON_TEXT);
          actionIds.push(el.action_id ?? "");
        }
        break;
      default:
        throw new Error(`unexpected block ${block.type}`);
    }
  }
  expect(new Set(actionIds).size).toBe(actionIds.length);
}

/** renderSlack, with every message checked against Block Kit's rules. */
function render(reply: Reply): SlackMessage[] {
  const out = renderSlack(reply);
  expect(out.length).toBeGreaterThan(0);
  for (const msg of out) expectValidBlockKit(msg);
  return out;
}

const make = (blocks: Block[], over: Partial<Reply> = {}): Reply => ({
  summary: "summary",
  visibility: "ephemeral",
  tone: "info",
  blocks,
  ...over,
});

const sectionTexts = (out: SlackMessage[]): string[] =>
  out.flatMap((m) => m.blocks).flatMap((b) => (b.type === "section" && b.text ? [b.text.text] : []));

const progress = (label: string, ratio: number, status: "on_track" | "at_risk" = "on_track"): Block => ({
  kind: "progress",
  label,
  ratio,
  status,
});

describe("slack renderer: representative replies", () => {
  it("renders help as a header, one section of seven fields and a context hint", () => {
    const commands = [
      ["/kr help [command]", "Show every command, or one command's usage and examples."],
      ["/kr status [mine | <kr> | @user]", "Show where key results stand."],
      ["/kr update <kr> [<0-100>%] [note …]", "Check in on a key result."],
      ["/kr owner <kr> add @user", "Add or remove owners."],
      ["/kr remind <when>", "Set check-in reminders."],
      ["/kr digest [on|off]", "Post a weekly digest & summary."],
      ["/kr plan", "Show the current plan."],
    ] as const;
    const out = render(
      make(
        [
          { kind: "heading", text: "krbot: track your key results where you talk" },
          { kind: "fields", items: commands.map(([label, value]) => ({ label, value })) },
          { kind: "context", text: "Type `/kr help <command>` for examples, e.g. `/kr help update`." },
        ],
        { summary: "krbot commands" },
      ),
    );
    expect(out).toEqual([
      {
        text: "krbot commands",
        blocks: [
          {
            type: "header",
            text: { type: "plain_text", text: "krbot: track your key results where you talk", emoji: true },
          },
          {
            type: "section",
            fields: [
              {
                type: "mrkdwn",
                text: "*/kr help [command]*\nShow every command, or one command's usage and examples.",
              },
              {
                type: "mrkdwn",
                text: "*/kr status [mine | &lt;kr&gt; | @user]*\nShow where key results stand.",
              },
              {
                type: "mrkdwn",
                text: "*/kr update &lt;kr&gt; [&lt;0-100&gt;%] [note …]*\nCheck in on a key result.",
              },
              { type: "mrkdwn", text: "*/kr owner &lt;kr&gt; add @user*\nAdd or remove owners." },
              { type: "mrkdwn", text: "*/kr remind &lt;when&gt;*\nSet check-in reminders." },
              { type: "mrkdwn", text: "*/kr digest [on|off]*\nPost a weekly digest &amp; summary." },
              { type: "mrkdwn", text: "*/kr plan*\nShow the current plan." },
            ],
          },
          {
            type: "context",
            elements: [
              {
                type: "mrkdwn",
                text: "Type `/kr help &lt;command&gt;` for examples, e.g. `/kr help update`.",
              },
            ],
          },
        ],
      },
    ]);
  });

  it("renders a KR's detail with text, fields, metric progress lines and the latest note", () => {
    const out = render(
      make(
        [
          { kind: "heading", text: "IV.KR2 Reading Wikipedia in the Classroom" },
          { kind: "text", markdown: "Certify *40* trainers & reach 10,000 teachers" },
          {
            kind: "fields",
            items: [
              { label: "Status", value: "on track" },
              { label: "Progress", value: "46% (from metrics)" },
              { label: "Pace", value: "12 pts behind (expected 58%)" },
              { label: "Last check-in", value: "3 days ago" },
              { label: "Owners", value: "Ana, Bo" },
              { label: "Teams", value: "" },
            ],
          },
          {
            kind: "progress",
            label: "Certified RWC trainers (trainers)",
            ratio: 0.625,
            status: "on_track",
            note: "25 / 40 trainers",
          },
          {
            kind: "progress",
            label: "Teachers reached (teachers_reached)",
            ratio: 0.3,
            status: "on_track",
            note: "3,000 / 10,000 teachers",
          },
          { kind: "context", text: "Latest note: Cohort 3 certified > cohort 2" },
        ],
        { summary: "IV.KR2 Reading Wikipedia in the Classroom: on track, 46%" },
      ),
    );
    expect(out).toEqual([
      {
        text: "IV.KR2 Reading Wikipedia in the Classroom: on track, 46%",
        blocks: [
          {
            type: "header",
            text: { type: "plain_text", text: "IV.KR2 Reading Wikipedia in the Classroom", emoji: true },
          },
          {
            type: "section",
            text: { type: "mrkdwn", text: "Certify *40* trainers &amp; reach 10,000 teachers" },
          },
          {
            type: "section",
            fields: [
              { type: "mrkdwn", text: "*Status*\non track" },
              { type: "mrkdwn", text: "*Progress*\n46% (from metrics)" },
              { type: "mrkdwn", text: "*Pace*\n12 pts behind (expected 58%)" },
              { type: "mrkdwn", text: "*Last check-in*\n3 days ago" },
              { type: "mrkdwn", text: "*Owners*\nAna, Bo" },
              { type: "mrkdwn", text: "*Teams*\n—" },
            ],
          },
          {
            type: "section",
            text: {
              type: "mrkdwn",
              text: ":large_green_circle: ▰▰▰▰▰▰▱▱▱▱ 63% *Certified RWC trainers (trainers)*\n25 / 40 trainers",
            },
          },
          {
            type: "section",
            text: {
              type: "mrkdwn",
              text: ":large_green_circle: ▰▰▰▱▱▱▱▱▱▱ 30% *Teachers reached (teachers_reached)*\n3,000 / 10,000 teachers",
            },
          },
          {
            type: "context",
            elements: [{ type: "mrkdwn", text: "Latest note: Cohort 3 certified &gt; cohort 2" }],
          },
        ],
      },
    ]);
  });

  it("marks an error reply's message with a warning and keeps its hints as context", () => {
    const out = render(
      make(
        [
          { kind: "text", markdown: "IV.KR2 has no metric `trainer`. Did you mean `trainers`?" },
          { kind: "context", text: "Its metrics are `trainers` (Certified RWC trainers)." },
          { kind: "context", text: "Report the running total (0 or more), e.g. `trainers=25`." },
        ],
        { summary: "IV.KR2 has no metric `trainer`. Did you mean `trainers`?", tone: "error" },
      ),
    );
    expect(out).toEqual([
      {
        text: "IV.KR2 has no metric `trainer`. Did you mean `trainers`?",
        blocks: [
          {
            type: "section",
            text: {
              type: "mrkdwn",
              text: ":warning: IV.KR2 has no metric `trainer`. Did you mean `trainers`?",
            },
          },
          {
            type: "context",
            elements: [{ type: "mrkdwn", text: "Its metrics are `trainers` (Certified RWC trainers)." }],
          },
          {
            type: "context",
            elements: [{ type: "mrkdwn", text: "Report the running total (0 or more), e.g. `trainers=25`." }],
          },
        ],
      },
    ]);
  });

  it("marks an update's heading with a check and renders the note as a section", () => {
    const reply = make(
      [
        { kind: "heading", text: "IV.KR2 Reading Wikipedia in the Classroom" },
        {
          kind: "fields",
          items: [
            { label: "Status", value: "at risk (was on track)" },
            { label: "Checked in by", value: "Ana" },
          ],
        },
        {
          kind: "progress",
          label: "Certified RWC trainers (trainers)",
          ratio: 0.625,
          status: "at_risk",
          note: "25 / 40 trainers (was 20)",
        },
        { kind: "text", markdown: "Cohort 3 certified\n> venue moved to <Room 4>" },
      ],
      { summary: "Ana checked in IV.KR2: at risk, 63%", tone: "success", visibility: "channel" },
    );
    expect(render(reply)).toEqual([
      {
        text: "Ana checked in IV.KR2: at risk, 63%",
        blocks: [
          {
            type: "header",
            text: {
              type: "plain_text",
              text: ":white_check_mark: IV.KR2 Reading Wikipedia in the Classroom",
              emoji: true,
            },
          },
          {
            type: "section",
            fields: [
              { type: "mrkdwn", text: "*Status*\nat risk (was on track)" },
              { type: "mrkdwn", text: "*Checked in by*\nAna" },
            ],
          },
          {
            type: "section",
            text: {
              type: "mrkdwn",
              text: ":large_yellow_circle: ▰▰▰▰▰▰▱▱▱▱ 63% *Certified RWC trainers (trainers)*\n25 / 40 trainers (was 20)",
            },
          },
          {
            type: "section",
            text: { type: "mrkdwn", text: "Cohort 3 certified\n&gt; venue moved to &lt;Room 4&gt;" },
          },
        ],
      },
    ]);
    expect(responseTypeFor(reply)).toBe("in_channel");
    expect(responseTypeFor({ ...reply, visibility: "ephemeral" })).toBe("ephemeral");
  });

  it("does not mark a success reply that starts with a progress line", () => {
    const out = render(make([progress("KR", 1)], { tone: "success" }));
    expect(sectionTexts(out)).toEqual([":large_green_circle: ▰▰▰▰▰▰▰▰▰▰ 100% *KR*"]);
  });

  it("renders buttons with the id as action_id and value, and style only when given", () => {
    const out = render(
      make([
        {
          kind: "actions",
          items: [
            { id: "checkin", label: "Check in", style: "primary" },
            { id: "snooze", label: "Snooze" },
          ],
        },
      ]),
    );
    expect(out[0]?.blocks).toEqual([
      {
        type: "actions",
        elements: [
          {
            type: "button",
            action_id: "checkin",
            text: { type: "plain_text", text: "Check in", emoji: true },
            value: "checkin",
            style: "primary",
          },
          {
            type: "button",
            action_id: "snooze",
            text: { type: "plain_text", text: "Snooze", emoji: true },
            value: "snooze",
          },
        ],
      },
    ]);
  });

  it("falls back to 'krbot' and one section when the reply has no summary or blocks", () => {
    expect(render(make([], { summary: "  " }))).toEqual([
      { text: "krbot", blocks: [{ type: "section", text: { type: "mrkdwn", text: "krbot" } }] },
    ]);
  });
});

describe("slack renderer: limits", () => {
  it("splits a 60-KR overview into messages of at most 50 blocks, before a heading, losing nothing", () => {
    const blocks: Block[] = [
      { kind: "heading", text: "Wikimedia 2025" },
      { kind: "context", text: "60 key results: 60 on track" },
    ];
    for (let o = 1; o <= 5; o++) {
      blocks.push({ kind: "heading", text: `${o}. Objective ${o}` });
      for (let k = 1; k <= 12; k++) blocks.push(progress(`${o}.KR${k} Key result`, k / 12));
    }
    const out = render(make(blocks, { summary: "Wikimedia 2025: 60 key results (60 on track)" }));

    expect(out.map((m) => m.blocks.length)).toEqual([41, 27]);
    expect(out.map((m) => m.text)).toEqual([
      "Wikimedia 2025: 60 key results (60 on track)",
      "Wikimedia 2025: 60 key results (60 on track) (continued)",
    ]);
    expect(out[0]?.blocks.at(-1)).toMatchObject({ type: "section" });
    expect(out[1]?.blocks.slice(0, 2)).toEqual([
      { type: "context", elements: [{ type: "mrkdwn", text: "_(continued)_" }] },
      { type: "header", text: { type: "plain_text", text: "4. Objective 4", emoji: true } },
    ]);
    const progressLines = sectionTexts(out).filter((t) => t.startsWith(":large_green_circle:"));
    expect(progressLines).toHaveLength(60);
    expect(new Set(progressLines).size).toBe(60);
    const headers = out.flatMap((m) => m.blocks).filter((b) => b.type === "header");
    expect(headers).toHaveLength(6);
  });

  it("splits a long run without headings into full messages", () => {
    const blocks = Array.from({ length: 120 }, (_, i) => progress(`KR${i}`, 0.5));
    const out = render(make(blocks));
    expect(out.map((m) => m.blocks.length)).toEqual([50, 50, 22]);
    expect(sectionTexts(out)).toHaveLength(120);
  });

  it("splits before a heading near the end of a full message, keeping it with its lines", () => {
    const blocks: Block[] = Array.from({ length: 49 }, (_, i) => progress(`KR${i}`, 0.5));
    blocks.push({ kind: "heading", text: "Next" }, progress("KR49", 0.5));
    const out = render(make(blocks));
    expect(out.map((m) => m.blocks.length)).toEqual([49, 3]);
    expect(out[1]?.blocks[1]).toEqual({
      type: "header",
      text: { type: "plain_text", text: "Next", emoji: true },
    });
  });

  it("fills the message when the only heading is in its front half", () => {
    const blocks: Block[] = Array.from({ length: 10 }, (_, i) => progress(`KR${i}`, 0.5));
    blocks.push({ kind: "heading", text: "Early" });
    blocks.push(...Array.from({ length: 60 }, (_, i) => progress(`KR${i + 10}`, 0.5)));
    const out = render(make(blocks));
    expect(out.map((m) => m.blocks.length)).toEqual([50, 22]);
    expect(sectionTexts(out)).toHaveLength(70);
  });

  it("splits a 5,000-character note into sections at line boundaries, keeping every character", () => {
    const line = (i: number) => `line ${String(i).padStart(3, "0")}: a < b & c > d, *fine*`;
    let note = "";
    for (let i = 0; note.length < 5000; i++) note += `${i ? "\n" : ""}${line(i)}`;
    const out = render(make([{ kind: "text", markdown: note }]));
    const texts = sectionTexts(out);
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
    expect(texts.join("\n")).toBe(escapeSlackText(note));
  });

  it("hard-splits a single 5,000-character line without cutting an entity", () => {
    const note = "ab&<>".repeat(1000);
    const texts = sectionTexts(render(make([{ kind: "text", markdown: note }])));
    expect(texts.length).toBe(5); // 15,000 escaped characters
    for (const t of texts) {
      expect(t.length).toBeLessThanOrEqual(MAX_SECTION_TEXT);
      expect(t).toMatch(/^(?:[^&]|&(?:amp|lt|gt);)*$/);
    }
    expect(texts.join("")).toBe(escapeSlackText(note));
  });

  it("puts 15 fields into two sections of 10 and 5", () => {
    const items = Array.from({ length: 15 }, (_, i) => ({ label: `L${i}`, value: `v${i}` }));
    const out = render(make([{ kind: "fields", items }]));
    const sections = out[0]?.blocks ?? [];
    expect(sections.map((b) => (b.type === "section" ? b.fields?.length : 0))).toEqual([10, 5]);
    expect(sections[1]).toEqual({
      type: "section",
      fields: [10, 11, 12, 13, 14].map((i) => ({ type: "mrkdwn", text: `*L${i}*\nv${i}` })),
    });
  });

  it("truncates a long field to 2,000 characters", () => {
    const out = render(make([{ kind: "fields", items: [{ label: "Note", value: "&".repeat(3000) }] }]));
    const field = out[0]?.blocks[0];
    const text = field?.type === "section" ? (field.fields?.[0]?.text ?? "") : "";
    expect(text.length).toBeLessThanOrEqual(MAX_FIELD_TEXT);
    expect(text).toMatch(/^\*Note\*\n(?:&amp;)+…$/);
  });

  it("truncates a 200-character heading to 150 with an ellipsis", () => {
    const out = render(make([{ kind: "heading", text: "x".repeat(200) }]));
    expect(out[0]?.blocks).toEqual([
      { type: "header", text: { type: "plain_text", text: `${"x".repeat(149)}…`, emoji: true } },
    ]);
  });

  it("keeps the fallback text within 3,000 characters", () => {
    const out = render(make([], { summary: "y".repeat(5000) }));
    expect(out[0]?.text).toBe(`${"y".repeat(2999)}…`);
  });

  it("chunks 30 buttons into actions blocks of 25 and 5 with unique action ids", () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ id: i === 29 ? "b0" : `b${i}`, label: `B${i}` }));
    items.push({ id: "b1", label: "x".repeat(100) });
    const out = render(make([{ kind: "actions", items }]));
    const elements = (out[0]?.blocks ?? []).flatMap((b: KnownBlock) =>
      b.type === "actions" ? b.elements : [],
    );
    expect((out[0]?.blocks ?? []).map((b) => (b.type === "actions" ? b.elements.length : 0))).toEqual([
      25, 6,
    ]);
    const buttons = elements.flatMap((e) => (e.type === "button" ? [e] : []));
    expect(buttons.slice(-2)).toEqual([
      {
        type: "button",
        action_id: "b0:2",
        text: { type: "plain_text", text: "B29", emoji: true },
        value: "b0",
      },
      {
        type: "button",
        action_id: "b1:2",
        text: { type: "plain_text", text: `${"x".repeat(74)}…`, emoji: true },
        value: "b1",
      },
    ]);
  });
});

describe("slack renderer: escaping", () => {
  it("shows mention and link syntax literally everywhere, never raw", () => {
    const evil = "<!channel> please <@U123> & <!here>";
    const out = render(
      make(
        [
          { kind: "heading", text: evil },
          { kind: "text", markdown: evil },
          { kind: "fields", items: [{ label: evil, value: "<https://evil|x>" }] },
          { kind: "progress", label: evil, ratio: 0.5, status: "at_risk", note: evil },
          { kind: "context", text: evil },
          { kind: "actions", items: [{ id: "go", label: "<!everyone>" }] },
        ],
        { summary: evil },
      ),
    );
    const escaped = "&lt;!channel&gt; please &lt;@U123&gt; &amp; &lt;!here&gt;";
    expect(out[0]?.text).toBe(escaped);
    expect(sectionTexts(out)[0]).toBe(escaped);
    const json = JSON.stringify(out);
    expect(json).not.toContain("<!");
    expect(json).not.toContain("<@");
    expect(json).not.toContain("<http");
    expect(json).not.toMatch(/<|>/);
  });

  it("defuses bare @everyone, @channel and @here with a zero-width joiner", () => {
    const out = render(make([{ kind: "text", markdown: "hey @everyone, @Channel and @here; mail a@b.c" }]));
    expect(sectionTexts(out)).toEqual(["hey @\u200Deveryone, @\u200DChannel and @\u200Dhere; mail a@b.c"]);
    expect(JSON.stringify(out)).not.toMatch(/@(everyone|channel|here)/i);
  });
});

describe("slack renderer: progress bars", () => {
  it("clamps the bar for out-of-range ratios and shows the true percentage", () => {
    const out = render(make([progress("Over", 1.7), progress("Under", -1), progress("Unknown", Number.NaN)]));
    expect(sectionTexts(out)).toEqual([
      ":large_green_circle: ▰▰▰▰▰▰▰▰▰▰ 170% *Over*",
      ":large_green_circle: ▱▱▱▱▱▱▱▱▱▱ -100% *Under*",
      ":large_green_circle: ▱▱▱▱▱▱▱▱▱▱ — *Unknown*",
    ]);
  });

  it("uses one emoji per status", () => {
    const statuses = ["on_track", "at_risk", "off_track", "done", "none"] as const;
    const out = render(make(statuses.map((status) => ({ kind: "progress", label: "K", ratio: 0, status }))));
    expect(sectionTexts(out).map((t) => t.split(" ")[0])).toEqual([
      ":large_green_circle:",
      ":large_yellow_circle:",
      ":red_circle:",
      ":white_check_mark:",
      ":white_circle:",
    ]);
  });
});
