/**
 * `alpha generate`: the project re-scaffolded from PROJECT by this kubeforge, with the user's files
 * put back — every file no scaffold writes and every scaffolded file that is the user's once
 * written (ownership.ts). The other scaffolded files are the fresh scaffold's.
 */
import { PROJECT_FILE } from '../../project/index.js';
import { isUserOwned } from './ownership.js';

export interface GeneratedProject {
  /** Every file of the regenerated project. */
  files: Map<string, string>;
  /** Scaffold-owned files whose text in the project differs from the fresh scaffold's (replaced). */
  replaced: string[];
}

export function regeneratedProject(scaffold: Map<string, string>, yours: Map<string, string>): GeneratedProject {
  const files = new Map(scaffold);
  const replaced: string[] = [];
  for (const [path, text] of yours) {
    const fresh = scaffold.get(path);
    if (fresh !== undefined && (path === PROJECT_FILE || !isUserOwned(path))) {
      if (fresh !== text && path !== PROJECT_FILE) replaced.push(path);
    } else {
      files.set(path, text);
    }
  }
  return { files: new Map([...files].sort(([a], [b]) => a.localeCompare(b))), replaced };
}
