import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { afterEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/store/db.ts";
import { MIGRATIONS_FOLDER, runMigrations } from "../../src/store/migrate.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The migrations up to (not including) the one that made snoozes per person. */
function migrationsBeforePerPersonSnoozes(): string {
  const dir = mkdtempSync(join(tmpdir(), "krbot-snooze-mig-"));
  dirs.push(dir);
  cpSync(MIGRATIONS_FOLDER, dir, { recursive: true });
  const journalFile = join(dir, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalFile, "utf8")) as { entries: { tag: string }[] };
  const at = journal.entries.findIndex((e) => e.tag.endsWith("_per_person_snoozes"));
  expect(at).toBeGreaterThan(0);
  journal.entries = journal.entries.slice(0, at);
  writeFileSync(journalFile, JSON.stringify(journal));
  return dir;
}

describe("the per-person snooze migration", () => {
  it("turns each KR-wide snooze into the snooze of whoever set it, or of each owner when nobody can be named", () => {
    const db = openDatabase(":memory:");
    migrate(db, { migrationsFolder: migrationsBeforePerPersonSnoozes() });
    const run = (sql: string) => db.$client.exec(sql);
    run(`insert into workspaces (id, platform, external_id) values (1, 'slack', 'T1');
      insert into plans (id, workspace_id, key, title, period_start, period_end) values (1, 1, 'p', 'P', '2027-01-01', '2027-12-31');
      insert into goals (id, workspace_id, plan_id, key, title, position) values (1, 1, 1, 'g', 'G', 0);
      insert into objectives (id, workspace_id, plan_id, goal_id, code, title, position) values (1, 1, 1, 1, 'I', 'O', 0);
      insert into key_results (id, workspace_id, objective_id, code, local_code, title, position, snoozed_until) values
        (1, 1, 1, 'I.KR1', 'KR1', 'Snoozed by Ann', 0, '2027-06-01'),
        (2, 1, 1, 'I.KR2', 'KR2', 'Snoozed by nobody known', 1, '2027-07-01'),
        (3, 1, 1, 'I.KR3', 'KR3', 'Not snoozed', 2, null);
      insert into members (id, workspace_id, platform_user_id, display_name) values
        (1, 1, 'UANN', 'Ann'), (2, 1, 'UBO', 'Bo'), (3, 1, 'UCY', 'Cy');
      insert into kr_owners (workspace_id, kr_id, member_id) values (1, 1, 1), (1, 1, 2), (1, 2, 2), (1, 2, 3);
      insert into audit_log (workspace_id, actor, action, entity, old_value, new_value) values
        (1, 'UBO', 'kr.snooze', 'kr:I.KR1', null, '"2027-05-01"'),
        (1, 'UANN', 'kr.snooze', 'kr:I.KR1', '"2027-05-01"', '"2027-06-01"');`);
    runMigrations(db);
    const rows = db.$client
      .prepare("select kr_id, member_id, for_everyone, until from kr_snoozes order by kr_id, member_id")
      .all();
    expect(rows).toEqual([
      // Ann set the latest snooze on I.KR1: it is hers; Bo, the other owner, is reminded again.
      { kr_id: 1, member_id: 1, for_everyone: 0, until: "2027-06-01" },
      // Nobody is named for I.KR2: each owner keeps it as their own, so no reminder restarts unasked.
      { kr_id: 2, member_id: 2, for_everyone: 0, until: "2027-07-01" },
      { kr_id: 2, member_id: 3, for_everyone: 0, until: "2027-07-01" },
    ]);
    const columns = db.$client.prepare("pragma table_info(key_results)").all() as { name: string }[];
    expect(columns.map((c) => c.name)).not.toContain("snoozed_until");
    db.$client.close();
  });
});
