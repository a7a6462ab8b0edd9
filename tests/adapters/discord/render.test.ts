import { type APIEmbed, ButtonStyle, ComponentType } from "discord.js";
import { describe, expect, it } from "vitest";
import {
  type DiscordMessage,
  embedCharacters,
  escapeDiscordText,
  isEphemeral,
  MAX_ACTION_ROWS,
  MAX_BUTTON_LABEL,
  MAX_CONTENT,
  MAX_CUSTOM_ID,
  MAX_EMBED_DESCRIPTION,
  MAX_EMBED_FIELDS,
  MAX_EMBED_TITLE,
  MAX_EMBED_TOTAL,
  MAX_EMBEDS,
  MAX_FIELD_NAME,
  MAX_FIELD_VALUE,
  MAX_FOOTER,
  MAX_OPTION_DESCRIPTION,
  MAX_OPTION_LABEL,
  MAX_OPTION_VALUE,
  MAX_ROW_BUTTONS,
  MAX_SELECT_OPTIONS,
  renderDiscord,
  UPDATE_SELECT_ID,
} from "../../../src/adapters/discord/render.ts";
import type { Block, KrStatus, Reply } from "../../../src/core/reply.ts";

const ZWJ = "\u200D";
const BLURPLE = 0x5865f2;
const GREEN = 0x57f287;
const RED = 0xed4245;

/** Discord's message rules, checked on every message the tests render. */
function expectValidDiscordMessage(msg: DiscordMessage): void {
  expect(msg.content !== undefined || msg.embeds.length > 0 || msg.components.length > 0).toBe(true);
  if (msg.content !== undefined) {
    expect(msg.content.trim()).not.toBe("");
    expect(msg.content.length).toBeLessThanOrEqual(MAX_CONTENT);
  }
  if (msg.flags !== undefined) expect(msg.flags).toBe(64);
  expect(msg.embeds.length).toBeLessThanOrEqual(MAX_EMBEDS);
  for (const embed of msg.embeds) {
    expect(embed.title || embed.description || embed.fields?.length).toBeTruthy();
    expect(embed.title?.length ?? 0).toBeLessThanOrEqual(MAX_EMBED_TITLE);
    if (embed.description !== undefined) expect(embed.description.trim()).not.toBe("");
    expect(embed.description?.length ?? 0).toBeLessThanOrEqual(MAX_EMBED_DESCRIPTION);
    expect(embed.footer?.text.length ?? 0).toBeLessThanOrEqual(MAX_FOOTER);
    expect(embed.fields?.length ?? 0).toBeLessThanOrEqual(MAX_EMBED_FIELDS);
    for (const f of embed.fields ?? []) {
      expect(f.name.length).toBeGreaterThan(0);
      expect(f.name.length).toBeLessThanOrEqual(MAX_FIELD_NAME);
      expect(f.value.length).toBeGreaterThan(0);
      expect(f.value.length).toBeLessThanOrEqual(MAX_FIELD_VALUE);
    }
  }
  expect(msg.embeds.reduce((n, e) => n + embedCharacters(e), 0)).toBeLessThanOrEqual(MAX_EMBED_TOTAL);
  expect(msg.components.length).toBeLessThanOrEqual(MAX_ACTION_ROWS);
  const ids: string[] = [];
  for (const row of msg.components) {
    expect(row.type).toBe(ComponentType.ActionRow);
    expect(row.components.length).toBeGreaterThan(0);
    expect(row.components.length).toBeLessThanOrEqual(MAX_ROW_BUTTONS);
    for (const c of row.components) {
      if (c.type === ComponentType.Button) {
        if (!("custom_id" in c)) throw new Error("link and SKU buttons are never rendered");
        expect(c.label?.length ?? 0).toBeGreaterThan(0);
        expect(c.label?.length ?? 0).toBeLessThanOrEqual(MAX_BUTTON_LABEL);
        ids.push(c.custom_id);
      } else if (c.type === ComponentType.StringSelect) {
        expect(row.components).toHaveLength(1); // a select menu fills its row
        expect(c.options.length).toBeGreaterThan(1);
        expect(c.options.length).toBeLessThanOrEqual(MAX_SELECT_OPTIONS);
        for (const o of c.options) {
          expect(o.label.length).toBeGreaterThan(0);
          expect(o.label.length).toBeLessThanOrEqual(MAX_OPTION_LABEL);
          expect(o.value.length).toBeLessThanOrEqual(MAX_OPTION_VALUE);
          expect(o.description?.length ?? 0).toBeLessThanOrEqual(MAX_OPTION_DESCRIPTION);
        }
        expect(new Set(c.options.map((o) => o.value)).size).toBe(c.options.length);
        ids.push(c.custom_id);
      } else throw new Error(`unexpected component ${c.type}`);
    }
  }
  for (const id of ids) expect(id.length).toBeLessThanOrEqual(MAX_CUSTOM_ID);
  expect(new Set(ids).size).toBe(ids.length);
}

