import { and, asc, eq, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { outbox, workspaces } from "../schema.ts";
import type { Delivery, OutboxRepository, Workspace } from "../store.ts";

/** The delivery worker's outbox in SQLite. */
export class SqliteOutbox implements OutboxRepository {
  constructor(private readonly db: Db) {}

  /**
   * Leases due rows: pending ones whose time has come, and "sending" ones whose lease ran out
   * (their worker crashed mid-send). The lease is taken with a compare-and-set UPDATE, so of two
   * workers racing for a row exactly one gets it. A thread reply waits until its parent is sent.
   */
  async lease(now: Date, limit: number, leaseMs: number): Promise<Delivery[]> {
    return this.db.transaction(
      (tx) => {
        const due = tx
          .select()
          .from(outbox)
          .where(
            or(
              and(eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, now)),
              and(eq(outbox.status, "sending"), lte(outbox.leaseUntil, now)),
            ),
          )
          .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
          .limit(limit)
          .all();
        const out: Delivery[] = [];
        for (const row of due) {
          let threadMessageId: string | undefined;
          if (row.threadOf !== null) {
            const parent = tx.select().from(outbox).where(eq(outbox.id, row.threadOf)).get();
            if (parent && parent.status !== "sent" && parent.status !== "failed") continue; // not yet
            threadMessageId = parent?.messageId ?? undefined;
          }
          const taken = tx
            .update(outbox)
            .set({
              status: "sending",
              attempts: sql`${outbox.attempts} + 1`,
              leaseUntil: new Date(now.getTime() + leaseMs),
            })
            .where(
              and(eq(outbox.id, row.id), eq(outbox.status, row.status), eq(outbox.attempts, row.attempts)),
            )
            .run().changes;
          if (taken !== 1) continue;
          const ws = tx.select().from(workspaces).where(eq(workspaces.id, row.workspaceId)).get();
          if (!ws) continue;
          out.push({
            id: row.id,
            workspaceId: row.workspaceId,
            platform: ws.platform as Workspace["platform"],
            externalWorkspaceId: ws.externalId,
            target: row.userId ? { userId: row.userId } : { channelId: row.channelId ?? "" },
            ...(threadMessageId ? { threadMessageId } : {}),
            reply: row.reply,
            attempts: row.attempts + 1,
          });
        }
        return out;
      },
      { behavior: "immediate" },
    );
  }

  async markDelivered(id: number, messageId: string, at: Date): Promise<void> {
    this.db
      .update(outbox)
      .set({ status: "sent", messageId, sentAt: at, leaseUntil: null, lastError: null })
      .where(eq(outbox.id, id))
      .run();
  }

  async markRetry(id: number, nextAttemptAt: Date, error: string): Promise<void> {
    this.db
      .update(outbox)
      .set({ status: "pending", nextAttemptAt, leaseUntil: null, lastError: error })
      .where(eq(outbox.id, id))
      .run();
  }

  async markFailed(id: number, error: string): Promise<void> {
    this.db
      .update(outbox)
      .set({ status: "failed", leaseUntil: null, lastError: error })
      .where(eq(outbox.id, id))
      .run();
  }
}
