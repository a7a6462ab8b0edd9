import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { count, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { outbox } from "../schema.ts";
import type { HealthRepository } from "../store.ts";

/** Liveness, outbox depth and online backup of the SQLite database. */
export class SqliteHealth implements HealthRepository {
  // One read-only `SELECT status, count(*) … GROUP BY status`; the `outbox_due` index covers it.
  private readonly depth;

  constructor(private readonly db: Db) {
    this.depth = db
      .select({ status: outbox.status, n: count() })
      .from(outbox)
      .groupBy(outbox.status)
      .prepare();
  }

  async check(): Promise<void> {
    this.db.get(sql`select 1`);
  }

  async outboxDepth(): Promise<Record<string, number>> {
    return Object.fromEntries(this.depth.all().map((r) => [r.status, r.n]));
  }

  /** SQLite's online backup: a consistent copy while the bot runs (folders created as needed). */
  async backup(file: string): Promise<void> {
    mkdirSync(dirname(file), { recursive: true });
    await this.db.$client.backup(file);
  }
}
