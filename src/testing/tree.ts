/**
 * An in-memory Tree for tests of scaffolds and generators: seed it with files, run the code that
 * stages writes on it, then assert on `tree.read(path)` and `tree.changes()` — no disk involved.
 */
import { MemoryStore, Tree } from '../machinery/index.js';

export { Tree, type ChangeAction, type FileChange } from '../machinery/index.js';

/** A Tree over an in-memory project holding `files` (project-relative path → content). */
export function memoryTree(files: Record<string, string> = {}): Tree {
  return new Tree(new MemoryStore(files));
}
