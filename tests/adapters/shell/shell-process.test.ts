import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runKrbot } from "../../helpers/krbot-cli.ts";
import { THRIVING_KR_CODES } from "../../helpers/plan-facts.ts";

/** The checkout root: `bin/krbot.js` is run from here, as `npx krbot` would be. */
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const BUNDLED_PLAN = join(ROOT, "plans/thriving-movement-2021-22.yaml");
const SPAWN_TIMEOUT_MS = 15_000;

const OBJECTIVES = ["I", "II", "III", "IV", "V"];
const KR_CODES = THRIVING_KR_CODES;
const ACCEPTANCE_UPDATE = "/kr update IV.KR2 on-track trainers=25 teachers_reached=5,200 Cohort 3 certified";
/** The escape character every ANSI colour code starts with. */
const ESC = "\u001b";

/** Runs `node bin/krbot.js ...args` with `input` piped to stdin, in a clean environment that keeps colour on. */
const krbot = (args: string[], opts: { env: Record<string, string>; input?: string }) =>
  runKrbot(args, { ...opts, color: true, timeoutMs: SPAWN_TIMEOUT_MS });

/** Row count of `table` in the SQLite file at `file`, opened read-only. */
function countRows(file: string, table: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(`select count(*) as n from "${table}"`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe("krbot as a child process", () => {
  let dir = "";
  let dbPath = "";
  /** DATABASE_URL pointing into this test's own temporary directory. */
  let env: Record<string, string> = {};
  /** Feeds `lines` to the shell adapter on this test's database. */
  const shell = (lines: string[], extraEnv: Record<string, string> = {}) =>
    krbot([], { env: { ...env, ...extraEnv }, input: lines.map((l) => `${l}\n`).join("") });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "krbot-shell-"));
    dbPath = join(dir, "krbot.db");
    env = { DATABASE_URL: dbPath };
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  describe("the shell adapter with piped stdin", () => {
    it("lists all five objectives and the fifteen KR codes, exits 0 and writes nothing to stderr", async () => {
      const r = await shell(["/kr list"]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe("");
      for (const o of OBJECTIVES) expect(r.stdout).toMatch(new RegExp(`^${o}\\. \\S`, "m"));
      const codes = r.stdout.match(/^[IV]+\.KR\d\b/gm);
      expect(codes).toEqual(KR_CODES);
    });

    it("creates the database file at DATABASE_URL, folders included, on the first start", async () => {
      const nested = join(dir, "data", "sub", "krbot.db");
      expect(existsSync(nested)).toBe(false);
      const r = await krbot([], { env: { DATABASE_URL: nested }, input: "list\n" });
      expect(r.code).toBe(0);
      expect(existsSync(nested)).toBe(true);
      expect(countRows(nested, "plans")).toBe(1);
      expect(countRows(nested, "key_results")).toBe(15);
    });

    it("records the acceptance update, shows it against its targets, and a second process sees the same state", async () => {
      const first = await shell([ACCEPTANCE_UPDATE, "/kr status IV.KR2"]);
      expect(first.code).toBe(0);
      expect(first.stderr).toBe("");
      expect(first.stdout).toContain("25 / 40 trainers");
      expect(first.stdout).toContain("5,200 / 7,000 teachers");
      expect(first.stdout).toMatch(/^Progress\s+\d+%/m);
      expect(first.stdout).toMatch(/^Pace\s+\S/m);
      expect(first.stdout).toContain("Cohort 3 certified");

      const second = await shell(["/kr status IV.KR2"]);
      expect(second.code).toBe(0);
      expect(second.stdout).toContain("25 / 40 trainers");
      expect(second.stdout).toContain("5,200 / 7,000 teachers");
      expect(second.stdout).toMatch(/^Status\s+on track/m);
      const progress = (s: string) => /^Progress\s+(\d+%)/m.exec(s)?.[1];
      expect(progress(second.stdout)).toBeDefined();
      expect(progress(second.stdout)).toBe(progress(first.stdout));
      expect(second.stdout).toContain("Latest note: Cohort 3 certified");
      expect(countRows(dbPath, "checkins")).toBe(1);
    });

    it("shows every KR in /kr status, grouped under its objective's heading, in plan order", async () => {
      const r = await shell(["/kr status"]);
      expect(r.code).toBe(0);
      const lines = r.stdout.split("\n");
      const heading = (code: string) => lines.findIndex((l) => l.startsWith(`${code}. `));
      const krLine = (code: string) => lines.findIndex((l) => l.includes(` ${code} `));
      const headings = OBJECTIVES.map(heading);
      for (const [i, h] of headings.entries())
        expect(h, `heading ${OBJECTIVES[i]}`).toBeGreaterThanOrEqual(0);
      expect([...headings].sort((a, b) => a - b)).toEqual(headings);
      const krLines = KR_CODES.map(krLine);
      expect([...krLines].sort((a, b) => a - b)).toEqual(krLines);
      for (const [i, code] of KR_CODES.entries()) {
        const objective = code.split(".")[0] as string;
        const o = OBJECTIVES.indexOf(objective);
        const next = headings[o + 1] ?? lines.length;
        expect(krLines[i], code).toBeGreaterThan(headings[o] as number);
        expect(krLines[i], code).toBeLessThan(next);
      }
    });

    it("prints nothing for blank lines and # comments", async () => {
      const r = await shell(["", "   ", "# a comment", "   # an indented comment", "\t"]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe("");
      expect(r.stderr).toBe("");
      expect(countRows(dbPath, "checkins")).toBe(0);
    });

    it("answers the same whether or not a line starts with /kr, and ignores comments between commands", async () => {
      const commands = [
        "update II.KR1 at-risk 40% waiting on legal",
        "status II.KR1",
        "list IV",
        "owners IV.KR2",
        "status II",
      ];
      const withPrefix = await shell(commands.map((c) => `/kr ${c}`));
      const dir2 = mkdtempSync(join(tmpdir(), "krbot-shell-"));
      try {
        const bare = await krbot([], {
          env: { DATABASE_URL: join(dir2, "krbot.db") },
          input: commands.flatMap((c) => ["# next command", "", c]).join("\n"),
        });
        expect(withPrefix.code).toBe(0);
        expect(bare.code).toBe(0);
        expect(withPrefix.stdout).toContain("40%");
        expect(bare.stdout).toBe(withPrefix.stdout);
      } finally {
        rmSync(dir2, { recursive: true, force: true });
      }
    });

    it("writes no ANSI escape codes when stdout is a pipe, even with FORCE_COLOR set", async () => {
      const r = await shell(
        [
          ACCEPTANCE_UPDATE,
          "update II.KR1 off-track 10%",
          "status",
          "status IV.KR2",
          "list",
          "help",
          "frobnicate",
          "status XI.KR9",
        ],
        {
          FORCE_COLOR: "1",
        },
      );
      // "frobnicate" and "status XI.KR9" are refused: the script runs on, then exits 1.
      expect(r.code).toBe(1);
      expect(r.stdout).toContain("IV.KR2");
      expect(r.stdout).not.toContain(ESC);
      expect(r.stderr).not.toContain(ESC);
    });
  });

  describe("plan import and export", () => {
    it("exports YAML that another database imports from stdin and exports byte-identically", async () => {
      expect((await shell(["/kr list"])).code).toBe(0);
      const exported = await krbot(["plan", "export"], { env });
      expect(exported.code).toBe(0);
      expect(exported.stdout).toMatch(/^id: thriving-movement-2021-22$/m);
      expect(parse(exported.stdout)).toEqual(parse(readFileSync(BUNDLED_PLAN, "utf8")));

      const otherDb = join(dir, "other.db");
      const imported = await krbot(["plan", "import", "-"], {
        env: { DATABASE_URL: otherDb },
        input: exported.stdout,
      });
      expect(imported.code).toBe(0);
      expect(imported.stderr).toContain("15 key results");

      const again = await krbot(["plan", "export"], { env: { DATABASE_URL: otherDb } });
      expect(again.code).toBe(0);
      expect(again.stdout).toBe(exported.stdout);
    });

    it("refuses to import over a database that already has the plan, pointing at --replace, and keeps its check-ins", async () => {
      const seeded = await shell(["update IV.KR2 trainers=25"]);
      expect(seeded.code).toBe(0);

      const r = await krbot(["plan", "import", BUNDLED_PLAN], { env });
      expect(r.code).not.toBe(0);
      expect(r.stderr).toContain("--replace");
      expect(r.stderr).not.toMatch(/^\s+at /m);
      expect(countRows(dbPath, "checkins")).toBe(1);
      expect(countRows(dbPath, "plans")).toBe(1);
    });

    it("rejects a bad plan file with exit 1, the path of each problem, and writes nothing", async () => {
      const doc = parse(readFileSync(BUNDLED_PLAN, "utf8"));
      doc.objectives[2].key_results[0].metrics = [
        { key: "grants", label: "Grants", unit: "grants", baseline: 0, target: 10, comparator: "at_least" },
        {
          key: "groups",
          label: "Groups",
          unit: "groups",
          baseline: 0,
          target: "ten",
          comparator: "at_least",
        },
      ];
      const bad = join(dir, "bad.yaml");
      writeFileSync(bad, stringify(doc));

      const r = await krbot(["plan", "import", bad], { env });
      expect(r.code).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("bad.yaml");
      expect(r.stderr).toMatch(
        /^\s*-?\s*objectives\[2\]\.key_results\[0\]\.metrics\[1\]\.target: expected a number$/m,
      );
      expect(r.stderr).not.toMatch(/^\s+at /m);
      if (existsSync(dbPath)) expect(countRows(dbPath, "plans")).toBe(0);
    });
  });

  describe("database maintenance", () => {
    it("backs up to a SQLite file that holds the check-ins", async () => {
      const seeded = await shell([ACCEPTANCE_UPDATE, "update II.KR1 at-risk 40%"]);
      expect(seeded.code).toBe(0);
      const backup = join(dir, "krbot-backup.db");
      const r = await krbot(["backup", backup], { env });
      expect(r.code).toBe(0);
      expect(existsSync(backup)).toBe(true);
      expect(countRows(backup, "checkins")).toBe(2);
      const db = new Database(backup, { readonly: true });
      try {
        const row = db
          .prepare(
            "select m.current_value as v from metrics m join key_results k on k.id = m.kr_id where k.code = 'IV.KR2' and m.key = 'teachers_reached'",
          )
          .get();
        expect(row).toEqual({ v: 5200 });
      } finally {
        db.close();
      }
    });

    it("backs up into a folder that does not exist yet, or says so in one line without a stack trace", async () => {
      expect((await shell(["/kr list"])).code).toBe(0);
      const backup = join(dir, "backups", "krbot-backup.db");
      const r = await krbot(["backup", backup], { env });
      if (r.code === 0) {
        expect(countRows(backup, "checkins")).toBe(0);
      } else {
        expect(r.stderr).not.toMatch(/^\s+at /m);
        expect(r.stderr.trim().split("\n")).toHaveLength(1);
        expect(r.stderr).toContain(join(dir, "backups"));
      }
    });

    it("migrate creates the schema in an empty path", async () => {
      const fresh = join(dir, "empty", "krbot.db");
      const r = await krbot(["migrate"], { env: { DATABASE_URL: fresh } });
      expect(r.code).toBe(0);
      const db = new Database(fresh, { readonly: true, fileMustExist: true });
      try {
        const tables = (
          db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]
        ).map((t) => t.name);
        expect(tables).toEqual(
          expect.arrayContaining(["workspaces", "plans", "key_results", "metrics", "checkins", "audit_log"]),
        );
      } finally {
        db.close();
      }
    });
  });

  describe("startup errors", () => {
    it.each([
      ["PORT", "abc", /expected a port number/],
      ["KRBOT_STALE_DAYS", "0", /expected at least 1 day|whole number of days/],
    ])(
      "rejects %s=%s with one line naming the variable and what is expected",
      async (name, value, expected) => {
        const r = await krbot([], { env: { ...env, [name]: value }, input: "list\n" });
        expect(r.code).not.toBe(0);
        expect(r.stdout).toBe("");
        const naming = r.stderr.split("\n").filter((l) => l.includes(name));
        expect(naming).toHaveLength(1);
        expect(naming[0]).toMatch(expected);
        expect(r.stderr).not.toMatch(/^\s+at /m);
        expect(existsSync(dbPath)).toBe(false);
      },
    );

    it("rejects a malformed SLACK_BOT_TOKEN without echoing the token", async () => {
      const r = await krbot([], { env: { ...env, SLACK_BOT_TOKEN: "nope" }, input: "list\n" });
      expect(r.code).not.toBe(0);
      const naming = r.stderr.split("\n").filter((l) => l.includes("SLACK_BOT_TOKEN"));
      expect(naming).toHaveLength(1);
      expect(naming[0]).toContain("xoxb-");
      expect(r.stderr).not.toContain("nope");
      expect(r.stdout).not.toContain("nope");
    });

    it("rejects --workspace nonsense, saying what a workspace id looks like", async () => {
      const r = await krbot(["plan", "export", "--workspace", "nonsense"], { env });
      expect(r.code).not.toBe(0);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("--workspace");
      expect(r.stderr).toContain('"nonsense"');
      expect(r.stderr).toContain("shell:local");
      expect(r.stderr).not.toMatch(/^\s+at /m);
    });

    it("prints usage for `krbot help` without touching the database", async () => {
      const r = await krbot(["help"], { env });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^Usage: krbot/);
      for (const cmd of ["start", "shell", "migrate", "plan import", "plan export", "backup FILE"])
        expect(r.stdout).toContain(cmd);
      expect(existsSync(dbPath)).toBe(false);
    });
  });
});
