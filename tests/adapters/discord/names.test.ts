import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sanitize } from "../../../src/domain/sanitize.ts";
import { chatInput, type InteractionInput } from "../../fakes/discord/index.ts";
import { useDiscordHarness } from "../../helpers/discord-harness.ts";

type Embed = { title?: string; description?: string; fields?: { name: string; value: string }[] };
const embedText = (data: unknown) => JSON.stringify((data as { embeds?: Embed[] }).embeds ?? []);

/** Display names as people pick them: spaces, emoji, `<3`, `|`, `&`, right-to-left text and marks. */
const displayName = fc
  .oneof(
    fc
      .array(
        fc.constantFrom(
          "Bob",
          " ",
          "Smith",
          "✨",
          "<3",
          ">",
          "<",
          "|",
          "&",
          "&amp;",
          "\u200F",
          "שלום",
          "👩‍💻",
        ),
        { minLength: 1, maxLength: 8 },
      )
      .map((parts) => parts.join("")),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 24 }),
  )
  .filter((name) => sanitize(name).trim().length > 0);

describe("Discord: people and teams whose names hold spaces, emoji and & < >", () => {
  const h = useDiscordHarness({ now: new Date("2022-01-01T00:00:00Z") });
  const ws = () => h.workspaceId();
  const send = (input: InteractionInput) => h.send(input);
  const member = async (id: string) =>
    (await h.app.store.members.find(await ws(), { platformUserId: id }))[0]?.displayName;
  const userOption = (id: string, globalName: string, nick?: string) => ({
    name: "user",
    type: 6,
    value: id,
    user: { globalName },
    ...(nick ? { nick } : {}),
  });

  it("adds an owner whose display name has a space", async () => {
    const cb = await send(
      chatInput("owner", [
        { name: "kr", value: "IV.KR2" },
        { name: "action", value: "add" },
        userOption("600000000000000001", "Bob Smith"),
      ]),
    );
    expect(embedText(cb.data)).toContain("Bob Smith now owns IV.KR2");
    expect(await member("600000000000000001")).toBe("Bob Smith");
  });

  it("names a person as the server shows them: their nickname over their global name", async () => {
    await send(
      chatInput("owner", [
        { name: "kr", value: "III.KR1" },
        { name: "action", value: "add" },
        userOption("600000000000000002", "Robert", "Bobby Tables 🎲"),
      ]),
    );
    expect(await member("600000000000000002")).toBe("Bobby Tables 🎲");
  });

  it("adds a member with an emoji and <3 in their name to a team with & in its name", async () => {
    const cb = await send(
      chatInput("team", [
        { name: "team", value: "Trust & Safety Policy" },
        { name: "action", value: "add" },
        userOption("600000000000000003", "Dora ✨ <3"),
      ]),
    );
    expect(embedText(cb.data)).toContain("Dora ✨ <3 joined Trust & Safety Policy.");
    const members = await h.app.store.teams.listMembers(await ws(), "Trust & Safety Policy");
    expect(members.map((m) => m.displayName)).toContain("Dora ✨ <3");
  });

  it("shows a person's key results when their name has a space", async () => {
    const cb = await send(chatInput("status", [userOption("600000000000000001", "Bob Smith")]));
    expect(embedText(cb.data)).toContain("Bob Smith's key results");
  });

  it("property: any display name round-trips through a user option into storage and the reply", async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(displayName, async (name) => {
        n += 1;
        const id = `6100000000000${String(n).padStart(5, "0")}`;
        const cb = await send(
          chatInput("owner", [
            { name: "kr", value: "II.KR1" },
            { name: "action", value: "add" },
            userOption(id, name),
          ]),
        );
        const expected = sanitize(name).trim();
        expect(await member(id)).toBe(expected);
        expect(embedText(cb.data)).toMatch(/now owns II\.KR1|already owns II\.KR1/);
      }),
      { numRuns: 30 },
    );
  });
});