/** renderDiscord, with every message checked against Discord's rules. */
function render(reply: Reply): DiscordMessage[] {
  const out = renderDiscord(reply);
  expect(out.length).toBeGreaterThan(0);
  for (const msg of out) expectValidDiscordMessage(msg);
  return out;
}

const make = (blocks: Block[], over: Partial<Reply> = {}): Reply => ({
  summary: "summary",
  visibility: "ephemeral",
  tone: "info",
  blocks,
  ...over,
});

const progress = (label: string, ratio: number, status: KrStatus = "on_track"): Block => ({
  kind: "progress",
  label,
  ratio,
  status,
});

/** An overview line as `statusLine` builds it: progress, a note and an "Update" action. */
const krLine = (code: string, ratio: number): Block => ({
  kind: "progress",
  label: `${code} Reading Wikipedia in the Classroom`,
  ratio,
  status: "on_track",
  note: `on track · ${Math.round(ratio * 100)}% · on pace (expected 40%) · checked in 3 days ago · Ana, Bo`,
  action: { id: `update:${code}`, label: "Update" },
});

const embeds = (out: DiscordMessage[]): APIEmbed[] => out.flatMap((m) => m.embeds);
const descriptions = (out: DiscordMessage[]): string[] => embeds(out).flatMap((e) => e.description ?? []);
const selects = (msg: DiscordMessage | undefined) =>
  (msg?.components ?? []).flatMap((r) => r.components).filter((c) => c.type === ComponentType.StringSelect);

