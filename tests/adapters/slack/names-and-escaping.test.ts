import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderDiscord } from "../../../src/adapters/discord/render.ts";
import { renderText } from "../../../src/adapters/shell/render.ts";
import { escapeSlackText, renderSlack } from "../../../src/adapters/slack/render.ts";
import { sanitize } from "../../../src/domain/sanitize.ts";
import { useSlackHarness } from "../../helpers/slack-harness.ts";

/** What Slack does to typed text before it sends a slash command. */
const slackEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Every string anywhere in a rendered message, to look for text wherever a renderer put it. */
const strings = (v: unknown): string[] =>
  typeof v === "string"
    ? [v]
    : Array.isArray(v)
      ? v.flatMap(strings)
      : v && typeof v === "object"
        ? Object.values(v).flatMap(strings)
        : [];

/** Display names as people pick them: spaces, emoji, `<3`, `|`, `&`, right-to-left text and marks. */
const displayName = fc
  .oneof(
    fc
      .array(
        fc.constantFrom(
          "Carol",
          " ",
          "Jones",
          "✨",
          "<3",
          ">",
          "<",
          "|",
          "&",
          "&amp;",
          "\u200F",
          "\u200E",
          "שלום",
          "دورا",
          "👩‍💻",
          "é",
          '"',
        ),
        { minLength: 1, maxLength: 8 },
      )
      .map((parts) => parts.join("")),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 24 }),
  )
  .filter((name) => sanitize(name).trim().length > 0);

