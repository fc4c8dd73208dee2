/** The files of a project on disk, as a lifecycle command compares them with a scaffold. */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Installed packages, build output (but for the helm chart under dist/chart) and version control. */
const NOT_PROJECT_FILES = /^(node_modules|\.git|dist)$/;
const KEPT_UNDER_SKIPPED = new Set(['dist/chart']);

export interface ProjectFiles {
  /** Text files: relative POSIX path → text. */
  text: Map<string, string>;
  /** Files that are not UTF-8 text (images, archives): copied as bytes, never merged. */
  binary: string[];
}

/** Every file under `root` but installed packages, build output and .git, sorted by path. */
export async function readProjectFiles(root: string): Promise<ProjectFiles> {
  const files = new Map<string, string>();
  const binary: string[] = [];
  const walk = async (relative: string): Promise<void> => {
    for (const entry of await readdir(join(root, relative), { withFileTypes: true })) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!NOT_PROJECT_FILES.test(path)) await walk(path);
        else if (path === 'dist') for (const kept of KEPT_UNDER_SKIPPED) await walkIfPresent(kept);
      } else if (entry.isFile()) {
        const bytes = await readFile(join(root, path));
        if (isText(bytes)) files.set(path, bytes.toString('utf8'));
        else binary.push(path);
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
  return { text: new Map([...files].sort(([a], [b]) => a.localeCompare(b))), binary: binary.sort() };
}

/** UTF-8 without NUL bytes: what a text file of a project is. */
function isText(bytes: Buffer): boolean {
  return !bytes.includes(0) && Buffer.from(bytes.toString('utf8'), 'utf8').equals(bytes);
}
