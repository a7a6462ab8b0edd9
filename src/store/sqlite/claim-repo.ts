import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db.ts";
import { occurrenceClaims, outbox } from "../schema.ts";
import type { ClaimInput, ClaimRepository, ClaimView, OutboxMessage } from "../store.ts";

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

/** Exactly-once claims of scheduled occurrences in SQLite. */
export class SqliteClaims implements ClaimRepository {
  constructor(private readonly db: Db) {}

  /** Inserts the claim and, only if it was new, its outbox rows: one IMMEDIATE transaction. */
  async claim(workspaceId: number, claim: ClaimInput, messages: OutboxMessage[]): Promise<boolean> {
    return this.db.transaction(
      (tx) => {
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

  async last(workspaceId: number, kind: ClaimInput["kind"], target: string): Promise<ClaimView | undefined> {
    const r = this.db
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

  async list(workspaceId: number, kind: ClaimInput["kind"], limit: number): Promise<ClaimView[]> {
    return this.db
      .select()
      .from(occurrenceClaims)
      .where(and(eq(occurrenceClaims.workspaceId, workspaceId), eq(occurrenceClaims.kind, kind)))
      .orderBy(desc(occurrenceClaims.claimedAt), desc(occurrenceClaims.id))
      .limit(limit)
      .all()
      .map(toClaim);
  }
}
