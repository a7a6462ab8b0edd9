/**
 * Hostile input through the shell's real entry point: lines read by `runShell` (src/adapters/shell) from
 * a stream, as `krbot shell` reads stdin, and finally the same lines piped into a `krbot shell` child.
 *
 * Every line gets a clear reply (asserted) or, for blank lines, comments and `exit`, no output at all; the
 * shell keeps answering `status` afterwards; nothing is written (the whole database is compared before
 * and after) — except where the line is a valid check-in by design: then exactly one check-in is added,
 * with the note stored clean.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runShell } from "../../src/adapters/shell/index.ts";
import type { Actor } from "../../src/core/invocation.ts";
import { createTestApp, MID_PLAN } from "../helpers/app.ts";
import { runKrbot } from "../helpers/krbot-cli.ts";
import {
  BIG,
  changedTables,
  INVISIBLE,
  LONG_REF,
  MANY_METRICS,
  SQL_DROP,
  SQL_OR,
  U,
  workspaceKeys,
} from "./corpus.ts";

/** The person at the keyboard: the shell's local user administers its workspace. */
const ME: Actor = { id: "tester", name: "tester", timezone: "Europe/Berlin", isAdmin: true };

type Outcome = { reply: RegExp } | { silent: true };

interface Case {
  name: string;
  /** What is typed: one line (a newline is added) or raw bytes. */
  line: string | Buffer;
  expect: Outcome;
  /** A valid check-in by design: one more check-in, with this note. */
  writes?: { note: string | RegExp };
}

let app: ReturnType<typeof createTestApp>;
let filesDir: string;

/** Feeds `input` to runShell and returns everything it printed. */
async function shell(input: string | Buffer): Promise<string> {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  let out = "";
  stdout.setEncoding("utf8").on("data", (d: string) => {
    out += d;
  });
  const done = runShell(app.core, { input: stdin, output: stdout }, ME, filesDir);
  stdin.end(input);
  await done;
  return out;
}

const checkInCount = () =>
  (app.store.db.$client.prepare("select count(*) as n from checkins").get() as { n: number }).n;
const lastNote = () =>
  (
    app.store.db.$client.prepare("select note from checkins order by id desc limit 1").get() as {
      note: string;
    }
  ).note;

