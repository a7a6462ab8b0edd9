import { describe, expect, it } from "vitest";
import { answerWithinDeadline } from "../../src/adapters/respond.ts";

/** Records which of the three answers the helper chose, in order. */
function recorder() {
  const steps: string[] = [];
  return {
    steps,
    answer: {
      inTime: async (r: string) => void steps.push(`in time: ${r}`),
      defer: async () => void steps.push("defer"),
      late: async (r: string) => void steps.push(`late: ${r}`),
    },
  };
}

const resolveAfter = (ms: number, value: string) =>
  new Promise<string>((r) => setTimeout(() => r(value), ms));

describe("answering within a platform's deadline or deferring (shared by Slack and Discord)", () => {
  it("answers directly when the work is done before the deadline, and never defers", async () => {
    const { steps, answer } = recorder();
    expect(await answerWithinDeadline(resolveAfter(5, "quick"), 200, answer)).toBe("quick");
    expect(steps).toEqual(["in time: quick"]);
  });

  it("defers at the deadline and answers the late way once the work is done", async () => {
    const { steps, answer } = recorder();
    expect(await answerWithinDeadline(resolveAfter(80, "slow"), 10, answer)).toBe("slow");
    expect(steps).toEqual(["defer", "late: slow"]);
  });

  it("passes a failure of the work on without answering", async () => {
    const { steps, answer } = recorder();
    await expect(answerWithinDeadline(Promise.reject(new Error("boom")), 50, answer)).rejects.toThrow("boom");
    expect(steps).toEqual([]);
  });
});