describe("discord renderer: representative replies", () => {
  it("renders help as a titled embed of seven fields, then the hint as subtext", () => {
    const commands = [
      ["/kr help [command]", "Show every command, or one command's usage and examples."],
      ["/kr status [mine | <kr> | @user]", "Show where key results stand."],
      ["/kr update <kr> [<0-100>%] [note …]", "Check in on a key result."],
      ["/kr owner <kr> add @user", "Add or remove owners."],
      ["/kr remind <when>", "Set check-in reminders."],
      ["/kr digest [on|off]", "Post a weekly digest & summary, for every channel that asked."],
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
        embeds: [
          {
            color: BLURPLE,
            title: "krbot: track your key results where you talk",
            fields: [
              {
                name: "/kr help [command]",
                value: "Show every command, or one command's usage and examples.",
                inline: false,
              },
              {
                name: "/kr status [mine | <kr> | @user]",
                value: "Show where key results stand.",
                inline: true,
              },
              {
                name: "/kr update <kr> [<0-100>%] [note …]",
                value: "Check in on a key result.",
                inline: true,
              },
              { name: "/kr owner <kr> add @user", value: "Add or remove owners.", inline: true },
              { name: "/kr remind <when>", value: "Set check-in reminders.", inline: true },
              {
                name: "/kr digest [on|off]",
                value: "Post a weekly digest & summary, for every channel that asked.",
                inline: false,
              },
              { name: "/kr plan", value: "Show the current plan.", inline: true },
            ],
          },
          {
            color: BLURPLE,
            description: "-# Type `/kr help <command>` for examples, e.g. `/kr help update`.",
          },
        ],
        components: [],
        flags: 64,
      },
    ]);
  });

  it("renders a KR's detail in order: fields, then metric lines and the note, with an Update button", () => {
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
              { label: "Teams", value: "—" },
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
          { kind: "actions", items: [{ id: "update:IV.KR2", label: "Update", style: "primary" }] },
        ],
        { summary: "IV.KR2 Reading Wikipedia in the Classroom: on track, 46%" },
      ),
    );
    expect(out).toEqual([
      {
        embeds: [
          {
            color: BLURPLE,
            title: "IV.KR2 Reading Wikipedia in the Classroom",
            description: "Certify **40** trainers & reach 10,000 teachers",
            fields: [
              { name: "Status", value: "on track", inline: true },
              { name: "Progress", value: "46% (from metrics)", inline: true },
              { name: "Pace", value: "12 pts behind (expected 58%)", inline: true },
              { name: "Last check-in", value: "3 days ago", inline: true },
              { name: "Owners", value: "Ana, Bo", inline: true },
              { name: "Teams", value: "—", inline: true },
            ],
          },
          {
            color: BLURPLE,
            description: [
              "🟢 ▰▰▰▰▰▰▱▱▱▱ 63% **Certified RWC trainers (trainers)**",
              "-# 25 / 40 trainers",
              "🟢 ▰▰▰▱▱▱▱▱▱▱ 30% **Teachers reached (teachers_reached)**",
              "-# 3,000 / 10,000 teachers",
              "-# Latest note: Cohort 3 certified > cohort 2",
            ].join("\n"),
          },
        ],
        components: [
          {
            type: ComponentType.ActionRow,
            components: [
              {
                type: ComponentType.Button,
                custom_id: "update:IV.KR2",
                label: "Update",
                style: ButtonStyle.Primary,
              },
            ],
          },
        ],
        flags: 64,
      },
    ]);
  });

  it("colours an error red, keeps its hints as subtext and sends it ephemeral", () => {
    const reply = make(
      [
        { kind: "text", markdown: "IV.KR2 has no metric `trainer`. Did you mean `trainers`?" },
        { kind: "context", text: "Its metrics are `trainers` (Certified RWC trainers)." },
        { kind: "context", text: "Report the running total (0 or more), e.g. `trainers=25`." },
      ],
      { summary: "IV.KR2 has no metric `trainer`. Did you mean `trainers`?", tone: "error" },
    );
    expect(render(reply)).toEqual([
      {
        embeds: [
          {
            color: RED,
            description: [
              "IV.KR2 has no metric `trainer`. Did you mean `trainers`?",
              "",
              "-# Its metrics are `trainers` (Certified RWC trainers).",
              "-# Report the running total (0 or more), e.g. `trainers=25`.",
            ].join("\n"),
          },
        ],
        components: [],
        flags: 64,
      },
    ]);
    expect(isEphemeral(reply)).toBe(true);
  });

  it("renders an update green and public (no flags), the note as a paragraph after the metric", () => {
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
        { kind: "text", markdown: "Cohort 3 certified *early*\n> venue moved to <Room 4>" },
      ],
      { summary: "Ana checked in IV.KR2: at risk, 63%", tone: "success", visibility: "channel" },
    );
    expect(render(reply)).toEqual([
      {
        embeds: [
          {
            color: GREEN,
            title: "IV.KR2 Reading Wikipedia in the Classroom",
            fields: [
              { name: "Status", value: "at risk (was on track)", inline: true },
              { name: "Checked in by", value: "Ana", inline: true },
            ],
          },
          {
            color: GREEN,
            description: [
              "🟡 ▰▰▰▰▰▰▱▱▱▱ 63% **Certified RWC trainers (trainers)**",
              "-# 25 / 40 trainers (was 20)",
              "",
              "Cohort 3 certified **early**",
              "> venue moved to <Room 4>",
            ].join("\n"),
          },
        ],
        components: [],
      },
    ]);
    expect(isEphemeral(reply)).toBe(false);
  });

  it("turns a lone progress action into one Update button", () => {
    const out = render(make([{ kind: "heading", text: "Yours" }, krLine("IV.KR2", 0.5)]));
    expect(out[0]?.components).toEqual([
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            custom_id: "update:IV.KR2",
            label: "Update",
            style: ButtonStyle.Primary,
          },
        ],
      },
    ]);
  });

  it("drops a progress action whose id an explicit button already uses", () => {
    const out = render(
      make([krLine("IV.KR2", 0.5), { kind: "actions", items: [{ id: "update:IV.KR2", label: "Check in" }] }]),
    );
    expect(out[0]?.components).toEqual([
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.Button,
            custom_id: "update:IV.KR2",
            label: "Check in",
            style: ButtonStyle.Secondary,
          },
        ],
      },
    ]);
  });

  it("puts the escaped summary in content when nothing renders as an embed", () => {
    expect(render(make([], { summary: "Nothing *here* @here" }))).toEqual([
      { content: `Nothing **here** @${ZWJ}here`, embeds: [], components: [], flags: 64 },
    ]);
    const buttonsOnly = render(
      make([{ kind: "actions", items: [{ id: "undo", label: "Undo", style: "danger" }] }]),
    );
    expect(buttonsOnly).toEqual([
      {
        content: "summary",
        embeds: [],
        components: [
          {
            type: ComponentType.ActionRow,
            components: [
              { type: ComponentType.Button, custom_id: "undo", label: "Undo", style: ButtonStyle.Danger },
            ],
          },
        ],
        flags: 64,
      },
    ]);
    expect(render(make([], { summary: "  " }))[0]?.content).toBe("krbot");
    expect(render(make([], { summary: "z".repeat(3000) }))[0]?.content).toBe(`${"z".repeat(1999)}…`);
  });
});

