import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Reply } from "../../src/core/reply.ts";
import { createTestApp, textOf } from "../helpers/app.ts";

/**
 * Property tests for the one rule dispatch must never break: any line gets a reply (never a
 * throw or a rejection, never an internal error), and an error reply leaves the store untouched.
 */

const NUM_RUNS = 300;
const TONES = ["info", "success", "warning", "error"];
const VISIBILITIES = ["ephemeral", "channel"];
const BLOCK_KINDS = ["heading", "text", "fields", "progress", "context", "actions"];

type App = ReturnType<typeof createTestApp>;

/** A fresh app whose workspace is already seeded, so seeding never counts as a write. */
async function seededApp(): Promise<App> {
  const app = createTestApp();
  const warmUp = await app.run("list");
  expect(warmUp.tone).toBe("info");
  return app;
}

/** Checks the shape of a reply, and that it is not the catch-all "Something went wrong". */
function expectWellFormed(reply: Reply, line: string): void {
  expect(typeof reply, JSON.stringify(line)).toBe("object");
  expect(typeof reply.summary).toBe("string");
  expect(reply.summary.length).toBeGreaterThan(0);
  expect(Array.isArray(reply.blocks)).toBe(true);
  for (const b of reply.blocks) expect(BLOCK_KINDS).toContain(b.kind);
  expect(TONES).toContain(reply.tone);
  expect(VISIBILITIES).toContain(reply.visibility);
  // An internal error means some input escaped the parsers and commands as a throw.
  expect(textOf(reply), `internal error for ${JSON.stringify(line)}`).not.toContain("Something went wrong");
}

/**
 * Dispatches one line: the promise must resolve (a rejection fails the property), the reply must be
 * well formed, and an error reply must leave every table exactly as it was.
 */
async function dispatchChecked(app: App, line: string, tally?: Map<string, number>): Promise<Reply> {
  const before = app.snapshot();
  const reply = await app.run(line);
  expectWellFormed(reply, line);
  if (reply.tone === "error") {
    expect(app.snapshot(), `error reply to ${JSON.stringify(line)} changed the store`).toBe(before);
  }
  tally?.set(reply.tone, (tally.get(reply.tone) ?? 0) + 1);
  return reply;
}

/** Any code point 0..10FFFF, including C0/C1 controls, zero-width characters and lone surrogates. */
const anyCodePoint = fc.nat({ max: 0x10ffff }).map((cp) => String.fromCodePoint(cp));

/** Characters the sanitizer and the word splitter care about, mixed in so they show up often. */
const trickyChar = fc.constantFrom(
  "\u0000",
  "\u0007",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u00a0",
  "\u200b",
  "\u200d",
  "\u202e",
  "\u2028",
  "\u2066",
  "\ufeff",
  "\ud800",
  "\udfff",
  "\t",
  "\n",
  "\r",
  "\r\n",
  " ",
  "=",
  "%",
  ",",
  ".",
  "@",
  "<@",
  ">",
  "`",
  "/",
  "-",
  "e",
  "1",
);

const COMMANDS = ["update", "status", "history", "owner", "owners", "list", "help"] as const;

const TOKENS = [
  "IV.KR2",
  "4.2",
  "ii.kr1",
  "on-track",
  "at-risk",
  "done",
  "40%",
  "120%",
  "trainers=25",
  "trainers=abc",
  "=5",
  "teachers_reached=7,000",
  "foo=1",
  "note",
  "words",
  "@bob",
  "<@U123>",
] as const;

/** A valid token, a near miss, or random text; the brief's list plus a few extra near misses. */
const token = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...TOKENS) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "add",
      "remove",
      "team",
      "Growth",
      "mine",
      "IV",
      "off-track",
      "100%",
      "0%",
      "trainers=-3",
    ),
  },
  { weight: 2, arbitrary: fc.string() },
);

/** `[/kr ]<command> [<ref>] <token> <token> …`, with the KR reference often in first place. */
const commandLine = fc
  .tuple(
    fc.constantFrom("", "/kr ", "kr "),
    fc.constantFrom(...COMMANDS),
    fc.option(fc.constantFrom("IV.KR2", "4.2", "ii.kr1", "II.KR1", "1.1", "IV.KR9", "IV"), {
      nil: undefined,
    }),
    fc.oneof(
      fc.array(token, { maxLength: 8 }),
      // Short, nearly valid lines, so that commands that write (update, owner) also succeed sometimes.
      fc.shuffledSubarray([...TOKENS, "add", "remove", "<@U123|ann>"], { maxLength: 4 }),
    ),
  )
  .map(
    ([prefix, command, ref, tokens]) => `${prefix}${command} ${[...(ref ? [ref] : []), ...tokens].join(" ")}`,
  );

describe("dispatch properties", () => {
  it("answers any printable unicode string with a well-formed reply", async () => {
    const app = await seededApp();
    try {
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: "grapheme", maxLength: 120 }), async (line) => {
          await dispatchChecked(app, line);
        }),
        { numRuns: NUM_RUNS },
      );
    } finally {
      await app.close();
    }
  });

  it("answers any string of arbitrary code points (controls, zero-width, lone surrogates) with a reply", async () => {
    const app = await seededApp();
    try {
      const line = fc.string({ unit: fc.oneof(anyCodePoint, trickyChar), maxLength: 120 });
      await fc.assert(
        fc.asyncProperty(line, async (l) => {
          await dispatchChecked(app, l);
        }),
        { numRuns: NUM_RUNS },
      );
    } finally {
      await app.close();
    }
  });

  it("answers a known command followed by arbitrary code points with a reply", async () => {
    const app = await seededApp();
    try {
      const line = fc
        .tuple(
          fc.constantFrom(...COMMANDS),
          fc.string({ unit: fc.oneof(anyCodePoint, trickyChar, fc.constantFrom(...TOKENS)), maxLength: 40 }),
        )
        .map(([command, rest]) => `${command} ${rest}`);
      await fc.assert(
        fc.asyncProperty(line, async (l) => {
          await dispatchChecked(app, l);
        }),
        { numRuns: NUM_RUNS },
      );
    } finally {
      await app.close();
    }
  });

  it("answers random mixes of valid and invalid update tokens with a reply", async () => {
    const app = await seededApp();
    try {
      const line = fc.array(token, { maxLength: 10 }).map((tokens) => `update ${tokens.join(" ")}`);
      await fc.assert(
        fc.asyncProperty(line, async (l) => {
          await dispatchChecked(app, l);
        }),
        { numRuns: NUM_RUNS },
      );
    } finally {
      await app.close();
    }
  });

  it("never changes the store when the reply is an error, for any command and token mix", async () => {
    const app = await seededApp();
    const tally = new Map<string, number>();
    try {
      await fc.assert(
        fc.asyncProperty(commandLine, async (l) => {
          await dispatchChecked(app, l, tally);
        }),
        { numRuns: NUM_RUNS },
      );
    } finally {
      await app.close();
    }
    // The property is only meaningful if both sides were exercised.
    expect(tally.get("error") ?? 0).toBeGreaterThan(0);
    expect((tally.get("success") ?? 0) + (tally.get("info") ?? 0)).toBeGreaterThan(0);
  });
});
