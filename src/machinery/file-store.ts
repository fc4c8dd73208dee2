/**
 * Where a Tree reads existing files from and commits staged files to: the disk under a project
 * root, or a plain in-memory map (for tests and for users' own generators).
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface FileStore {
  /** Current content of a project-relative path, or undefined when absent. */
  read(path: string): string | undefined;
  write(path: string, content: string): Promise<void>;
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
}
