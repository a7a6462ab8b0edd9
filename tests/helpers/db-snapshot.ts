import type { SqliteStore } from "../../src/store/sqlite/index.ts";

/** Every row of every table: equal snapshots mean nothing was written. */
export function snapshotStore(store: SqliteStore): string {
  const db = store.db.$client;
  const tables = db
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' order by name",
    )
    .all() as { name: string }[];
  return JSON.stringify(
    tables.map((t) => [t.name, db.prepare(`select * from "${t.name}" order by rowid`).all()]),
  );
}
