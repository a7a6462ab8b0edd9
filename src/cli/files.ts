import { existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { CliError } from "./args.ts";

/** The deepest existing ancestor of `path` that is a file, if any (a path "under a file"). */
function fileAbove(path: string): string | undefined {
  for (let dir = dirname(resolve(path)); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(dir)) return statSync(dir).isDirectory() ? undefined : dir;
  }
  return undefined;
}

/** One sentence for a file-system error on `path` (no stack, no errno jargon). */
export function describeFsError(err: unknown, path: string, verb = "write"): string {
  const code = (err as NodeJS.ErrnoException)?.code;
  const above = fileAbove(path);
  if (above) return `cannot ${verb} ${path}: ${above} is a file, not a folder`;
  if ((code === "EEXIST" || code === "ENOTDIR") && existsSync(path) && !statSync(path).isDirectory())
    return `cannot ${verb} ${path}: it is a file, not a folder`;
  switch (code) {
    case "ENOENT":
      return `cannot ${verb} ${path}: the folder ${dirname(path)} does not exist (create it first: mkdir -p ${dirname(path)})`;
    case "EISDIR":
      return `cannot ${verb} ${path}: it is a folder; name a file inside it`;
    case "EACCES":
    case "EPERM":
      return `cannot ${verb} ${path}: permission denied`;
    case "EROFS":
      return `cannot ${verb} ${path}: the file system is read-only`;
    case "ENOSPC":
      return `cannot ${verb} ${path}: the disk is full`;
    default:
      return `cannot ${verb} ${path}: ${(err as Error)?.message ?? String(err)}`;
  }
}

/**
 * Checks that `path` may be written as a new file: not a folder, not under a file, and not an
 * existing file unless `force`. With `createFolders`, missing folders above it are created.
 */
export function prepareOutput(path: string, opts: { force?: boolean; createFolders?: boolean }): void {
  const above = fileAbove(path);
  if (above) throw new CliError(`cannot write ${path}: ${above} is a file, not a folder`);
  if (existsSync(path)) {
    if (statSync(path).isDirectory())
      throw new CliError(`cannot write ${path}: it is a folder; name a file inside it`);
    if (!opts.force) throw new CliError(`${path} already exists; pass --force to overwrite it`);
  }
  if (opts.createFolders) {
    try {
      mkdirSync(dirname(path), { recursive: true });
    } catch (err) {
      throw new CliError(describeFsError(err, path));
    }
  } else if (!existsSync(dirname(resolve(path)))) {
    throw new CliError(describeFsError(Object.assign(new Error("missing"), { code: "ENOENT" }), path));
  }
}

/**
 * Writes `path` through a temporary file beside it, renamed into place at the end: a failure
 * leaves no half-written file and never destroys the file it was to replace.
 */
export async function writeAtomically(path: string, write: (tmp: string) => Promise<void> | void) {
  const tmp = `${path}.partial-${process.pid}`;
  try {
    await write(tmp);
    renameSync(tmp, path);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err instanceof CliError ? err : new CliError(describeFsError(err, path));
  }
}

/** Writes text to a new file (see `prepareOutput` and `writeAtomically`). */
export async function writeOutputFile(path: string, text: string, opts: { force?: boolean }): Promise<void> {
  prepareOutput(path, opts);
  await writeAtomically(path, (tmp) => writeFileSync(tmp, text));
}
