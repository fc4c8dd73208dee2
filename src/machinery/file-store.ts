/**
 * Where a Tree reads existing files from and commits staged files to: the disk under a project
 * root, or a plain in-memory map (for tests and for users' own generators). Before each write the
 * Tree takes a snapshot of the path, so a commit that fails halfway can put every path back: the
 * bytes a file had, or its absence and that of the folders the write created.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/** Puts one path back as it was when the snapshot was taken. */
export type RestoreSnapshot = () => Promise<void>;

export interface FileStore {
  /** Current content of a project-relative path, or undefined when absent. */
  read(path: string): string | undefined;
  write(path: string, content: string): Promise<void>;
  /** Records the state of a path just before it is written; the function returned restores it. */
  snapshot(path: string): Promise<RestoreSnapshot>;
}

export class DiskStore implements FileStore {
  constructor(readonly root: string) {}

  read(path: string): string | undefined {
    const absolute = join(this.root, path);
    if (!existsSync(absolute)) return undefined;
    try {
      return readFileSync(absolute, 'utf8');
    } catch (error) {
      throw new Error(`cannot read ${absolute}`, { cause: error });
    }
  }

  async write(path: string, content: string): Promise<void> {
    const absolute = join(this.root, path);
    await mkdir(dirname(absolute), { recursive: true });
    await writeFile(absolute, content);
  }

  async snapshot(path: string): Promise<RestoreSnapshot> {
    const absolute = join(this.root, path);
    const bytes = await readFile(absolute).catch((error: unknown) => {
      if (isAbsent(error)) return undefined;
      throw error;
    });
    if (bytes !== undefined) return () => writeFile(absolute, bytes);
    const missingFolders: string[] = [];
    for (let folder = dirname(absolute); !existsSync(folder); folder = dirname(folder)) {
      missingFolders.push(folder);
    }
    return async () => {
      await ignoreAbsent(rm(absolute, { force: true }));
      for (const folder of missingFolders) await ignoreAbsent(rmdir(folder));
    };
  }
}

export class MemoryStore implements FileStore {
  readonly files: Map<string, string>;

  constructor(files: Record<string, string> = {}) {
    this.files = new Map(Object.entries(files));
  }

  read(path: string): string | undefined {
    return this.files.get(path);
  }

  async write(path: string, content: string): Promise<void> {
    this.files.set(path, content);
  }

  async snapshot(path: string): Promise<RestoreSnapshot> {
    const previous = this.files.get(path);
    return async () => {
      if (previous === undefined) this.files.delete(path);
      else this.files.set(path, previous);
    };
  }
}

/** Why a write failed, in words, and what to do about it. */
export interface WriteFailure {
  reason: string;
  hint: string;
}

const AGAIN = 'then run the command again';

/** Explains a failed write from its error code (EACCES, ENOSPC, ENOTDIR, …), naming the path. */
export function describeWriteFailure(error: unknown): WriteFailure {
  const { code, path, message } = error as NodeJS.ErrnoException;
  const at = path ?? 'the path';
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return { reason: `permission denied on ${at} (${code})`, hint: `make ${at} writable for this user, ${AGAIN}` };
    case 'EROFS':
      return { reason: `${at} is on a read-only file system (EROFS)`, hint: `write the project elsewhere, ${AGAIN}` };
    case 'ENOSPC':
    case 'EDQUOT':
      return { reason: `no space left for ${at} (${code})`, hint: `free some disk space, ${AGAIN}` };
    case 'ENOTDIR':
    case 'EEXIST': {
      const file = existingAncestor(at);
      return {
        reason: `${file} is a file, not a folder (${code})`,
        hint: `move or rename ${file} (a folder of that name is needed), ${AGAIN}`,
      };
    }
    case 'EISDIR':
      return { reason: `${at} is a folder, not a file (EISDIR)`, hint: `move or rename that folder, ${AGAIN}` };
    case 'ENAMETOOLONG':
      return { reason: `the name is too long for the file system (ENAMETOOLONG)`, hint: `use shorter names, ${AGAIN}` };
    default:
      return { reason: message, hint: `fix the cause, ${AGAIN}` };
  }
}

/** The closest ancestor of `path` that exists (for ENOTDIR: the file standing where a folder should be). */
function existingAncestor(path: string): string {
  let current = path;
  while (!existsSync(current) && dirname(current) !== current) current = dirname(current);
  return statSync(current, { throwIfNoEntry: false })?.isFile() === false ? path : current;
}

/** Errors that mean a path cannot exist: not there, a parent is a file, or a name too long to be. */
function isAbsent(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR' || code === 'ENAMETOOLONG';
}

/** Runs a removal, treating "was never there" as success. */
async function ignoreAbsent(removal: Promise<void>): Promise<void> {
  await removal.catch((error: unknown) => {
    if (!isAbsent(error)) throw error;
  });
}
