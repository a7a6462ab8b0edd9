import { describe, expect, it } from "vitest";
import { decodeSlackText, nameMentions, unnamedMentions } from "../../../src/adapters/slack/text.ts";

describe("Slack text at the edge", () => {
  it("decodes &amp; &lt; &gt; once", () => {
    expect(decodeSlackText("R&amp;D &lt;draft&gt; &amp;lt;")).toBe("R&D <draft> &lt;");
  });

  it("leaves user mentions as sent, their labels still escaped", () => {
    expect(decodeSlackText("add <@U1|Dora &lt;3> to A &amp; B")).toBe("add <@U1|Dora &lt;3> to A & B");
  });

  it("names unnamed mentions with the lookup, once per person, and keeps those it can't name", async () => {
    const asked: string[] = [];
    const text = await nameMentions("<@U1> <@U2> <@U1> <@U3|Cy>", async (id) => {
      asked.push(id);
      return id === "U1" ? "Ann <3" : undefined;
    });
    expect(text).toBe("<@U1|Ann &lt;3> <@U2> <@U1|Ann &lt;3> <@U3|Cy>");
    expect(asked.sort()).toEqual(["U1", "U2"]);
    expect(unnamedMentions("<@U3|Cy> plain")).toEqual([]);
  });
});
