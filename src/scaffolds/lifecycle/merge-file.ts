/**
 * A three-way merge of one file with git's `merge-file` (the merge git itself does): the changes
 * from `base` to `theirs` applied to `ours`, with conflict markers where both changed the same
 * lines. git rather than a JavaScript diff3: node-diff3, the kept package, declares Bun only in
 * its engines, and every developer with a project under version control has git.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { UserError } from '../../errors.js';

export interface MergeResult {
  text: string;
  /** Number of conflicting hunks (0: a clean merge). */
  conflicts: number;
}

/** The labels of the three sides in conflict markers. */
export interface MergeLabels {
  ours: string;
  base: string;
  theirs: string;
}

export type MergeFile = (ours: string, base: string, theirs: string, labels: MergeLabels) => Promise<MergeResult>;

/** `git merge-file -p`; a missing git is a `UserError` saying so. */
export const gitMergeFile: MergeFile = async (ours, base, theirs, labels) => {
  const dir = await mkdtemp(join(tmpdir(), 'kubeforge-merge-'));
  try {
    const paths = ['ours', 'base', 'theirs'].map((name) => join(dir, name));
    await Promise.all([ours, base, theirs].map((text, index) => writeFile(paths[index], text)));
    const args = ['merge-file', '-p', '-L', labels.ours, '-L', labels.base, '-L', labels.theirs, ...paths];
    return await new Promise<MergeResult>((resolve, reject) => {
      execFile('git', args, { maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
        const code = error === null ? 0 : error.code;
        if (typeof code === 'number' && code >= 0 && code < 128) resolve({ text: stdout, conflicts: code });
        else if (code === 'ENOENT')
          reject(new UserError('upgrade merges files with `git merge-file`: git is not on PATH'));
        else reject(new Error(`git merge-file failed: ${stderr || String(error)}`));
      });
    });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