describe("discord renderer: limits", () => {
  /** The status overview of 60 KRs: a title, a tally, and five objectives of twelve lines. */
  const overview60 = (): Reply => {
    const blocks: Block[] = [
      { kind: "heading", text: "Wikimedia 2025" },
      { kind: "context", text: "60 key results: 60 on track · 40% of 2025-01-01 → 2025-12-31 elapsed" },
    ];
    for (let o = 1; o <= 5; o++) {
      blocks.push({ kind: "heading", text: `${o}. Objective ${o}` });
      for (let k = 1; k <= 12; k++) blocks.push(krLine(`${o}.KR${k}`, k / 12));
    }
    return make(blocks, { summary: "Wikimedia 2025: 60 key results (60 on track)" });
  };

  it("splits a 60-KR overview into messages within every limit, keeping all lines and actions", () => {
    const out = render(overview60());
    expect(out.length).toBeGreaterThan(1);
    const lines = descriptions(out).flatMap((d) => d.split("\n").filter((l) => l.startsWith("🟢")));
    expect(lines).toHaveLength(60);
    expect(new Set(lines).size).toBe(60);
    // Each message's select lists exactly the lines it carries, so every KR stays one click away.
    for (const msg of out) {
      const codes = descriptions([msg]).flatMap((d) => [...d.matchAll(/\*\*(\d\.KR\d+) /g)].map((m) => m[1]));
      const [select, ...more] = selects(msg);
      expect(more).toEqual([]);
      expect(select?.options.map((o) => o.value)).toEqual(codes.map((c) => `update:${c}`));
    }
    expect(out.map((m) => m.flags)).toEqual(out.map(() => 64));
    // 24 actions fit a message; a third objective would pass 25, so it starts the next one.
    expect(out.map((m) => m.embeds.map((e) => e.title))).toEqual([
      ["Wikimedia 2025", "1. Objective 1", "2. Objective 2"],
      ["3. Objective 3", "4. Objective 4"],
      ["5. Objective 5"],
    ]);
  });

  it("lists 15 progress actions in exactly one select menu", () => {
    const blocks: Block[] = [{ kind: "heading", text: "IV. Knowledge equity" }];
    for (let k = 1; k <= 15; k++) blocks.push(krLine(`IV.KR${k}`, 0.4));
    const out = render(make(blocks));
    expect(out).toHaveLength(1);
    expect(out[0]?.components).toHaveLength(1);
    expect(selects(out[0])).toEqual([
      {
        type: ComponentType.StringSelect,
        custom_id: UPDATE_SELECT_ID,
        placeholder: "Check in on…",
        options: Array.from({ length: 15 }, (_, i) => ({
          label: `IV.KR${i + 1} Reading Wikipedia in the Classroom`,
          value: `update:IV.KR${i + 1}`,
          description: "on track · 40% · on pace (expected 40%) · checked in 3 days ago · Ana, Bo",
        })),
      },
    ]);
  });

  it("never lists more than 25 options: a 26th progress action starts a follow-up message", () => {
    const out = render(make(Array.from({ length: 30 }, (_, i) => krLine(`I.KR${i}`, 0.1))));
    expect(out.map((m) => selects(m)[0]?.options.length)).toEqual([25, 5]);
  });

  it("splits a 5,000-character note at line boundaries into descriptions of at most 4,096", () => {
    const line = (i: number) => `line ${String(i).padStart(3, "0")}: a < b & c > d, fine`;
    let note = "";
    for (let i = 0; note.length < 5000; i++) note += `${i ? "\n" : ""}${line(i)}`;
    const out = render(
      make([
        { kind: "heading", text: "Note" },
        { kind: "text", markdown: note },
      ]),
    );
    const texts = descriptions(out);
    expect(texts).toHaveLength(2);
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(MAX_EMBED_DESCRIPTION);
    expect(texts.join("\n")).toBe(note);
    expect(embeds(out).map((e) => e.title)).toEqual(["Note", undefined]);
  });

  it("hard-splits a single 5,000-character line", () => {
    const out = render(make([{ kind: "text", markdown: "ab".repeat(2500) }]));
    expect(descriptions(out).map((d) => d.length)).toEqual([4096, 904]);
    expect(descriptions(out).join("")).toBe("ab".repeat(2500));
  });

  it("puts 30 fields into an embed of 25 and an untitled continuation of 5", () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ label: `L${i}`, value: `v${i}` }));
    const out = render(
      make([
        { kind: "heading", text: "Many" },
        { kind: "fields", items },
      ]),
    );
    expect(embeds(out).map((e) => [e.title, e.fields?.length])).toEqual([
      ["Many", 25],
      [undefined, 5],
    ]);
    expect(embeds(out)[1]).toEqual({
      color: BLURPLE,
      fields: [25, 26, 27, 28, 29].map((i) => ({ name: `L${i}`, value: `v${i}`, inline: true })),
    });
  });

  it("truncates a 300-character heading to 256 with an ellipsis", () => {
    const out = render(make([{ kind: "heading", text: "x".repeat(300) }]));
    expect(out[0]?.embeds).toEqual([{ color: BLURPLE, title: `${"x".repeat(255)}…` }]);
  });

  it("truncates long field values, button labels, custom ids and option labels", () => {
    const long = (c: string, n: number) => c.repeat(n);
    const out = render(
      make([
        { kind: "fields", items: [{ label: long("n", 300), value: long("v", 2000) }] },
        { kind: "actions", items: [{ id: long("i", 150), label: long("b", 100) }] },
        { ...krLine("A", 0.5), label: long("o", 150), note: long("d", 150) } as Block,
        krLine("B", 0.5),
      ]),
    );
    const field = out[0]?.embeds[0]?.fields?.[0];
    expect(field).toEqual({ name: `${long("n", 255)}…`, value: `${long("v", 1023)}…`, inline: false });
    expect(out[0]?.components[0]?.components[0]).toEqual({
      type: ComponentType.Button,
      custom_id: long("i", 100),
      label: `${long("b", 79)}…`,
      style: ButtonStyle.Secondary,
    });
    expect(selects(out[0])[0]?.options[0]).toEqual({
      label: `${long("o", 99)}…`,
      value: "update:A",
      description: `${long("d", 99)}…`,
    });
  });

  it("starts a follow-up message after ten embeds", () => {
    const blocks: Block[] = Array.from({ length: 12 }, (_, i) => ({ kind: "heading", text: `H${i}` }));
    const out = render(make(blocks));
    expect(out.map((m) => m.embeds.length)).toEqual([10, 2]);
  });

  it("starts a follow-up message rather than pass 6,000 embed characters", () => {
    const blocks: Block[] = [1, 2, 3].flatMap((i): Block[] => [
      { kind: "heading", text: `Part ${i}` },
      { kind: "text", markdown: "w".repeat(3000) },
    ]);
    const out = render(make(blocks));
    expect(out.map((m) => m.embeds.map((e) => e.title))).toEqual([["Part 1"], ["Part 2"], ["Part 3"]]);
    expect(embedCharacters(out[0]?.embeds[0] ?? {})).toBe(3006);
  });

  it("chunks 30 buttons into rows of five, the sixth row in a follow-up message", () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ id: `b${i}`, label: `B${i}` }));
    const out = render(
      make([
        { kind: "text", markdown: "Pick one" },
        { kind: "actions", items },
      ]),
    );
    expect(out.map((m) => m.components.map((r) => r.components.length))).toEqual([[5, 5, 5, 5, 5], [5]]);
    expect(out[1]?.embeds).toEqual([]);
    expect(out[1]?.content).toBeUndefined();
  });

  it("counts title, description, field names and values, footer and author as embed characters", () => {
    expect(
      embedCharacters({
        title: "12345",
        description: "123",
        fields: [{ name: "ab", value: "cde" }],
        footer: { text: "1234" },
        author: { name: "xy" },
        color: 1,
      }),
    ).toBe(19);
  });
});

