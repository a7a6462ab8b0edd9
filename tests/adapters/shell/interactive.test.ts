import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { runShell } from "../../../src/adapters/shell/index.ts";
import { ALICE, createTestApp } from "../../helpers/app.ts";

/** A stream pair that claims to be a terminal, as process.stdin/stdout do in a real one. */
function terminal() {
  const input = Object.assign(new PassThrough(), { isTTY: true });
  const output = Object.assign(new PassThrough(), { isTTY: true, columns: 100 });
  let written = "";
  output.on("data", (chunk: Buffer) => {
    written += chunk.toString("utf8");
  });
  return { input, output, written: () => written };
}

describe("interactive shell", () => {
  const app = createTestApp();
  afterAll(() => app.close());

  it("greets, prompts, answers in colour, and quits on exit", async () => {
    const t = terminal();
    const done = runShell(app.core, t, ALICE);
    t.input.write("status IV.KR2\r");
    await new Promise((r) => setTimeout(r, 100));
    t.input.write("exit\r");
    await done;
    const out = t.written();
    expect(out).toContain("krbot shell. Type `help` for commands");
    expect(out).toContain("kr> ");
    expect(out).toContain("\x1b[1mIV.KR2 Reading Wikipedia in the Classroom expansion\x1b[0m");
  });
});
