import { and, asc, eq } from "drizzle-orm";
import type { WorkspaceRef } from "../../domain/platform.ts";
import type { Conn, Db } from "../db.ts";
import { workspaces } from "../schema.ts";
import type { ActorInput, Workspace, WorkspaceRepository, WorkspaceSettings } from "../store.ts";
import { audit } from "./member-repo.ts";

const columns = { id: workspaces.id, platform: workspaces.platform, externalId: workspaces.externalId };
const toWorkspace = (w: { id: number; platform: string; externalId: string }): Workspace => ({
  ...w,
  platform: w.platform as Workspace["platform"],
});

function readSettings(db: Conn, workspaceId: number): WorkspaceSettings {
  const row = db
    .select({
      timezone: workspaces.timezone,
      openUpdates: workspaces.openUpdates,
      reminderWeekday: workspaces.reminderWeekday,
      reminderTime: workspaces.reminderTime,
    })
    .from(workspaces)
    .where(eq(workspaces.id, workspaceId))
    .get();
  return row ?? { timezone: null, openUpdates: false, reminderWeekday: 4, reminderTime: "10:00" };
}

/** Workspaces and their settings in SQLite. */
export class SqliteWorkspaces implements WorkspaceRepository {
  constructor(private readonly db: Db) {}

  async ensure(ref: WorkspaceRef): Promise<Workspace> {
    const found = await this.find(ref);
    if (found) return found;
    this.db
      .insert(workspaces)
      .values({ platform: ref.platform, externalId: ref.id })
      .onConflictDoNothing()
      .run();
    return (await this.find(ref)) as Workspace;
  }

  async find(ref: WorkspaceRef): Promise<Workspace | undefined> {
    const row = this.db
      .select(columns)
      .from(workspaces)
      .where(and(eq(workspaces.platform, ref.platform), eq(workspaces.externalId, ref.id)))
      .get();
    return row ? toWorkspace(row) : undefined;
  }

  async list(): Promise<Workspace[]> {
    return this.db.select(columns).from(workspaces).orderBy(asc(workspaces.id)).all().map(toWorkspace);
  }

  async settings(workspaceId: number): Promise<WorkspaceSettings> {
    return readSettings(this.db, workspaceId);
  }

  async setTimezone(workspaceId: number, timezone: string | null, actor: ActorInput): Promise<void> {
    this.db.transaction((tx) => {
      const before = readSettings(tx, workspaceId).timezone;
      tx.update(workspaces).set({ timezone }).where(eq(workspaces.id, workspaceId)).run();
      audit(tx, workspaceId, {
        actor: actor.platformUserId,
        action: "settings.timezone",
        entity: "workspace",
        oldValue: before,
        newValue: timezone,
      });
    });
  }

  async setOpenUpdates(workspaceId: number, open: boolean, actor: ActorInput): Promise<void> {
    this.db.transaction((tx) => {
      const before = readSettings(tx, workspaceId).openUpdates;
      tx.update(workspaces).set({ openUpdates: open }).where(eq(workspaces.id, workspaceId)).run();
      audit(tx, workspaceId, {
        actor: actor.platformUserId,
        action: "settings.updates",
        entity: "workspace",
        oldValue: before,
        newValue: open,
      });
    });
  }
}
