/**
 * What `kubeforge upgrade` does to each file, from three trees: the scaffold of the version the
 * project was made with (base), the scaffold of this version (target) and the project as it is
 * (yours) — file by file, as `git merge-file` does line by line.
 */
import type { MergeFile } from './merge-file.js';

export type UpgradeAction =
  /** Untouched since it was scaffolded: becomes this version's. */
  | 'update'
  /** Edited by you and changed by the new version, in different places: both kept. */
  | 'merge'
  /** Edited by you and changed by the new version in the same place: written with conflict markers. */
  | 'conflict'
  /** Written by the new version only. */
  | 'create'
  /** No longer written by the new version: kept, reported. */
  | 'removed'
  /** Deleted by you, changed by the new version: stays deleted, reported. */
  | 'deleted';

export interface UpgradeStep {
  path: string;
  action: UpgradeAction;
  /** The file's new text (update, merge, conflict, create). */
  text?: string;
  /** Conflicting hunks of a `conflict`. */
  conflicts?: number;
}

export interface UpgradeVersions {
  from: string;
  to: string;
}

/** The steps, by path; files where nothing changes have none. */
export async function planUpgrade(
  base: Map<string, string>,
  target: Map<string, string>,
  yours: Map<string, string>,
  versions: UpgradeVersions,
  merge: MergeFile,
): Promise<UpgradeStep[]> {
  const steps: UpgradeStep[] = [];
  const paths = [...new Set([...base.keys(), ...target.keys()])].sort((a, b) => a.localeCompare(b));
  for (const path of paths) {
    const [old, next, current] = [base.get(path), target.get(path), yours.get(path)];
    if (next === undefined) {
      if (current !== undefined) steps.push({ path, action: 'removed' });
    } else if (current === next || (old === next && current !== undefined)) {
      continue;
    } else if (current === undefined) {
      steps.push(old === undefined ? { path, action: 'create', text: next } : { path, action: 'deleted' });
    } else if (current === old) {
      steps.push({ path, action: 'update', text: next });
    } else {
      const labels = {
        ours: `${path} (yours)`,
        base: `${path} (kubeforge ${versions.from})`,
        theirs: `${path} (kubeforge ${versions.to})`,
      };
      const merged = await merge(current, old ?? '', next, labels);
      steps.push(
        merged.conflicts > 0
          ? { path, action: 'conflict', text: merged.text, conflicts: merged.conflicts }
          : { path, action: 'merge', text: merged.text },
      );
    }
  }
  return steps;
}
