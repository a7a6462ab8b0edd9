import { and, asc, eq, isNotNull, isNull } from "drizzle-orm";
import type { Db } from "../db.ts";
import { digestSchedules, outbox } from "../schema.ts";
import type { ActorInput, DigestSchedule, DigestScope, ScheduleRepository } from "../store.ts";
import { audit } from "./member-repo.ts";

function toSchedule(row: typeof digestSchedules.$inferSelect): DigestSchedule {
  const scope: DigestScope =
    row.scopeKind === "objective" || row.scopeKind === "team"
      ? { kind: row.scopeKind, value: row.scopeValue ?? "" }
      : { kind: "all" };
  return {
    id: row.id,
    workspaceId: row.workspaceId,
    channelId: row.channelId,
    weekday: row.weekday,
    time: row.time,
    timezone: row.timezone,
    scope,
    createdBy: row.createdBy,
    activeFrom: row.activeFrom,
    ...(row.failingSince ? { failing: { since: row.failingSince, reason: row.failingReason ?? "" } } : {}),
  };
}

/** Channel digests in SQLite. */
export class SqliteSchedules implements ScheduleRepository {
  constructor(private readonly db: Db) {}

  async upsertDigest(
    workspaceId: number,
    s: Omit<DigestSchedule, "id" | "workspaceId" | "failing">,
  ): Promise<{ schedule: DigestSchedule; replaced: boolean }> {
    return this.db.transaction((tx) => {
      const existing = tx
        .select()
        .from(digestSchedules)
        .where(and(eq(digestSchedules.workspaceId, workspaceId), eq(digestSchedules.channelId, s.channelId)))
        .get();
      const values = {
        workspaceId,
        channelId: s.channelId,
        weekday: s.weekday,
        time: s.time,
        timezone: s.timezone,
        scopeKind: s.scope.kind,
        scopeValue: s.scope.kind === "all" ? null : s.scope.value,
        createdBy: s.createdBy,
        activeFrom: s.activeFrom,
        // Set up again (perhaps after inviting the bot): try again before calling it failing.
        failingSince: null,
        failingReason: null,
      };
      const row = existing
        ? tx.update(digestSchedules).set(values).where(eq(digestSchedules.id, existing.id)).returning().get()
        : tx.insert(digestSchedules).values(values).returning().get();
      audit(tx, workspaceId, {
        actor: s.createdBy,
        action: existing ? "digest.change" : "digest.add",
        entity: `channel:${s.channelId}`,
        oldValue: existing ? toSchedule(existing) : null,
        newValue: values,
      });
      return { schedule: toSchedule(row), replaced: Boolean(existing) };
    });
  }

  async removeDigest(workspaceId: number, channelId: string, actor: ActorInput): Promise<boolean> {
    return this.db.transaction((tx) => {
      const removed = tx
        .delete(digestSchedules)
        .where(and(eq(digestSchedules.workspaceId, workspaceId), eq(digestSchedules.channelId, channelId)))
        .returning()
        .all();
      if (removed[0]) {
        audit(tx, workspaceId, {
          actor: actor.platformUserId,
          action: "digest.remove",
          entity: `channel:${channelId}`,
          oldValue: toSchedule(removed[0]),
        });
      }
      return removed.length > 0;
    });
  }

  async markDigestFailing(
    workspaceId: number,
    channelId: string,
    failure: { reason: string; at: Date },
    notice: unknown,
  ): Promise<boolean> {
    return this.db.transaction(
      (tx) => {
        const marked = tx
          .update(digestSchedules)
          .set({ failingSince: failure.at, failingReason: failure.reason })
          .where(
            and(
              eq(digestSchedules.workspaceId, workspaceId),
              eq(digestSchedules.channelId, channelId),
              isNull(digestSchedules.failingSince),
            ),
          )
          .returning({ createdBy: digestSchedules.createdBy })
          .get();
        if (!marked) return false;
        tx.insert(outbox)
          .values({ workspaceId, userId: marked.createdBy, reply: notice, nextAttemptAt: failure.at })
          .run();
        return true;
      },
      { behavior: "immediate" },
    );
  }

  async clearDigestFailing(workspaceId: number, channelId: string): Promise<void> {
    this.db
      .update(digestSchedules)
      .set({ failingSince: null, failingReason: null })
      .where(
        and(
          eq(digestSchedules.workspaceId, workspaceId),
          eq(digestSchedules.channelId, channelId),
          isNotNull(digestSchedules.failingSince),
        ),
      )
      .run();
  }

  async listDigests(workspaceId: number): Promise<DigestSchedule[]> {
    return this.db
      .select()
      .from(digestSchedules)
      .where(eq(digestSchedules.workspaceId, workspaceId))
      .orderBy(asc(digestSchedules.id))
      .all()
      .map(toSchedule);
  }
}
