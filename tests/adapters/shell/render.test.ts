import { describe, expect, it } from "vitest";
import { bar, renderText } from "../../../src/adapters/shell/render.ts";
import type { Reply } from "../../../src/core/reply.ts";

const reply: Reply = {
  summary: "IV.KR2 checked in",
  visibility: "channel",
  tone: "success",
  blocks: [
    { kind: "heading", text: "IV.KR2 Reading Wikipedia in the Classroom" },
    {
      kind: "fields",
      items: [
        { label: "Status", value: "on track" },
        { label: "Progress", value: "23%" },
      ],
    },
    {
      kind: "progress",
      label: "Certified RWC trainers (trainers)",
      ratio: 0.625,
      status: "on_track",
      note: "25 / 40 trainers",
    },
    { kind: "text", markdown: "Use `/kr status` for *everything*" },
    { kind: "context", text: "Cohort 3 certified" },
    {
      kind: "actions",
      items: [
        { id: "a", label: "Check in" },
        { id: "b", label: "Snooze" },
      ],
    },
  ],
};

describe("shell renderer", () => {
  it("draws progress bars with characters, rounding to the nearest cell and clamping", () => {
    expect(bar(0.625, 8)).toBe("█████░░░");
    expect(bar(1.7, 4)).toBe("████");
    expect(bar(-1, 4)).toBe("░░░░");
    expect(bar(Number.NaN, 4)).toBe("░░░░");
  });

  it("renders plain text without colour codes, leaving out buttons", () => {
    expect(renderText(reply, { color: false })).toBe(
      [
        "✓ IV.KR2 Reading Wikipedia in the Classroom",
        "Status    on track",
        "Progress  23%",
        "█████████████░░░░░░░ Certified RWC trainers (trainers)",
        "                     25 / 40 trainers",
        "Use /kr status for everything",
        "Cohort 3 certified",
      ].join("\n"),
    );
  });

  it("colours by status and tone only when asked", () => {
    const out = renderText(reply, { color: true });
    expect(out).toContain("\x1b[32m█████████████░░░░░░░\x1b[0m");
    expect(out.startsWith("\x1b[32m✓ \x1b[0m\x1b[1mIV.KR2")).toBe(true);
  });

  it("separates headings after the first with a blank line", () => {
    const out = renderText(
      {
        summary: "",
        visibility: "ephemeral",
        tone: "info",
        blocks: [
          { kind: "heading", text: "A" },
          { kind: "heading", text: "B" },
        ],
      },
      { color: false },
    );
    expect(out).toBe("A\n\nB");
  });
});
