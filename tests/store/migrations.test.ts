import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/db.ts";
import { MIGRATIONS_FOLDER, runMigrations } from "../../src/store/migrate.ts";
import { openSqliteStore } from "../../src/store/sqlite/index.ts";

const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), "krbot-mig-"));
  dirs.push(dir);
  return join(dir, "nested", "krbot.db");
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("migrations", () => {
  it("create every table on an empty database", () => {
    const db = openDatabase(":memory:");
    runMigrations(db);
    const tables = (
      db.$client.prepare("select name from sqlite_master where type='table' order by name").all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    for (const t of [
      "workspaces",
      "plans",
      "goals",
      "objectives",
      "key_results",
      "metrics",
      "teams",
      "kr_teams",
      "members",
      "kr_owners",
      "checkins",
      "checkin_values",
      "audit_log",
    ]) {
      expect(tables).toContain(t);
    }
    db.$client.close();
  });

  it("are idempotent: a second run on the same file changes nothing", () => {
    const file = tempDb();
    const a = openSqliteStore(file);
    void a.close();
    const b = openSqliteStore(file);
    const applied = b.db.$client.prepare("select count(*) n from __drizzle_migrations").get() as {
      n: number;
    };
    const journal = JSON.parse(readFileSync(join(MIGRATIONS_FOLDER, "meta", "_journal.json"), "utf8"));
    expect(applied.n).toBe(journal.entries.length);
    void b.close();
  });

  it("open file databases in WAL mode with a busy timeout and foreign keys on", () => {
    const file = tempDb();
    const store = openSqliteStore(file);
    const c = store.db.$client;
    expect(c.pragma("journal_mode", { simple: true })).toBe("wal");
    expect(c.pragma("busy_timeout", { simple: true })).toBe(5000);
    expect(c.pragma("foreign_keys", { simple: true })).toBe(1);
    void store.close();
    const raw = new Database(file);
    expect(raw.pragma("journal_mode", { simple: true })).toBe("wal");
    raw.close();
  });

  it("keep the check-in request id unique per workspace", () => {
    const db = openDatabase(":memory:");
    runMigrations(db);
    const idx = db.$client
      .prepare("select sql from sqlite_master where name = 'checkins_workspace_request'")
      .get() as { sql: string };
    expect(idx.sql).toMatch(/UNIQUE INDEX.*\(`workspace_id`,`request_id`\)/);
    db.$client.close();
  });
});
