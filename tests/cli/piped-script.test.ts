import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runScript } from "../helpers/krbot-cli.ts";

describe("a script piped into the shell (child process)", () => {
  let dir = "";
  let env: Record<string, string> = {};
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "krbot-script-"));
    env = { DATABASE_URL: join(dir, "krbot.db"), KRBOT_RATE_LIMIT: "20" };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("runs every line of a script longer than the per-user rate limit: the local operator is not limited", async () => {
    const lines = Array.from({ length: 30 }, (_, i) => `/kr update IV.KR2 trainers=${i + 1}`);
    const r = await runScript([...lines, "/kr history IV.KR2 30"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).not.toContain("faster than");
    expect(r.stdout.match(/^✓ IV\.KR2 /gm)).toHaveLength(30);
    expect(r.stdout).toContain("30 / 40 trainers");
    expect(r.stderr).toBe("");
  }, 60_000);

  it("exits 1 when a line was refused, after still running the lines after it, and names the line", async () => {
    const r = await runScript(
      [
        "/kr update IV.KR2 trainers=5",
        "# a comment",
        "/kr update XI.KR9 10%",
        "/kr frobnicate",
        "/kr update IV.KR2 trainers=7",
      ],
      env,
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("7 / 40 trainers");
    expect(r.stderr.trim()).toBe("krbot: 2 lines failed or were refused (line 3, 4); exit code 1");
  }, 60_000);

  it("exits 0 when every line succeeded", async () => {
    const r = await runScript(["/kr list", "", "/kr status IV.KR2"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe("");
  }, 60_000);
});