describe("discord renderer: escaping", () => {
  it("renders @everyone, @here and user, role and channel mentions in a note inert", () => {
    const evil = "ping @everyone and @here, <@123> <@!123> <@&456> <#789>";
    const out = render(
      make(
        [
          { kind: "heading", text: evil },
          { kind: "text", markdown: evil },
          { kind: "fields", items: [{ label: evil, value: evil }] },
          { kind: "progress", label: "KR", ratio: 0.5, status: "at_risk", note: evil },
          { kind: "context", text: evil },
          { kind: "actions", items: [{ id: "go", label: evil }] },
        ],
        { summary: evil },
      ),
    );
    const inert = `ping @${ZWJ}everyone and @${ZWJ}here, <${ZWJ}@123> <${ZWJ}@!123> <${ZWJ}@&456> <${ZWJ}#789>`;
    expect(descriptions(out)).toEqual([inert, `🟡 ▰▰▰▰▰▱▱▱▱▱ 50% **KR**\n-# ${inert}\n-# ${inert}`]);
    const json = JSON.stringify(out);
    expect(json).not.toContain("<@");
    expect(json).not.toContain("<#");
    expect(json).not.toMatch(/@(everyone|here)/);
    // title, description, field name and value, note, context, button label
    expect(json.split(inert).length - 1).toBe(7);
  });

  it("turns the core's *bold* into **bold**, leaving code, ** and lone asterisks alone", () => {
    expect(escapeDiscordText("*bold* and **strong**")).toBe("**bold** and **strong**");
    expect(escapeDiscordText("> quoted *x*, `*code*` and ```\n*block*\n```")).toBe(
      "> quoted **x**, `*code*` and ```\n*block*\n```",
    );
    expect(escapeDiscordText("2 * 3 * 4, a*b*c, *open\nclose*")).toBe("2 * 3 * 4, a*b*c, *open\nclose*");
  });
});

describe("discord renderer: progress bars", () => {
  it("clamps the bar for out-of-range ratios and shows the true percentage", () => {
    const out = render(make([progress("Over", 1.7), progress("Under", -1), progress("Unknown", Number.NaN)]));
    expect(descriptions(out)).toEqual([
      ["🟢 ▰▰▰▰▰▰▰▰▰▰ 170% **Over**", "🟢 ▱▱▱▱▱▱▱▱▱▱ -100% **Under**", "🟢 ▱▱▱▱▱▱▱▱▱▱ — **Unknown**"].join(
        "\n",
      ),
    ]);
  });

  it("uses one emoji per status", () => {
    const statuses = ["on_track", "at_risk", "off_track", "done", "none"] as const;
    const out = render(make(statuses.map((status) => progress("K", 0, status))));
    expect(
      descriptions(out)[0]
        ?.split("\n")
        .map((l) => l.split(" ")[0]),
    ).toEqual(["🟢", "🟡", "🔴", "✅", "⚪"]);
  });
});
