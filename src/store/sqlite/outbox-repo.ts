import { randomUUID } from "node:crypto";
import { and, asc, eq, lte, ne, or, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { outbox, workspaces } from "../schema.ts";
import type { Delivery, OutboxLease, OutboxRepository, Workspace } from "../store.ts";

/** Rows whose predecessor (thread parent or previous part) is settled: sent or failed, or none. */
const READY = sql`not exists (select 1 from ${outbox} as p where p.id in (${outbox.threadOf}, ${outbox.afterId}) and p.status not in ('sent', 'failed'))`;

/** The delivery worker's outbox in SQLite, under fenced leases (see OutboxRepository). */
export class SqliteOutbox implements OutboxRepository {
  constructor(private readonly db: Db) {}

  /** The row, only while `token` holds it. */
  private held(id: number, token: string) {
    return and(eq(outbox.id, id), eq(outbox.status, "sending"), eq(outbox.leaseToken, token));
  }

  /**
   * Leases due rows: pending ones whose time has come, and "sending" ones whose lease ran out
   * (their worker crashed mid-send), skipping rows whose predecessor is not settled yet. One
   * IMMEDIATE transaction, so of two workers racing for a row exactly one gets it.
   */
  async lease(now: Date, limit: number, leaseMs: number): Promise<Delivery[]> {
    return this.db.transaction(
      (tx) => {
        const due = tx
          .select()
          .from(outbox)
          .where(
            and(
              or(
                and(eq(outbox.status, "pending"), lte(outbox.nextAttemptAt, now)),
                and(eq(outbox.status, "sending"), lte(outbox.leaseUntil, now)),
              ),
              READY,
            ),
          )
          .orderBy(asc(outbox.nextAttemptAt), asc(outbox.id))
          .limit(limit)
          .all();
        const out: Delivery[] = [];
        for (const row of due) {
          const token = randomUUID();
          tx.update(outbox)
            .set({
              status: "sending",
              attempts: sql`${outbox.attempts} + 1`,
              leaseUntil: new Date(now.getTime() + leaseMs),
              leaseToken: token,
            })
            .where(eq(outbox.id, row.id))
            .run();
          const parent =
            row.threadOf === null
              ? undefined
              : tx.select().from(outbox).where(eq(outbox.id, row.threadOf)).get();
          const ws = tx.select().from(workspaces).where(eq(workspaces.id, row.workspaceId)).get();
          if (!ws) continue;
          out.push({
            id: row.id,
            workspaceId: row.workspaceId,
            platform: ws.platform as Workspace["platform"],
            externalWorkspaceId: ws.externalId,
            target: row.userId ? { userId: row.userId } : { channelId: row.channelId ?? "" },
            ...(parent?.messageId ? { threadMessageId: parent.messageId } : {}),
            reply: row.reply,
            attempts: row.attempts + 1,
            leaseToken: token,
          });
        }
        return out;
      },
      { behavior: "immediate" },
    );
  }

  async renew(id: number, token: string, until: Date): Promise<boolean> {
    return this.db.update(outbox).set({ leaseUntil: until }).where(this.held(id, token)).run().changes === 1;
  }

  async release(leases: OutboxLease[]): Promise<number> {
    if (leases.length === 0) return 0;
    return this.db.transaction((tx) => {
      let released = 0;
      for (const { id, token } of leases) {
        released += tx
          .update(outbox)
          .set({
            status: "pending",
            attempts: sql`max(${outbox.attempts} - 1, 0)`,
            leaseUntil: null,
            leaseToken: null,
          })
          .where(this.held(id, token))
          .run().changes;
      }
      return released;
    });
  }

  async split(id: number, token: string, parts: unknown[]): Promise<boolean> {
    return this.db.transaction(
      (tx) => {
        const row = tx.select().from(outbox).where(this.held(id, token)).get();
        if (!row) return false;
        const [first, ...rest] = parts;
        tx.update(outbox).set({ reply: first }).where(eq(outbox.id, id)).run();
        const added: number[] = [];
        let previous = id;
        for (const reply of rest) {
          const { id: _, createdAt: __, ...copy } = row;
          const inserted = tx
            .insert(outbox)
            .values({
              ...copy,
              reply,
              afterId: previous,
              status: "pending",
              attempts: 0,
              leaseUntil: null,
              leaseToken: null,
              lastError: null,
            })
            .returning({ id: outbox.id })
            .get();
          added.push(inserted.id);
          previous = inserted.id;
        }
        if (added.length > 0) {
          // Whatever came after the whole reply now comes after its last part.
          tx.update(outbox)
            .set({ afterId: previous })
            .where(and(eq(outbox.afterId, id), ne(outbox.id, added[0] as number)))
            .run();
        }
        return true;
      },
      { behavior: "immediate" },
    );
  }

  async markDelivered(id: number, token: string, messageId: string, at: Date): Promise<boolean> {
    return (
      this.db
        .update(outbox)
        .set({ status: "sent", messageId, sentAt: at, leaseUntil: null, leaseToken: null, lastError: null })
        .where(this.held(id, token))
        .run().changes === 1
    );
  }

  async markRetry(id: number, token: string, nextAttemptAt: Date, error: string): Promise<boolean> {
    return (
      this.db
        .update(outbox)
        .set({ status: "pending", nextAttemptAt, leaseUntil: null, leaseToken: null, lastError: error })
        .where(this.held(id, token))
        .run().changes === 1
    );
  }

  async markFailed(id: number, token: string, error: string): Promise<boolean> {
    return (
      this.db
        .update(outbox)
        .set({ status: "failed", leaseUntil: null, leaseToken: null, lastError: error })
        .where(this.held(id, token))
        .run().changes === 1
    );
  }
}
