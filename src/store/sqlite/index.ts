import { type Db, openDatabase } from "../db.ts";
import { runMigrations } from "../migrate.ts";
import type { Store } from "../store.ts";
import { SqliteCheckIns } from "./checkin-repo.ts";
import { SqliteClaims } from "./claim-repo.ts";
import { SqliteHealth } from "./health-repo.ts";
import { SqliteKeyResults } from "./kr-repo.ts";
import { SqliteMembers } from "./member-repo.ts";
import { SqliteOutbox } from "./outbox-repo.ts";
import { SqliteOwners } from "./owner-repo.ts";
import { SqlitePlans } from "./plan-repo.ts";
import { SqliteSchedules } from "./schedule-repo.ts";
import { SqliteSnoozes } from "./snooze-repo.ts";
import { SqliteTeams } from "./team-repo.ts";
import { SqliteWorkspaces } from "./workspace-repo.ts";

/**
 * The embedded store: SQLite through Drizzle. `db` is there for tests and benchmarks that look at
 * rows directly; the app goes through the repositories only.
 */
export type SqliteStore = Store & { readonly db: Db };

/** Opens the database at `url` (a file path or `:memory:`), applies pending migrations, builds the store. */
export function openSqliteStore(url: string): SqliteStore {
  const db = openDatabase(url);
  runMigrations(db);
  return {
    db,
    workspaces: new SqliteWorkspaces(db),
    plans: new SqlitePlans(db),
    keyResults: new SqliteKeyResults(db),
    checkIns: new SqliteCheckIns(db),
    members: new SqliteMembers(db),
    owners: new SqliteOwners(db),
    teams: new SqliteTeams(db),
    schedules: new SqliteSchedules(db),
    snoozes: new SqliteSnoozes(db),
    claims: new SqliteClaims(db),
    outbox: new SqliteOutbox(db),
    health: new SqliteHealth(db),
    async close() {
      if (db.$client.open) db.$client.close();
    },
  };
}
