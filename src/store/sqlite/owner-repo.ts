import { and, eq } from "drizzle-orm";
import type { Conn, Db } from "../db.ts";
import { keyResults, krOwners, members } from "../schema.ts";
import type { ActorInput, OwnerRepository } from "../store.ts";
import { audit, upsertMember } from "./member-repo.ts";

function krCode(db: Conn, workspaceId: number, krId: number): string {
  const kr = db
    .select({ code: keyResults.code })
    .from(keyResults)
    .where(and(eq(keyResults.workspaceId, workspaceId), eq(keyResults.id, krId)))
    .get();
  if (!kr) throw new Error(`no key result ${krId} in workspace ${workspaceId}`);
  return kr.code;
}

/** Owners of key results in SQLite. */
export class SqliteOwners implements OwnerRepository {
  constructor(private readonly db: Db) {}

  async add(workspaceId: number, krId: number, owner: ActorInput, actor: ActorInput): Promise<boolean> {
    return this.db.transaction(
      (tx) => {
        const code = krCode(tx, workspaceId, krId);
        const memberId = upsertMember(tx, workspaceId, owner);
        upsertMember(tx, workspaceId, actor);
        const added =
          tx.insert(krOwners).values({ workspaceId, krId, memberId }).onConflictDoNothing().run().changes > 0;
        if (added) {
          audit(tx, workspaceId, {
            actor: actor.platformUserId,
            action: "owner.add",
            entity: `kr:${code}`,
            newValue: { owner: owner.platformUserId },
          });
        }
        return added;
      },
      { behavior: "immediate" },
    );
  }

  async remove(workspaceId: number, krId: number, memberId: number, actor: ActorInput): Promise<boolean> {
    return this.db.transaction(
      (tx) => {
        const code = krCode(tx, workspaceId, krId);
        const member = tx
          .select({ platformUserId: members.platformUserId })
          .from(members)
          .where(and(eq(members.workspaceId, workspaceId), eq(members.id, memberId)))
          .get();
        const removed =
          tx
            .delete(krOwners)
            .where(
              and(
                eq(krOwners.workspaceId, workspaceId),
                eq(krOwners.krId, krId),
                eq(krOwners.memberId, memberId),
              ),
            )
            .run().changes > 0;
        if (removed) {
          upsertMember(tx, workspaceId, actor);
          audit(tx, workspaceId, {
            actor: actor.platformUserId,
            action: "owner.remove",
            entity: `kr:${code}`,
            oldValue: { owner: member?.platformUserId },
          });
        }
        return removed;
      },
      { behavior: "immediate" },
    );
  }
}
