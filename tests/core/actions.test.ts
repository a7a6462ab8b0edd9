import { describe, expect, it } from "vitest";
import { ACTION_ID, decodeAction, encodeAction } from "../../src/core/actions.ts";

describe("button action ids", () => {
  it("round-trip through encode and decode, in the format posted messages already carry", () => {
    expect(encodeAction({ kind: "update", kr: "IV.KR2" })).toBe("update:IV.KR2");
    expect(encodeAction({ kind: "snooze", kr: "III.KR3" })).toBe("snooze:III.KR3");
    for (const a of [
      { kind: "update", kr: "IV.KR2" },
      { kind: "update", kr: "" },
      { kind: "snooze", kr: "III.KR3" },
    ] as const)
      expect(decodeAction(encodeAction(a))).toEqual(a);
  });

  it("ignores what follows the KR, such as a renderer's uniqueness suffix", () => {
    expect(decodeAction("update:II.KR1:2")).toEqual({ kind: "update", kr: "II.KR1" });
    expect(decodeAction("update:II.KR1:2:3")).toEqual({ kind: "update", kr: "II.KR1" });
  });

  it("passes an odd KR part on for the command to resolve (and refuse with hints)", () => {
    expect(decodeAction("update:'; DROP TABLE x")).toEqual({ kind: "update", kr: "'; DROP TABLE x" });
    expect(decodeAction("snooze:")).toEqual({ kind: "snooze", kr: "" });
  });

  it("reads nothing from ids krbot did not make", () => {
    for (const id of ["undo", "delete:IV.KR2", "", "krbot:update-select", ":IV.KR2"])
      expect(decodeAction(id)).toBeUndefined();
    expect(ACTION_ID.test("krbot:update-select")).toBe(false);
  });
});
