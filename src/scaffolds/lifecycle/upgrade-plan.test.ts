import { describe, expect, it } from 'vitest';
import { gitMergeFile } from './merge-file.js';
import { planUpgrade } from './upgrade-plan.js';

const versions = { from: '0.0.9', to: '0.1.0' };
const map = (entries: Record<string, string>) => new Map(Object.entries(entries));

describe('planUpgrade (with git merge-file)', () => {
  it('one action per file: update, merge, conflict, create, removed, deleted; nothing for settled files', async () => {
    const base = map({
      'untouched.txt': 'a\n',
      'edited.txt': '1\n2\n3\n4\n5\n6\n7\n8\n',
      'clash.txt': 'x\n',
      'gone.txt': 'old\n',
      'gone-deleted.txt': 'old\n',
      'deleted.txt': 'v1\n',
      'same.txt': 's\n',
      'yours-only-edit.txt': 'k\n',
    });
    const target = map({
      'untouched.txt': 'b\n',
      'edited.txt': '1\n2\n3\n4\n5\n6\n7\nEIGHT\n',
      'clash.txt': 'new\n',
      'deleted.txt': 'v2\n',
      'same.txt': 's\n',
      'yours-only-edit.txt': 'k\n',
      'added.txt': 'fresh\n',
    });
    const yours = map({
      'untouched.txt': 'a\n',
      'edited.txt': 'ONE\n2\n3\n4\n5\n6\n7\n8\n',
      'clash.txt': 'mine\n',
      'gone.txt': 'old\n',
      'same.txt': 's\n',
      'yours-only-edit.txt': 'my k\n',
    });
    const steps = await planUpgrade(base, target, yours, versions, gitMergeFile);
    expect(steps).toEqual([
      { path: 'added.txt', action: 'create', text: 'fresh\n' },
      {
        path: 'clash.txt',
        action: 'conflict',
        conflicts: 1,
        text: '<<<<<<< clash.txt (yours)\nmine\n=======\nnew\n>>>>>>> clash.txt (kubeforge 0.1.0)\n',
      },
      { path: 'deleted.txt', action: 'deleted' },
      { path: 'edited.txt', action: 'merge', text: 'ONE\n2\n3\n4\n5\n6\n7\nEIGHT\n' },
      { path: 'gone.txt', action: 'removed' },
      { path: 'untouched.txt', action: 'update', text: 'b\n' },
    ]);
  });

  it('a file new in this version that you already have is merged against an empty base', async () => {
    const steps = await planUpgrade(
      map({}),
      map({ 'n.txt': 'theirs\n' }),
      map({ 'n.txt': 'mine\n' }),
      versions,
      gitMergeFile,
    );
    expect(steps).toMatchObject([{ path: 'n.txt', action: 'conflict', conflicts: 1 }]);
  });
});
