import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatMention, mentionsAsText, parseUserRef } from "../../src/domain/user-ref.ts";
import { splitWords, tokenize } from "../../src/domain/words.ts";

describe("the argument tokenizer", () => {
  it("keeps a mention whose name has spaces, emoji and escaped <3 as one token", () => {
    expect(splitWords("IV.KR2 add <@U1|Dora ✨ &lt;3> now")).toEqual([
      "IV.KR2",
      "add",
      "<@U1|Dora ✨ &lt;3>",
      "now",
    ]);
  });

  it("treats quotes as delimiters, straight or curly, and drops them", () => {
    expect(splitWords('"Trust & Safety Policy" add @x')).toEqual(["Trust & Safety Policy", "add", "@x"]);
    expect(splitWords("team “Global Data & Insights”")).toEqual(["team", "Global Data & Insights"]);
    expect(tokenize('"add"')[0]).toMatchObject({ value: "add", quoted: true });
  });

  it("leaves an unclosed or mid-word quote as an ordinary character", () => {
    expect(splitWords('a 5" screen')).toEqual(["a", '5"', "screen"]);
    expect(splitWords('"unclosed words')).toEqual(['"unclosed', "words"]);
  });

  it("gives offsets into the original text", () => {
    const [, second] = tokenize('x  "a b"  y');
    expect(second).toEqual({ value: "a b", start: 3, end: 8, quoted: true });
  });
});

describe("mentions", () => {
  it("round-trip any display name through the mention token", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "grapheme", minLength: 1, maxLength: 40 }),
        fc.stringMatching(/^[A-Z0-9]{1,12}$/),
        (name, id) => {
          const token = formatMention(id, name);
          expect(splitWords(`x ${token} y`)).toEqual(["x", token, "y"]);
          const ref = parseUserRef(token);
          expect(ref).toEqual(name.trim() ? { kind: "id", id, name: name.trim() } : { kind: "id", id });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("read as @name in free text", () => {
    expect(mentionsAsText("thanks <@U1|Carol &amp; Jones> and <@U2>")).toBe(
      "thanks @Carol & Jones and <@U2>",
    );
  });
});
