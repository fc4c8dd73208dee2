/**
 * The Tree every writing command goes through. Writes are staged in memory and reads see them
 * (read-through to the store for untouched paths); nothing reaches the store until `commit`.
 * Each touched path ends as CREATE, UPDATE or SKIP, judged against the content the store had when
 * the path was first touched, so writing identical content is a SKIP and a second identical run
 * reports no change. The three ownership kinds of docs/architecture.md are methods: `generate` (always
 * rewritten), `scaffold` (written once; `force` overwrites) and `insert` (at scaffold markers).
 * `commit` is all or nothing: a failed write puts back every path the commit touched.
 */
import { posix } from 'node:path';
import { UserError } from '../errors.js';
import { commentSyntaxOf } from './line-kinds.js';
import { describeWriteFailure, type FileStore, type RestoreSnapshot } from './file-store.js';
import { insertAtMarker, MARKER_PREFIX } from './markers.js';

export type ChangeAction = 'CREATE' | 'UPDATE' | 'SKIP';

export interface FileChange {
  path: string;
  action: ChangeAction;
  /** Why a path was skipped or how it was changed ("exists; --force overwrites", "inserted 2 lines"). */
  detail?: string;
}

export class Tree {
  /** Store content of each touched path at first touch (undefined: absent). */
  private readonly original = new Map<string, string | undefined>();
  private readonly staged = new Map<string, string>();
  /** Why paths were changed ("inserted at …") or left alone ("exists; …"), for the report. */
  private readonly changeNotes = new Map<string, string[]>();
  private readonly skipNotes = new Map<string, string[]>();

  constructor(readonly store: FileStore) {}

  exists(path: string): boolean {
    return this.read(path) !== undefined;
  }

  read(path: string): string | undefined {
    const key = normalisePath(path);
    return this.staged.has(key) ? this.staged.get(key) : this.store.read(key);
  }

  /** Stages content for a path; `detail` explains the change in the report. */
  write(path: string, content: string, detail?: string): void {
    const key = this.touch(path);
    this.staged.set(key, content);
    if (detail) note(this.changeNotes, key, detail);
  }

  /** Records that a path was deliberately left alone, and why. */
  skip(path: string, detail: string): void {
    note(this.skipNotes, this.touch(path), detail);
  }

  /** A generated file: always rewritten; SKIP when the new content equals the old. */
  generate(path: string, content: string): void {
    this.write(path, content);
  }

  /** A scaffolded-once file: written when absent; left alone when present unless `force`. */
  scaffold(path: string, content: string, options: { force?: boolean } = {}): void {
    const existing = this.read(path);
    if (existing === undefined) this.write(path, content);
    else if (existing === content) this.skip(path, 'unchanged');
    else if (options.force) this.write(path, content, 'overwritten by --force');
    else this.skip(path, 'exists; --force overwrites it');
  }

  /**
   * Inserts fragments above the `+kubeforge:scaffold:<marker>` comment line of an existing file (a
   * real comment in the file's syntax, never text in a string); fragments already present are left
   * alone. Returns false when the file or its marker is missing.
   */
  insert(path: string, marker: string, fragments: string[]): boolean {
    const text = this.read(path);
    if (text === undefined) return false;
    const result = insertAtMarker(text, marker, fragments, commentSyntaxOf(path));
    if (!result.markerFound) return false;
    if (result.inserted.length === 0) {
      this.skip(path, 'already present');
    } else {
      this.write(path, result.text, `inserted at ${MARKER_PREFIX}${marker}`);
    }
    return true;
  }

  /** One entry per touched path, in the order paths were first touched. */
  changes(): FileChange[] {
    return [...this.original.keys()].map((path) => {
      const before = this.original.get(path);
      const after = this.staged.has(path) ? this.staged.get(path) : before;
      const action: ChangeAction =
        before === undefined && after !== undefined ? 'CREATE' : before === after ? 'SKIP' : 'UPDATE';
      if (action === 'CREATE') return { path, action };
      const notes = action === 'SKIP' ? (this.skipNotes.get(path) ?? ['unchanged']) : this.changeNotes.get(path);
      return notes ? { path, action, detail: notes.join('; ') } : { path, action };
    });
  }

  /**
   * Writes every CREATE and UPDATE to the store and returns the changes; the tree then starts
   * afresh. All or nothing: when a write fails, every path written so far (the failing one too)
   * is put back as it was, and a `UserError` names the path, the reason and what to do.
   */
  async commit(): Promise<FileChange[]> {
    const changes = this.changes();
    const restores: [string, RestoreSnapshot][] = [];
    for (const change of changes) {
      if (change.action === 'SKIP') continue;
      try {
        restores.push([change.path, await this.store.snapshot(change.path)]);
        await this.store.write(change.path, this.staged.get(change.path) as string);
      } catch (error) {
        throw await rollBack(change.path, error, restores);
      }
    }
    for (const map of [this.original, this.staged, this.changeNotes, this.skipNotes]) map.clear();
    return changes;
  }

  private touch(path: string): string {
    const key = normalisePath(path);
    if (!this.original.has(key)) this.original.set(key, this.store.read(key));
    return key;
  }
}

/** Restores the snapshots newest first; the error says whether the project is back as it was. */
async function rollBack(path: string, error: unknown, restores: [string, RestoreSnapshot][]): Promise<UserError> {
  const unrestored: string[] = [];
  for (const [restoredPath, restore] of restores.toReversed()) {
    try {
      await restore();
    } catch (restoreError) {
      unrestored.push(`${restoredPath} (${describeWriteFailure(restoreError).reason})`);
    }
  }
  const { reason, hint } = describeWriteFailure(error);
  const written = restores.filter(([restoredPath]) => restoredPath !== path).length;
  const outcome =
    unrestored.length > 0
      ? `the project is half-written: could not put back ${unrestored.join(', ')}`
      : written > 0
        ? `nothing was changed (${written} file(s) written before it were put back)`
        : 'nothing was changed';
  return new UserError(`cannot write ${path}: ${reason}; ${outcome}`, { hint, cause: error });
}

function note(notes: Map<string, string[]>, path: string, detail: string): void {
  const list = notes.get(path) ?? [];
  if (!list.includes(detail)) list.push(detail);
  notes.set(path, list);
}

/** Project-relative POSIX path; absolute paths and `..` escapes are programming errors. */
function normalisePath(path: string): string {
  const normal = posix.normalize(path.replaceAll('\\', '/'));
  if (posix.isAbsolute(normal) || normal === '..' || normal.startsWith('../')) {
    throw new Error(`Tree paths must stay inside the project: ${path}`);
  }
  return normal;
}
