import { and, asc, desc, eq, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db.ts";
import { occurrenceClaims, outbox, workspaces } from "../schema.ts";
import type { ClaimInput, ClaimView, Delivery, OutboxMessage, Workspace } from "../store.ts";

/** Inserts the claim and, only if it was new, its outbox rows: one IMMEDIATE transaction. */
export function claimOccurrence(
  db: Db,
  workspaceId: number,
  claim: ClaimInput,
  messages: OutboxMessage[],
): boolean {
  return db.transaction(
    (txn) => {
      const tx = txn as unknown as Db;
      const inserted = tx
        .insert(occurrenceClaims)
        .values({ workspaceId, ...claim, snapshot: claim.snapshot ?? null })
        .onConflictDoNothing()
        .returning({ id: occurrenceClaims.id })
        .get();
      if (!inserted) return false;
      const ids: number[] = [];
      for (const m of messages) {
        const row = tx
          .insert(outbox)
          .values({
            workspaceId,
            claimId: inserted.id,
            channelId: "channelId" in m.target ? m.target.channelId : null,
            userId: "userId" in m.target ? m.target.userId : null,
            threadOf: m.threadOf !== undefined ? (ids[m.threadOf] ?? null) : null,
            reply: m.reply,
            nextAttemptAt: claim.claimedAt,
          })
          .returning({ id: outbox.id })
          .get();
        ids.push(row.id);
      }
      return true;
    },
    { behavior: "immediate" },
  );
}

function toClaim(r: typeof occurrenceClaims.$inferSelect): ClaimView {
  return {
    id: r.id,
    kind: r.kind as ClaimView["kind"],
    target: r.target,
    periodKey: r.periodKey,
    scheduledFor: r.scheduledFor,
    claimedAt: r.claimedAt,
    outcome: r.outcome as ClaimView["outcome"],
    reason: r.reason,
    ...(r.snapshot ? { snapshot: r.snapshot } : {}),
  };
}

export function lastClaim(
  db: Db,
  workspaceId: number,
  kind: ClaimInput["kind"],
  target: string,
): ClaimView | undefined {
  const r = db
    .select()
    .from(occurrenceClaims)
    .where(
      and(
        eq(occurrenceClaims.workspaceId, workspaceId),
        eq(occurrenceClaims.kind, kind),
        eq(occurrenceClaims.target, target),
      ),
    )
    .orderBy(desc(occurrenceClaims.scheduledFor))
    .limit(1)
    .get();
  return r ? toClaim(r) : undefined;
}

export function listClaims(
  db: Db,
  workspaceId: number,
  kind: ClaimInput["kind"],
  limit: number,
): ClaimView[] {
  return db
    .select()
    .from(occurrenceClaims)
    .where(and(eq(occurrenceClaims.workspaceId, workspaceId), eq(occurrenceClaims.kind, kind)))
    .orderBy(desc(occurrenceClaims.claimedAt), desc(occurrenceClaims.id))
    .limit(limit)
    .all()
    .map(toClaim);
}

/**
 * Leases due rows: pending ones whose time has come, and "sending" ones whose lease ran out
 * (their worker crashed mid-send). The lease is taken with a compare-and-set UPDATE, so of two
 * workers racing for a row exactly one gets it. A thread reply waits until its parent is sent.
 */
export function leaseDeliveries(db: Db, now: Date, limit: number, leaseMs: number): Delivery[] {
  return db.transaction(
    (txn) => {
      const tx = txn as unknown as Db;
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
          .where(and(eq(outbox.id, row.id), eq(outbox.status, row.status), eq(outbox.attempts, row.attempts)))
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

export function markDelivered(db: Db, id: number, messageId: string, at: Date): void {
  db.update(outbox)
    .set({ status: "sent", messageId, sentAt: at, leaseUntil: null, lastError: null })
    .where(eq(outbox.id, id))
    .run();
}

export function markRetry(db: Db, id: number, nextAttemptAt: Date, error: string): void {
  db.update(outbox)
    .set({ status: "pending", nextAttemptAt, leaseUntil: null, lastError: error })
    .where(eq(outbox.id, id))
    .run();
}

export function markFailed(db: Db, id: number, error: string): void {
  db.update(outbox)
    .set({ status: "failed", leaseUntil: null, lastError: error })
    .where(eq(outbox.id, id))
    .run();
}