describe("Slack: names and text with spaces, emoji and & < > round-trip", () => {
  const h = useSlackHarness({
    now: new Date("2022-01-01T00:00:00Z"),
    fake: { users: { U0BOB: { name: "bob", realName: "Bob Smith", displayName: "" } } },
    responseId: "r1",
    triggerPrefix: "trig-names",
  });

  /** Sends `/kr <text>` as Slack would: `text` is what Slack puts on the wire (already escaped). */
  const slash = async (wire: string) => (await h.slash(wire)).json<{ text: string; blocks: unknown[] }>();
  const wsId = () => h.workspaceId();
  const kr = async (code: string) =>
    (await h.app.store.keyResults.list(await wsId())).find((k) => k.code === code);
  const member = async (id: string) =>
    (await h.app.store.members.find(await wsId(), { platformUserId: id }))[0]?.displayName;

  it("adds an owner whose display name has a space and an emoji", async () => {
    const body = await slash("owner IV.KR2 add <@U0CAROL|Carol Jones ✨>");
    expect(body.text).toBe("Carol Jones ✨ now owns IV.KR2 Reading Wikipedia in the Classroom expansion.");
    expect((await kr("IV.KR2"))?.owners.map((o) => o.displayName)).toContain("Carol Jones ✨");
  });

  it("adds a team member to a team with & in its name, written with quotes or without", async () => {
    const quoted = await slash('team "Trust &amp; Safety Policy" add <@U0DORA|Dora ✨ &lt;3>');
    expect(quoted.text).toBe("Dora ✨ &lt;3 joined Trust &amp; Safety Policy.");
    const bare = await slash("team Trust &amp; Safety Policy add <@U0ERIN|Erin O'Neil>");
    expect(bare.text).toBe("Erin O'Neil joined Trust &amp; Safety Policy.");
    const members = (await h.app.store.teams.listMembers(await wsId(), "Trust & Safety Policy")).map(
      (m) => m.displayName,
    );
    expect(members).toEqual(expect.arrayContaining(["Dora ✨ <3", "Erin O'Neil"]));
  });

  it("shows a team named in quotes, the quotes not part of the name", async () => {
    const body = await slash('status team "Global Data &amp; Insights"');
    expect(body.text).toMatch(/^Team Global Data &amp; Insights: \d+ key results/);
  });

  it("shows a person by a mention whose name has a space", async () => {
    await slash("owner III.KR1 add <@U0FRAN|Fran de la Cruz>");
    const body = await slash("status <@U0FRAN|Fran de la Cruz>");
    expect(body.text).toMatch(/^Fran de la Cruz's key results: 1 key result/);
  });

  it("stores a note as typed (R&D <draft>) and escapes it once when showing it", async () => {
    const body = await slash("update IV.KR2 trainers=21 R&amp;D &lt;draft&gt; and a typed &amp;lt;");
    expect(body.text).toContain("checked in IV.KR2");
    expect((await kr("IV.KR2"))?.lastNote).toBe("R&D <draft> and a typed &lt;");
    const status = await slash("status IV.KR2");
    expect(strings(status.blocks).join("\n")).toContain(
      "Latest note: R&amp;D &lt;draft&gt; and a typed &amp;lt;",
    );
  });

  it("names a person mentioned without a name from users.info, once per person", async () => {
    const body = await slash("owner I.KR1 add <@U0BOB>");
    expect(body.text).toBe(`Bob Smith now owns I.KR1 ${(await kr("I.KR1"))?.title}.`);
    expect(await member("U0BOB")).toBe("Bob Smith");
    await slash("owners I.KR1");
    await slash("status <@U0BOB>");
    expect(h.fake.callsTo("users.info").filter((c) => c.body.user === "U0BOB")).toHaveLength(1);
  });

  it("names a mentioned person in a note as people read it", async () => {
    await slash("update IV.KR2 trainers=22 thanks <@U0BOB> and <@U0CAROL|Carol Jones ✨>");
    expect((await kr("IV.KR2"))?.lastNote).toBe("thanks @Bob Smith and @Carol Jones ✨");
  });

  it("answers a person written without @ with one error that says how to write them", async () => {
    const before = h.app.snapshot();
    const body = await slash("owner IV.KR2 add ann");
    expect(body.text).toContain("Mention the person with @: type `@ann`");
    expect(body.text).not.toContain("Name exactly one key result");
    const team = await slash("team Growth add ann");
    expect(team.text).toContain("`@ann`");
    expect(h.app.snapshot()).toBe(before);
  });

  it("property: any display name round-trips through a Slack mention into storage and the reply", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(displayName, async (name) => {
        n += 1;
        const id = `U0P${n}`;
        const expected = sanitize(name).trim();
        const body = await slash(`owner II.KR1 add <@${id}|${slackEscape(name)}>`);
        expect(await member(id)).toBe(expected);
        expect(body.text.startsWith(`${escapeSlackText(expected)} now owns II.KR1`)).toBe(true);
      }),
      { numRuns: 40 },
    );
  });

  it("property: a note or team name with & < > means the same in storage and on every platform", async () => {
    const note = fc
      .array(fc.constantFrom("R", "&", "<", ">", "D", " ", "draft", "&amp;", "&lt;", "<3", "é", "x>y"), {
        minLength: 1,
        maxLength: 10,
      })
      .map((parts) => `note ${parts.join("")}`.trim());
    let n = 0;
    await fc.assert(
      fc.asyncProperty(note, async (typed) => {
        n += 1;
        const body = await slash(`update IV.KR2 trainers=${30 + n} ${slackEscape(typed)}`);
        expect(body.text).toContain("checked in IV.KR2");
        expect((await kr("IV.KR2"))?.lastNote).toBe(typed);
        const reply = await h.app.core.dispatch({
          workspace: { platform: "slack", id: "T0FAKE" },
          actor: { id: "U0ALICE", name: "alice" },
          channel: { id: "C1", isDirect: false },
          command: "",
          text: "status IV.KR2",
          requestId: `note-${n}`,
        });
        const line = `Latest note: ${typed}`;
        expect(strings(renderSlack(reply))).toContain(escapeSlackText(line));
        expect(strings(renderDiscord(reply)).join("\n")).toContain(line);
        expect(renderText(reply, { color: false })).toContain(line);
      }),
      { numRuns: 30 },
    );
    const teams = fc.constantFrom(
      "Trust & Safety Policy",
      "Global Data & Insights",
      "Language & Translation",
      "Movement Strategy & Governance",
    );
    await fc.assert(
      fc.asyncProperty(teams, fc.boolean(), async (team, quote) => {
        const typed = quote ? `"${team}"` : team;
        const body = await slash(`status team ${slackEscape(typed)}`);
        expect(body.text.startsWith(`Team ${escapeSlackText(team)}:`)).toBe(true);
      }),
      { numRuns: 8 },
    );
  });
});
