import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliRun, runKrbot, runScript } from "../helpers/krbot-cli.ts";

/** One clear `krbot: …` line on stderr, exit 1, and never a stack trace. */
function expectOneLineError(r: CliRun, ...parts: string[]) {
  expect(r.code, r.stderr).toBe(1);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr.trim().split("\n")).toHaveLength(1);
  expect(r.stderr).toMatch(/^krbot: /);
  for (const p of parts) expect(r.stderr).toContain(p);
}

function workspaces(file: string): string[] {
  const db = new Database(file, { readonly: true });
  try {
    return db
      .prepare("select platform || ':' || external_id from workspaces order by id")
      .pluck()
      .all() as string[];
  } finally {
    db.close();
  }
}

describe("krbot command-line subcommands (child process)", () => {
  let dir = "";
  let db = "";
  let env: Record<string, string> = {};
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "krbot-cli-"));
    db = join(dir, "krbot.db");
    env = { DATABASE_URL: db };
    const seeded = await runScript(["/kr update II.KR1 on-track 40% first pass"], env);
    expect(seeded.code, seeded.stderr).toBe(0);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("plan export --output into a folder that does not exist says so in one line", async () => {
    const target = join(dir, "missing", "x.yaml");
    const r = await runKrbot(["plan", "export", "--output", target], { env });
    expectOneLineError(r, `cannot write ${target}`, "does not exist");
    expect(existsSync(join(dir, "missing"))).toBe(false);
  });

  it("backup into a path under a file says that the path is a file, in one line", async () => {
    const file = join(dir, "not-a-folder");
    writeFileSync(file, "x");
    const r = await runKrbot(["backup", join(file, "krbot.db")], { env });
    expectOneLineError(r, `${file} is a file, not a folder`);
  });

  it("backup refuses to overwrite an existing file without --force, and replaces it with --force", async () => {
    const target = join(dir, "existing.db");
    writeFileSync(target, "precious");
    const refused = await runKrbot(["backup", target], { env });
    expectOneLineError(refused, `${target} already exists; pass --force to overwrite it`);
    expect(readFileSync(target, "utf8")).toBe("precious");

    const forced = await runKrbot(["backup", target, "--force"], { env });
    expect(forced.code, forced.stderr).toBe(0);
    const copy = new Database(target, { readonly: true });
    expect(copy.prepare("select count(*) from checkins").pluck().get()).toBe(1);
    copy.close();
  });

  it("plan export --output refuses to overwrite an existing file without --force", async () => {
    const target = join(dir, "plan.yaml");
    writeFileSync(target, "hand-edited");
    expectOneLineError(await runKrbot(["plan", "export", "-o", target], { env }), "--force");
    expect(readFileSync(target, "utf8")).toBe("hand-edited");
    expect((await runKrbot(["plan", "export", "-o", target, "--force"], { env })).code).toBe(0);
    expect(readFileSync(target, "utf8")).toMatch(/^id: thriving-movement-2021-22$/m);
  });

  it("schedule simulate with reversed dates says they are reversed", async () => {
    const r = await runKrbot(["schedule", "simulate", "--from", "2027-04-15", "--to", "2027-03-01"], { env });
    expectOneLineError(r, "the dates are reversed: --from 2027-04-15 is after --to 2027-03-01");
    expect(r.stderr).not.toContain("Nothing is scheduled");
  });

  it.each([
    [["plan", "export", "--workspace", "slack:TYPO"]],
    [["export", "checkins", "--workspace", "slack:TYPO"]],
    [["schedule", "simulate", "--from", "2027-03-01", "--to", "2027-03-02", "--workspace", "slack:TYPO"]],
    [["reminders", "log", "--workspace", "slack:TYPO"]],
  ])("read-only %j never creates the workspace, and lists the known ones", async (args) => {
    const r = await runKrbot(args, { env });
    expectOneLineError(r, "there is no workspace slack:TYPO", "known workspaces: shell:local");
    expect(r.stdout).toBe("");
    expect(workspaces(db)).toEqual(["shell:local"]);
  });

  it("a DATABASE_URL under a file is one line naming the variable", async () => {
    const file = join(dir, "db-is-a-file");
    writeFileSync(file, "x");
    const r = await runKrbot(["migrate"], { env: { DATABASE_URL: join(file, "krbot.db") } });
    expectOneLineError(r, "DATABASE_URL: cannot open", "is a file, not a folder");
  });

  it("read-only commands never create a database at a mistyped DATABASE_URL", async () => {
    const typo = join(dir, "krbto.db");
    const r = await runKrbot(["plan", "export"], { env: { DATABASE_URL: typo } });
    expectOneLineError(r, `there is no database at ${typo}`);
    expect(existsSync(typo)).toBe(false);
  });

  it.each([
    [
      ["backup", join("x", "y.db"), "--replace"],
      "--replace does not apply here; usage: krbot backup FILE [--force]",
    ],
    [["export", "checkins", "--format", "xml"], "--format: expected csv or json"],
    [
      ["export", "checkins", "--since", "2022-02-30"],
      '--since: give a date as YYYY-MM-DD, like 2027-03-01 (got "2022-02-30")',
    ],
    [["plan", "import"], "name a plan file, or - to read standard input"],
    [
      ["plan", "import", "/nonexistent/plan.yaml"],
      "cannot read the plan file /nonexistent/plan.yaml: no such file",
    ],
    [["plan", "export", "--force"], "--force goes with --output FILE"],
    [["reminders", "log", "extra"], 'unexpected "extra"'],
    [["migrate", "--workspace", "shell:local"], "--workspace does not apply here"],
  ])("rejects %j with one line: %s", async (args, message) => {
    expectOneLineError(await runKrbot(args as string[], { env }), message as string);
  });

  it("an option without its value is one line, not a stack trace", async () => {
    const r = await runKrbot(["plan", "export", "--output"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("--output");
  });

  it("export checkins gives progress in percent in JSON, under the same field names as the CSV", async () => {
    const json = await runKrbot(["export", "checkins", "--format", "json"], { env });
    const csv = await runKrbot(["export", "checkins"], { env });
    expect(json.code, json.stderr).toBe(0);
    const [row] = JSON.parse(json.stdout);
    expect(row).toMatchObject({ kr: "II.KR1", status: "on_track", progress_pct: 40, reported_pct: 40 });
    expect(row).not.toHaveProperty("progress");
    const [header, line] = csv.stdout.trim().split("\r\n");
    const cells = Object.fromEntries(
      (header as string).split(",").map((h, i) => [h, (line as string).split(",")[i]]),
    );
    expect(cells.progress_pct).toBe(String(row.progress_pct));
    expect(cells.reported_pct).toBe(String(row.reported_pct));
  });
});
