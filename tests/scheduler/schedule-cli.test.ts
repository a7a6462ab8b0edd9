import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;

function krbot(args: string[], env: Record<string, string>, input?: string) {
  const r = spawnSync(process.execPath, ["bin/krbot.js", ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH, ...env },
    input,
    encoding: "utf8",
    timeout: 20_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("schedules from the command line", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("digest here then digest preview in the shell prints the bundled plan's digest", () => {
    dir = mkdtempSync(join(tmpdir(), "krbot-sched-"));
    const env = { DATABASE_URL: join(dir, "k.db") };
    const r = krbot(["start"], env, "/kr digest here\n/kr digest preview\n");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(
      "This channel gets a weekly digest: Mondays 09:00 UTC, covering the whole plan",
    );
    expect(r.stdout).toMatch(
      /Thriving Movement 2021–22 · \w{3} \d+ \w{3}( \d{4})? \d\d:\d\d – \w{3} \d+ \w{3} \d{4} \d\d:\d\d \(UTC\)/,
    );
    for (const code of ["I.KR1", "III.KR4", "V.KR4"]) expect(r.stdout).toContain(code);
    // The bundled plan's period ended on 2022-06-30: final results, no pace and nothing "behind".
    expect(r.stdout).toContain("Final results");
    expect(r.stdout).toContain("period ended 2022-06-30");
    expect(r.stdout).not.toContain("behind");
  });

  it("simulate shows a Monday 09:00 Berlin digest at 08:00 UTC before 28 March and 07:00 UTC after", () => {
    dir = mkdtempSync(join(tmpdir(), "krbot-sched-"));
    const env = { DATABASE_URL: join(dir, "k.db") };
    krbot(["start"], env, "/kr digest here mon 09:00 Europe/Berlin\n");
    const r = krbot(["schedule", "simulate", "--from", "2027-03-01", "--to", "2027-04-15"], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines.map((l) => l.split("  =  ")[1]?.slice(0, 20))).toEqual([
      "2027-03-01 08:00 UTC",
      "2027-03-08 08:00 UTC",
      "2027-03-15 08:00 UTC",
      "2027-03-22 08:00 UTC",
      "2027-03-29 07:00 UTC",
      "2027-04-05 07:00 UTC",
      "2027-04-12 07:00 UTC",
    ]);
    expect(lines[0]).toMatch(/^Mon 2027-03-01 09:00 Europe\/Berlin/);
  });

  it("simulate and reminders log explain bad input and empty results", () => {
    dir = mkdtempSync(join(tmpdir(), "krbot-sched-"));
    const env = { DATABASE_URL: join(dir, "k.db") };
    const bad = krbot(["schedule", "simulate", "--from", "March"], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('--from: give a date as YYYY-MM-DD, like 2027-03-01 (got "March")');
    krbot(["start"], env, "/kr list\n");
    const log = krbot(["reminders", "log"], env);
    expect(log.code).toBe(0);
    expect(log.stderr).toContain("No reminder decisions yet.");
  });
});