/** Control characters (other than newline and tab) and bidi controls: never printed to a terminal. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNSAFE_FOR_TERMINAL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/;

async function runCase(c: Case): Promise<void> {
  const before = app.snapshot();
  const workspaces = workspaceKeys(app.store);
  const count = checkInCount();
  const out = await shell(typeof c.line === "string" ? `${c.line}\n` : c.line);
  const what = `${c.name}: printed ${JSON.stringify(out.slice(0, 300))}`;
  if ("silent" in c.expect) {
    expect(out, what).toBe("");
  } else {
    expect(out, what).toMatch(c.expect.reply);
    expect(out, what).not.toContain("Something went wrong");
    expect(out, what).not.toMatch(UNSAFE_FOR_TERMINAL);
  }
  if (c.writes) {
    expect(checkInCount(), `${c.name}: check-ins added`).toBe(count + 1);
    const note = lastNote();
    if (typeof c.writes.note === "string") expect(note).toBe(c.writes.note);
    else expect(note).toMatch(c.writes.note);
    expect(note).not.toMatch(INVISIBLE);
  } else {
    expect(changedTables(before, app.snapshot()), `${c.name}: tables written`).toEqual([]);
  }
  expect(workspaceKeys(app.store)).toEqual(workspaces);
  expect(await shell("status\n")).toContain("15 key results");
}

beforeAll(async () => {
  app = createTestApp({ now: MID_PLAN });
  filesDir = mkdtempSync(join(tmpdir(), "krbot-hostile-shell-"));
  // Warm-up: the first command seeds the local workspace; that write is not any case's.
  expect(await shell("status\n")).toContain("15 key results");
});
afterAll(() => {
  app?.close();
  if (filesDir) rmSync(filesDir, { recursive: true, force: true });
});

const UNKNOWN_KR = /I don't know a key result called/;
const CHECKED_IN = /II\.KR1 Replace public display[\s\S]*Checked in by\s+tester/;
const reply = (name: string, line: string | Buffer, pattern: RegExp): Case => ({
  name,
  line,
  expect: { reply: pattern },
});
const write = (name: string, line: string, note: string | RegExp, pattern = CHECKED_IN): Case => ({
  name,
  line,
  expect: { reply: pattern },
  writes: { note },
});
const silent = (name: string, line: string | Buffer): Case => ({ name, line, expect: { silent: true } });

const oversized: Case[] = [
  reply("a 100 KB line", BIG, /There is no command/),
  reply("a 1 MB line", "x".repeat(1_000_000), /There is no command/),
  reply("a 100 KB status argument", `status ${BIG}`, UNKNOWN_KR),
  reply("a 100 KB note", `update II.KR1 40% ${BIG}`, /limit is 2,000/),
  reply("a 10,000-char KR in update", `update ${LONG_REF} 40%`, /Objective IV has no key result/),
  reply("a 10,000-char KR in status", `status ${LONG_REF}`, /Objective IV has no key result/),
  reply("a 10,000-char KR in history", `history ${LONG_REF}`, /Objective IV has no key result/),
  reply("a 10,000-char KR in owners", `owners ${LONG_REF}`, /Objective IV has no key result/),
  reply(
    "a 10,000-char KR in snooze",
    `snooze ${LONG_REF} until 2022-01-09`,
    /Objective IV has no key result/,
  ),
  reply("3,000 metric pairs", `update IV.KR2 ${MANY_METRICS}`, /IV\.KR2 has no metric m0/),
  reply("a 10,000-digit metric value", `update IV.KR2 trainers=${"9".repeat(10_000)}`, /expected a number/),
  reply("3,000 percentages", `update II.KR1 ${"40% ".repeat(3000)}`, /Two percentages/),
  reply("a 100 KB help topic", `help ${BIG}`, /There is no command/),
  reply("a 100 KB team", `status team ${BIG}`, /There is no team called/),
  reply("a 100 KB objective", `list ${BIG}`, /There is no objective/),
];

const malformed: Case[] = [
  reply("two status words", "update II.KR1 on-track off-track", /Two status words/),
  reply("140%", "update II.KR1 140%", /progress is a percentage/),
  reply("-5%", "update II.KR1 -5%", /progress is a percentage/),
  reply("NaN%", "update II.KR1 NaN%", /progress is a percentage/),
  reply("trainers=1e308", "update IV.KR2 trainers=1e308", /expected a number/),
  reply("trainers=-5", "update IV.KR2 trainers=-5", /can't be negative/),
  reply("trainers=Infinity", "update IV.KR2 trainers=Infinity", /expected a number/),
  reply("trainers=0x10", "update IV.KR2 trainers=0x10", /expected a number/),
  reply("=5 with no metric name", "update IV.KR2 =5", /put the metric name before/),
  reply("trainers= with no value", "update IV.KR2 trainers=", /give a value after/),
  reply("the same metric twice", "update IV.KR2 trainers=1 trainers=2", /given twice/),
  reply("a metric on a %-tracked KR", "update II.KR1 trainers=5", /has no metrics/),
  reply("a % on a metric KR", "update IV.KR2 40%", /progress comes from its metrics/),
  reply("update with nothing to say", "update II.KR1", /Tell me what changed/),
  reply("an unknown command", "frobnicate", /There is no command frobnicate/),
  reply("/kr /kr /kr", "/kr /kr /kr", /There is no command kr\./),
  reply("quit with arguments is not quit", "quit now", /There is no command quit/),
];

const unicode: Case[] = [
  reply("an RTL override before the KR", `status ${U.rtl.slice(0, 1)}IV.KR2`, /IV\.KR2 Reading Wikipedia/),
  reply("an RLM after the KR", `status IV.KR2${U.rlm}`, /IV\.KR2 Reading Wikipedia/),
  reply("a zero-width space before the command", `${U.zwsp}status IV.KR2`, /IV\.KR2 Reading Wikipedia/),
  reply("a BOM before the command", `${U.bom}status IV.KR2`, /IV\.KR2 Reading Wikipedia/),
  reply("a NUL inside the command", `sta${U.nul}tus IV.KR2`, /IV\.KR2 Reading Wikipedia/),
  reply("a combining accent in the KR", "status I\u0301V.KR2", UNKNOWN_KR),
  reply("zalgo as the KR", `status ${U.zalgo}`, UNKNOWN_KR),
  reply("an emoji KR", "status 🚀.KR2", UNKNOWN_KR),
  // Codes are normalised (NFKC) before lookup, so full-width digits name the same KR.
  reply("full-width digits as the KR (４.２)", `status ${U.fullwidthRef}`, /IV\.KR2 Reading Wikipedia/),
  reply("a full-width metric value", "update IV.KR2 trainers=４２", /expected a number/),
  reply("a lone surrogate as the KR", `status ${U.loneHigh}`, UNKNOWN_KR),
  reply("a lone low surrogate as the KR", `status ${U.loneLow}`, UNKNOWN_KR),
  reply(
    "invalid UTF-8 bytes as the KR",
    Buffer.concat([Buffer.from("status "), Buffer.from([0xff, 0xfe, 0xed, 0xa0, 0x80]), Buffer.from("\n")]),
    UNKNOWN_KR,
  ),
  reply("an NBSP between command and KR", `status${U.nbsp}IV.KR2`, /IV\.KR2 Reading Wikipedia/),
  reply("a tab between command and KR", "status\tIV.KR2", /IV\.KR2 Reading Wikipedia/),
  reply("a CRLF line ending", "status IV.KR2\r", /IV\.KR2 Reading Wikipedia/),
  reply("a full-width command", "ＳＴＡＴＵＳ", /There is no command/),
  reply("terminal escapes as the KR", `status ${U.esc}IV.KR2`, UNKNOWN_KR),
  reply("an OSC title escape as the KR", "status \u001b]0;pwned\u0007", UNKNOWN_KR),
  write("emoji in a note", "update II.KR1 41% 🚀 shipped 👩‍👩‍👧‍👦", "🚀 shipped 👩‍👩‍👧‍👦"),
  write("an RTL override in a note", `update II.KR1 42% ${U.rtl} text`, "evil text"),
  write("combining characters in a note (stored NFC)", "update II.KR1 43% cafe\u0301", "café"),
  write("a NUL in a note", "update II.KR1 44% a\u0000b", "ab"),
  write("a lone surrogate in a note", `update II.KR1 45% bad ${U.loneHigh} surrogate`, /^bad .? ?surrogate$/),
  write(
    "terminal escapes in a note",
    `update II.KR1 46% ${U.esc}ansi \u001b]0;pwned\u0007`,
    "[2J[31mansi ]0;pwned",
  ),
  write("NBSPs as separators", `update${U.nbsp}II.KR1${U.nbsp}47%${U.nbsp}nbsp`, "nbsp"),
  write(
    "a zero-width space inside a metric name",
    `update IV.KR2 train${U.zwsp}ers=28`,
    "",
    /IV\.KR2 Reading Wikipedia[\s\S]*Checked in by\s+tester/,
  ),
];

const sql: Case[] = [
  reply("SQL as the status argument", `status ${SQL_DROP}`, /takes one thing to look at/),
  reply("SQL as the KR of an update", `update ${SQL_DROP} 40%`, UNKNOWN_KR),
  reply("SQL in a metric value", "update IV.KR2 trainers=1' OR '1'='1", /expected a number/),
  reply("SQL as a team", `status team ${SQL_OR}`, /There is no team called/),
  reply("SQL as a history count", "history ' OR 1=1 --", /the count is a whole number/),
  reply("SQL as owners' KR", `owners ${SQL_OR}`, /Name one key result/),
  reply("SQL as a help topic", `help ${SQL_DROP}`, /takes at most one command name/),
  reply("SQL as an objective", "list ' OR 1=1", /takes at most one objective/),
  reply("SQL as an away date", "away until '; DROP TABLE", /Type `until` and a date|Type until and a date/),
  reply("SQL as a setting", "settings updates '; DROP", /settings/),
  reply("SQL as a digest action", `digest ${SQL_DROP}`, /digest/),
  reply("SQL as a snooze date", `snooze II.KR1 until ${SQL_DROP}`, /./),
  write("SQL in a note (stored verbatim)", `update II.KR1 48% ${SQL_DROP}`, SQL_DROP),
  write('" OR 1=1 in a note (stored verbatim)', `update II.KR1 49% ${SQL_OR}`, SQL_OR),
];

const injection: Case[] = [
  reply("<!channel> as the KR", "status <!channel>", UNKNOWN_KR),
  reply(
    "@everyone as a person (the shell's names are ids)",
    "status @everyone",
    /everyone doesn't own any key results/,
  ),
  reply("a role mention as the KR", "status <@&123>", UNKNOWN_KR),
  reply("a disguised link as the KR", "status <https://evil.example|IV.KR2>", UNKNOWN_KR),
  write(
    "mentions in a note",
    "update II.KR1 50% <!channel> @everyone <@&123>",
    "<!channel> @everyone <@&123>",
  ),
  write(
    "markdown in a note",
    "update II.KR1 51% *bold* `code` ```fence``` [x](javascript:alert(1))",
    "*bold* `code` ```fence``` [x](javascript:alert(1))",
  ),
];

const forged: Case[] = [
  reply("team_id=TB as a metric", "update IV.KR2 trainers=1 team_id=TB", /`?team_id=TB`?: expected a number/),
  reply(
    "workspace=slack:T0FAKE as a metric",
    "update IV.KR2 trainers=1 workspace=slack:T0FAKE",
    /expected a number/,
  ),
  reply("team_id=TB as the KR", "status team_id=TB", UNKNOWN_KR),
  reply("guild_id after the KR", "status IV.KR2 guild_id=1", /takes one thing to look at/),
  write("team_id=TB in a note (stays local)", "update II.KR1 52% forged team_id=TB", "forged team_id=TB"),
];

const shellLines: Case[] = [
  silent("a blank line", ""),
  silent("spaces only", "    "),
  silent("a comment", `# ${SQL_DROP}`),
  silent("exit", "exit"),
  silent("QUIT", "QUIT"),
  reply("only a NUL (help)", U.nul, /track your key results/),
  reply("the /kr prefix", "/kr status IV.KR2", /IV\.KR2 Reading Wikipedia/),
  reply("kr alone (help)", "kr", /track your key results/),
  silent("an empty input", Buffer.alloc(0)),
];

const all = [...oversized, ...malformed, ...unicode, ...sql, ...injection, ...forged, ...shellLines];

describe("hostile lines into the shell (runShell)", () => {
  describe("oversized input", () => {
    it.each(oversized)("$name", runCase);
  });
  describe("malformed values", () => {
    it.each(malformed)("$name", runCase);
  });
  describe("unicode", () => {
    it.each(unicode)("$name", runCase);
  });
  describe("SQL-looking text", () => {
    it.each(sql)("$name", runCase);
  });
  describe("mention and markdown injection", () => {
    it.each(injection)("$name", runCase);
  });
  describe("forged workspace in the text", () => {
    it.each(forged)("$name", runCase);
  });
  describe("shell line handling", () => {
    it.each(shellLines)("$name", runCase);
  });

  it("stops at `exit`: the lines after it never run", async () => {
    const before = app.snapshot();
    const out = await shell(`exit\nupdate II.KR1 99% after exit\n`);
    expect(out).toBe("");
    expect(changedTables(before, app.snapshot())).toEqual([]);
  });

  it("answers every line of one long hostile session, in order, in one runShell", async () => {
    const lines = all.filter(
      (c) => typeof c.line === "string" && !c.writes && !/^(exit|quit)$/i.test(c.line.trim()),
    );
    const before = app.snapshot();
    const out = await shell(`${lines.map((c) => c.line).join("\n")}\nstatus\n`);
    expect(out).toContain("15 key results");
    expect(out).not.toContain("Something went wrong");
    expect(changedTables(before, app.snapshot())).toEqual([]);
  });
});

describe("the same lines piped into `krbot shell` (a child process)", () => {
  let dir: string | undefined;
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("answers them all, exits 1 at end of input because hostile lines were refused, and leaves the database intact", async () => {
    dir = mkdtempSync(join(tmpdir(), "krbot-hostile-shell-proc-"));
    const db = join(dir, "krbot.db");
    const lines = all.filter((c) => typeof c.line === "string" && !/^(exit|quit)$/i.test(c.line.trim()));
    const writes = lines.filter((c) => c.writes).length;
    const input = `${lines.map((c) => c.line).join("\n")}\nstatus\n`;
    const result = await runKrbot(["shell"], { env: { DATABASE_URL: db, KRBOT_RATE_LIMIT: "0" }, input });
    // Refused lines do not stop the script, but a script with refused lines does not exit 0.
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(/^krbot: \d+ lines failed or were refused \(line 1, /m);
    expect(result.stdout).toContain("15 key results");
    expect(result.stdout).not.toContain("Something went wrong");
    const check = new Database(db, { readonly: true });
    try {
      expect(check.pragma("integrity_check", { simple: true })).toBe("ok");
      expect((check.prepare("select count(*) as n from checkins").get() as { n: number }).n).toBe(writes);
      const tables = check.prepare("select name from sqlite_master where type = 'table'").all() as {
        name: string;
      }[];
      expect(tables.map((t) => t.name)).toContain("checkins");
    } finally {
      check.close();
    }
  }, 60_000);
});
