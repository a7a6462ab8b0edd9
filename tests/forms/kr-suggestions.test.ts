import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { suggestKrs, suggestObjectives, suggestTeams } from "../../src/commands/forms/kr-suggestions.ts";
import { ALICE, createTestApp } from "../helpers/app.ts";

describe("KR suggestions (autocomplete)", () => {
  let app: ReturnType<typeof createTestApp>;
  beforeEach(() => {
    app = createTestApp();
  });
  afterEach(() => app.close());
  const ctx = () => app.core.contextFor(app.invocation("", ALICE));
  const codes = async (partial: string) => (await suggestKrs(await ctx(), partial)).map((s) => s.code);

  it("offers every KR for an empty input, the actor's own first", async () => {
    await app.run("owner V.KR3 add @alice");
    const all = await codes("");
    expect(all).toHaveLength(15);
    expect(all[0]).toBe("V.KR3");
  });

  it("matches partial codes in any of the accepted spellings", async () => {
    expect(await codes("IV.K")).toEqual(["IV.KR1", "IV.KR2"]);
    expect(await codes("4.2")).toEqual(["IV.KR2"]);
    expect(await codes("iv-kr1")).toEqual(["IV.KR1"]);
    expect(await codes("3")).toEqual(["III.KR1", "III.KR2", "III.KR3", "III.KR4"]);
  });

  it("matches the starts of title words", async () => {
    expect(await codes("classroom")).toEqual(["IV.KR2"]);
    expect(await codes("grants strat")).toEqual(["III.KR1", "V.KR4"]);
    expect(await codes("new grants")).toEqual(["V.KR4"]);
  });

  it("labels each choice with code and short title, within Discord's 100 characters", async () => {
    const [first] = await suggestKrs(await ctx(), "4.2");
    expect(first).toEqual({ code: "IV.KR2", label: "IV.KR2 · Reading Wikipedia in the Classroom expansion" });
    for (const s of await suggestKrs(await ctx(), "")) expect(s.label.length).toBeLessThanOrEqual(100);
  });

  it("suggests objectives and teams", async () => {
    expect((await suggestObjectives(await ctx(), "4")).map((o) => o.code)).toEqual(["IV"]);
    expect(await suggestTeams(await ctx(), "trust")).toEqual([
      "Trust & Safety Policy",
      "Trust & Safety Tools",
      "Trust & Safety Disinformation",
    ]);
  });
});
