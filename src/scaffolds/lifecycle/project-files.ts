/** The files of a project on disk, as a lifecycle command compares them with a scaffold. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Installed packages, build output (but for the helm chart under dist/chart) and version control. */
const NOT_PROJECT_FILES = /^(node_modules|\.git|dist)$/;
const KEPT_UNDER_SKIPPED = new Set(['dist/chart']);

/** Every file under `root` but installed packages, build output and .git: relative POSIX path → text. */
export async function readProjectFiles(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(root, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!NOT_PROJECT_FILES.test(path)) await walk(path);
        else if (path === 'dist') for (const kept of KEPT_UNDER_SKIPPED) await walkIfPresent(kept);
      } else if (entry.isFile()) {
        files.set(path, await readFile(join(root, path), 'utf8'));
      }
    }
  };
  const walkIfPresent = async (path: string) => {
    try {
      await walk(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  };
  await walk('');
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}
