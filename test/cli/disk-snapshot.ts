/**
 * Byte-level pictures of a directory, for tests that prove a command or a failed commit left the
 * disk exactly as it was: every folder (empty ones too) and every file's bytes and mode.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Every folder and file under `root` (relative POSIX path, sorted), folders first in each folder. */
export async function listEntries(root: string): Promise<{ path: string; absolute: string; folder: boolean }[]> {
  const entries: { path: string; absolute: string; folder: boolean }[] = [];
  async function walk(dir: string): Promise<void> {
    const children = (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const child of children) {
      const absolute = join(dir, child.name);
      const folder = child.isDirectory();
      entries.push({ path: relative(root, absolute).split('\\').join('/'), absolute, folder });
      if (folder) await walk(absolute);
    }
  }
  await walk(root);
  return entries;
}

/** `path/` for a folder, `path` → `<mode> <base64 bytes>` for a file: equal snapshots mean an identical disk. */
export async function diskSnapshot(root: string): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  for (const entry of await listEntries(root)) {
    const mode = ((await stat(entry.absolute)).mode & 0o7777).toString(8);
    if (entry.folder) snapshot[`${entry.path}/`] = mode;
    else snapshot[entry.path] = `${mode} ${(await readFile(entry.absolute)).toString('base64')}`;
  }
  return snapshot;
}
