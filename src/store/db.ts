import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database, { type RunResult } from "better-sqlite3";
import { type BetterSQLite3Database, drizzle } from "drizzle-orm/better-sqlite3";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import * as schema from "./schema.ts";

/** The Drizzle handle over our schema. */
export type Db = BetterSQLite3Database<typeof schema> & { $client: Database.Database };

/** How long a writer waits for another process's lock before failing (ms). */
export const BUSY_TIMEOUT_MS = 5000;

/** Opens (creating the folder if needed) a SQLite database in WAL mode with a busy timeout. */
export function openDatabase(url: string): Db {
  const isMemory = url === ":memory:";
  if (!isMemory) mkdirSync(dirname(url), { recursive: true });
  const sqlite = new Database(url);
  if (!isMemory) sqlite.pragma("journal_mode = WAL");
  sqlite.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("synchronous = NORMAL");
  return drizzle(sqlite, { schema }) as Db;
}

/** A Drizzle transaction over our schema: what `db.transaction(…)` hands its callback. */
export type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/**
 * What a query helper runs on: the database or a transaction. Both are Drizzle's synchronous
 * SQLite database, so one helper serves either without a cast.
 */
export type Conn = BaseSQLiteDatabase<"sync", RunResult, typeof schema>;
