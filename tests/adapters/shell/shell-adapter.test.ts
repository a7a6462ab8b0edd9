import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { ShellAdapter } from "../../../src/adapters/shell/index.ts";
import type { ChatAdapter } from "../../../src/core/adapter.ts";
import { reply } from "../../../src/core/reply.ts";
import { ALICE, createTestApp } from "../../helpers/app.ts";

/** Piped stdio (not a terminal), with everything written collected. */
function pipe() {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = "";
  output.on("data", (chunk: Buffer) => {
    written += chunk.toString("utf8");
  });
  return { input, output, written: () => written };
}

describe("the shell is a ChatAdapter like Slack's and Discord's", () => {
  const app = createTestApp();
  const filesDir = mkdtempSync(join(tmpdir(), "krbot-shell-adapter-"));
  afterAll(async () => {
    await app.close();
    rmSync(filesDir, { recursive: true, force: true });
  });

  it("starts without waiting for input, answers each piped line, and reports the refused ones when input ends", async () => {
    const io = pipe();
    const shell = new ShellAdapter(io, { actor: ALICE, filesDir });
    const adapter: ChatAdapter = shell;
    await adapter.start(app.core);
    io.input.end("status IV.KR2\nfrobnicate\n");
    const summary = await shell.finished();
    await adapter.stop();
    expect(summary).toEqual({ interactive: false, failedLines: [2] });
    expect(io.written()).toContain("IV.KR2 Reading Wikipedia in the Classroom expansion");
    expect(io.written()).toContain("frobnicate");
  });

  it("posts what a schedule would send by printing it, naming where it would go", async () => {
    const io = pipe();
    const shell = new ShellAdapter(io, { filesDir });
    const sent = await shell.post("ws", { channelId: "okrs" }, reply("Weekly digest"));
    expect(sent).toEqual({ messageId: "shell-1", channelId: "okrs" });
    expect(io.written()).toContain("── krbot would post · #okrs ──");
    expect(io.written()).toContain("Weekly digest");
  });

  it("stops reading when stopped before its input ends", async () => {
    const io = pipe();
    const shell = new ShellAdapter(io, { actor: ALICE, filesDir });
    await shell.start(app.core);
    io.input.write("status IV.KR2\n");
    await shell.stop();
    expect((await shell.finished()).interactive).toBe(false);
  });
});
