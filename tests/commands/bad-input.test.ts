import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Reply } from "../../src/core/reply.ts";
import { createTestApp, textOf } from "../helpers/app.ts";

/**
 * Bad input never writes and always tells the user what to type instead. Every test dispatches one
 * line after a warm-up `list` (so seeding the workspace is not counted as a write) and compares
 * the store's snapshot before and after.
 */
describe("bad input", () => {
  let app: ReturnType<typeof createTestApp>;

  beforeEach(async () => {
    app = createTestApp();
    const warmUp = await app.run("list");
    expect(warmUp.tone).not.toBe("error");
  });

  afterEach(async () => {
    await app.close();
  });

  /** Dispatches a line that must be rejected; returns the reply's text once tone and store are checked. */
  async function rejected(line: string): Promise<{ reply: Reply; text: string }> {
    const before = app.snapshot();
    const reply = await app.run(line);
    const text = textOf(reply);
    expect(reply.tone, `reply to ${JSON.stringify(line)}: ${text}`).toBe("error");
    expect(text).not.toContain("Something went wrong");
    expect(app.snapshot(), `store changed by ${JSON.stringify(line)}`).toBe(before);
    return { reply, text };
  }

  const krByCode = async (code: string) => (await app.store.keyResults.list(1)).find((k) => k.code === code);

  describe("commands and key result references", () => {
    it("rejects an unknown command and suggests the closest one", async () => {
      const { text } = await rejected("stauts");
      expect(text).toContain("`stauts`");
      expect(text).toContain("Did you mean `/kr status`?");
    });

    it("rejects a KR number the objective doesn't have and names the objective's KRs", async () => {
      const { text } = await rejected("update IV.KR9 on-track");
      expect(text).toContain("Objective IV has no key result 9");
      expect(text).toContain("IV.KR1, IV.KR2");
    });

    it("rejects a KR in an unknown objective and suggests codes that exist", async () => {
      const { text } = await rejected("update zz.kr1 on-track");
      expect(text).toContain("`zz.kr1`");
      expect(text).toMatch(/Did you mean .*`IV?\.KR1`/);
    });

    it("rejects a title word as a KR reference and suggests the KR with that word in its title", async () => {
      const { text } = await rejected("update classroom on-track");
      expect(text).toContain("`classroom`");
      expect(text).toContain("Did you mean `IV.KR2` Reading Wikipedia in the Classroom expansion");
    });

    it("rejects an objective where a KR is needed and lists the objective's KRs", async () => {
      const { text } = await rejected("update IV on-track");
      expect(text).toContain("`IV` is an objective");
      expect(text).toContain("IV.KR1, IV.KR2");
    });
  });

  describe("metrics and percentages", () => {
    it("rejects a metric the KR doesn't have and suggests the closest key", async () => {
      const { text } = await rejected("update IV.KR2 trainer=5");
      expect(text).toContain("IV.KR2 has no metric `trainer`");
      expect(text).toContain("Did you mean `trainers`?");
      expect(text).toContain("`teachers_reached`");
    });

    it("rejects a metric on a KR tracked by % and shows how to report a %", async () => {
      const { text } = await rejected("update II.KR1 foo=3");
      expect(text).toContain("tracked by %");
      expect(text).toContain("`/kr update II.KR1 40%`");
    });

    it("rejects a % on a KR tracked by metrics and shows how to report a metric", async () => {
      const { text } = await rejected("update IV.KR2 40%");
      expect(text).toContain("a % can't be set");
      expect(text).toContain("`/kr update IV.KR2 trainers=");
    });

    it("rejects a metric value that is not a number", async () => {
      const { text } = await rejected("update IV.KR2 trainers=abc");
      expect(text).toContain("`trainers=abc`: expected a number like `25`, `7,000` or `12.5`");
    });

    it("rejects a metric value with no metric name and shows `trainers=25`", async () => {
      const { text } = await rejected("update IV.KR2 =5");
      expect(text).toContain("`=5`: put the metric name before `=`, like `trainers=25`");
    });

    it("rejects a metric name with no value and shows an example value", async () => {
      const { text } = await rejected("update IV.KR2 trainers=");
      expect(text).toContain("`trainers=`: give a value after `=`, like `trainers=25`");
    });

    it("rejects NaN as a metric value", async () => {
      const { text } = await rejected("update IV.KR2 trainers=NaN");
      expect(text).toContain("`trainers=NaN`: expected a number like `25`");
    });

    it("rejects Infinity as a metric value", async () => {
      const { text } = await rejected("update IV.KR2 trainers=Infinity");
      expect(text).toContain("`trainers=Infinity`: expected a number like `25`");
    });

    it("rejects a metric value that would overflow to Infinity (1e309)", async () => {
      const { text } = await rejected("update IV.KR2 trainers=1e309");
      expect(text).toContain("`trainers=1e309`: expected a number like `25`");
    });

    it("rejects a negative count", async () => {
      const { text } = await rejected("update IV.KR2 trainers=-3");
      expect(text).toContain("`trainers=-3`");
      expect(text).toContain("can't be negative");
    });

    it("rejects a percentage over 100%", async () => {
      const { text } = await rejected("update II.KR1 120%");
      expect(text).toContain("`120%`: progress is a percentage from 0% to 100%, like `40%`");
    });

    it("rejects a negative percentage", async () => {
      const { text } = await rejected("update II.KR1 -5%");
      expect(text).toContain("`-5%`: progress is a percentage from 0% to 100%, like `40%`");
    });
  });

  describe("status words and notes", () => {
    it("rejects a misspelt status word and lists the valid ones", async () => {
      const { text } = await rejected("update II.KR1 on-trak");
      expect(text).toContain("`on-trak`");
      expect(text).toContain("on-track, at-risk, off-track, done");
    });

    it("rejects two status words in one check-in", async () => {
      const { text } = await rejected("update II.KR1 on-track done");
      expect(text).toContain("Two status words (`on-track` and `done`): pick one.");
    });

    it("rejects a note of 2,001 characters and names the limit", async () => {
      const { text } = await rejected(`update II.KR1 40% ${"x".repeat(2001)}`);
      expect(text).toContain("Your note is 2,001 characters; the limit is 2,000");
    });

    it("accepts a note of exactly 2,000 characters", async () => {
      const note = "y".repeat(2000);
      const r = await app.run(`update II.KR1 40% ${note}`);
      expect(r.tone).toBe("success");
      expect((await krByCode("II.KR1"))?.lastNote).toBe(note);
    });

    it("strips control and zero-width characters from a note instead of storing them", async () => {
      const r = await app.run("update II.KR1 40% ok\u200Bay\u0007");
      expect(r.tone).toBe("success");
      expect((await krByCode("II.KR1"))?.lastNote).toBe("okay");
    });
  });

  describe("empty and incomplete lines", () => {
    it("answers an empty line with help, not an error", async () => {
      const before = app.snapshot();
      const r = await app.run("");
      expect(r.tone).not.toBe("error");
      expect(r.summary).toBe("krbot commands");
      expect(textOf(r)).toContain("/kr update <kr>");
      expect(app.snapshot()).toBe(before);
    });

    it("answers a whitespace-only line with help, not an error", async () => {
      const before = app.snapshot();
      const r = await app.run("  \t  \n ");
      expect(r.tone).not.toBe("error");
      expect(r.summary).toBe("krbot commands");
      expect(textOf(r)).toContain("/kr update <kr>");
      expect(app.snapshot()).toBe(before);
    });

    it("rejects an update with nothing after the KR and says what can be given", async () => {
      const { text } = await rejected("update IV.KR2");
      expect(text).toContain(
        "Tell me what changed: a status (on-track, at-risk, off-track, done), a %, metric=value pairs",
      );
      expect(text).toContain("Example: `/kr update IV.KR2 on-track trainers=25");
    });

    it("rejects an update with no arguments and shows the usage line", async () => {
      const { text } = await rejected("update");
      expect(text).toContain("Tell me which key result to update");
      expect(text).toContain(
        "Usage: `/kr update <kr> [on-track|at-risk|off-track|done] [<0-100>%] [<metric>=<number> …] [note …]`",
      );
    });
  });

  describe("other commands", () => {
    it("rejects a history count of 0", async () => {
      const { text } = await rejected("history IV.KR2 0");
      expect(text).toContain("`0`: the count is a whole number from 1 to 50");
    });

    it("rejects a history count over the maximum", async () => {
      const { text } = await rejected("history IV.KR2 500");
      expect(text).toContain("`500`: the count is a whole number from 1 to 50");
    });

    it("rejects a history count that is not a number", async () => {
      const { text } = await rejected("history IV.KR2 abc");
      expect(text).toContain("`abc`: the count is a whole number from 1 to 50");
      expect(text).toContain("Usage: `/kr history <kr> [count]`");
    });

    it("rejects adding an owner without naming the user", async () => {
      const { text } = await rejected("owner IV.KR2 add");
      expect(text).toContain("Mention the person with @");
      expect(text).toContain("`/kr owner IV.KR2 add @alice`");
    });

    it("rejects `owners` without a KR", async () => {
      const { text } = await rejected("owners");
      expect(text).toContain("Name one key result, like `/kr owners IV.KR2`");
    });

    it("rejects an unknown team and names the teams there are", async () => {
      const { text } = await rejected("status team Nonexistent");
      expect(text).toContain('There is no team called "Nonexistent"');
      expect(text).toMatch(/Teams: .*Growth/);
    });

    it("rejects a misspelt team and suggests the closest team", async () => {
      const { text } = await rejected("status team Growht");
      expect(text).toContain('Did you mean "Growth"');
    });
  });

  it("reports every problem in a line at once", async () => {
    const { text } = await rejected("update IV.KR2 trainers=abc 120%");
    expect(text).toContain("`trainers=abc`: expected a number");
    expect(text).toContain("`120%`: progress is a percentage from 0% to 100%");
  });
});
