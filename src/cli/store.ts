import { existsSync } from "node:fs";
import type { WorkspaceRef } from "../core/invocation.ts";
import type { Workspace } from "../domain/model.ts";
import { openSqliteStore } from "../store/sqlite/index.ts";
import type { Store } from "../store/store.ts";
import { CliError } from "./args.ts";
import { describeFsError } from "./files.ts";

/** Opens (creating if needed) the database at DATABASE_URL; a file-system problem is one CliError line. */
export function openStore(url: string): Store {
  try {
    return openSqliteStore(url);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException)?.code;
    const path = (err as NodeJS.ErrnoException)?.path ?? url;
    if (typeof code === "string" && code.startsWith("E"))
      throw new CliError(`DATABASE_URL: ${describeFsError(err, path, "open")}`);
    if (code === "SQLITE_CANTOPEN" || code === "SQLITE_NOTADB")
      throw new CliError(`DATABASE_URL: cannot open ${url} as a SQLite database (${(err as Error).message})`);
    throw err;
  }
}

/**
 * Opens the database for a command that only reads it: a missing database file is an error,
 * never created (a typo in DATABASE_URL must not leave an empty database behind).
 */
export function openExistingStore(url: string): Store {
  if (url !== ":memory:" && !existsSync(url)) {
    throw new CliError(
      `there is no database at ${url}; check DATABASE_URL, or create it with \`krbot start\` or \`krbot plan import FILE\``,
    );
  }
  return openStore(url);
}

/** Finds a workspace without creating it; an unknown one is an error listing the known ones. */
export async function existingWorkspace(store: Store, ref: WorkspaceRef, url: string): Promise<Workspace> {
  const ws = await store.workspaces.find(ref);
  if (ws) return ws;
  const known = (await store.workspaces.list()).map((w) => `${w.platform}:${w.externalId}`);
  throw new CliError(
    `there is no workspace ${ref.platform}:${ref.id} in ${url}; ${
      known.length ? `known workspaces: ${known.join(", ")}` : "it has no workspaces yet"
    }`,
  );
}

/** Runs `work` on a read-only store and closes it, whatever happens. */
export async function withExistingStore<T>(url: string, work: (store: Store) => Promise<T>): Promise<T> {
  const store = openExistingStore(url);
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}
