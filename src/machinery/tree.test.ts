import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiskStore, MemoryStore } from './file-store.js';
import { Tree } from './tree.js';

describe('Tree', () => {
  it('stages writes: reads see them, the store does not until commit', async () => {
    const store = new MemoryStore({ 'a.txt': 'old' });
    const tree = new Tree(store);
    tree.write('a.txt', 'new');
    tree.write('dir/b.txt', 'b');
    expect(tree.read('a.txt')).toBe('new');
    expect(tree.exists('dir/b.txt')).toBe(true);
    expect(store.files.get('a.txt')).toBe('old');
    expect(store.files.has('dir/b.txt')).toBe(false);
    await tree.commit();
    expect(Object.fromEntries(store.files)).toEqual({ 'a.txt': 'new', 'dir/b.txt': 'b' });
    expect(tree.changes()).toEqual([]);
  });

  it('reports CREATE, UPDATE and SKIP against the content before the first touch', () => {
    const tree = new Tree(new MemoryStore({ same: 'x', changed: 'x', kept: 'x' }));
    tree.write('fresh', 'y');
    tree.write('same', 'x');
    tree.write('changed', 'y');
    tree.scaffold('kept', 'y');
    tree.write('back', 'y');
    expect(tree.changes()).toEqual([
      { path: 'fresh', action: 'CREATE' },
      { path: 'same', action: 'SKIP', detail: 'unchanged' },
      { path: 'changed', action: 'UPDATE' },
      { path: 'kept', action: 'SKIP', detail: 'exists; --force overwrites it' },
      { path: 'back', action: 'CREATE' },
    ]);
  });

  it('scaffolds once and overwrites only with force', () => {
    const tree = new Tree(new MemoryStore({ 'README.md': 'mine' }));
    tree.scaffold('README.md', 'theirs');
    expect(tree.read('README.md')).toBe('mine');
    tree.scaffold('README.md', 'theirs', { force: true });
    expect(tree.read('README.md')).toBe('theirs');
    expect(tree.changes()).toEqual([{ path: 'README.md', action: 'UPDATE', detail: 'overwritten by --force' }]);
  });

  it('always rewrites generated files, and skips them when the content is the same', () => {
    const tree = new Tree(new MemoryStore({ PROJECT: 'v1' }));
    tree.generate('PROJECT', 'v1');
    expect(tree.changes()).toEqual([{ path: 'PROJECT', action: 'SKIP', detail: 'unchanged' }]);
    tree.generate('PROJECT', 'v2');
    expect(tree.changes()).toEqual([{ path: 'PROJECT', action: 'UPDATE' }]);
  });

  it('inserts at markers once and reports a second insertion as a skip', async () => {
    const store = new MemoryStore({ 'main.ts': 'a\n// +kubeforge:scaffold:builder\n' });
    const first = new Tree(store);
    expect(first.insert('main.ts', 'builder', ['setup(mgr);'])).toBe(true);
    expect(first.changes()).toEqual([
      { path: 'main.ts', action: 'UPDATE', detail: 'inserted at +kubeforge:scaffold:builder' },
    ]);
    await first.commit();
    const second = new Tree(store);
    second.insert('main.ts', 'builder', ['setup(mgr);']);
    expect(second.changes()).toEqual([{ path: 'main.ts', action: 'SKIP', detail: 'already present' }]);
    expect(second.insert('main.ts', 'imports', ['x'])).toBe(false);
    expect(second.insert('absent.ts', 'builder', ['x'])).toBe(false);
  });

  it('refuses paths that leave the project', () => {
    const tree = new Tree(new MemoryStore());
    expect(() => tree.write('../outside', 'x')).toThrow(/inside the project/);
    expect(() => tree.write('/etc/passwd', 'x')).toThrow(/inside the project/);
    expect(() => tree.write('a/../../b', 'x')).toThrow(/inside the project/);
  });

  it('commits to disk, creating folders, and writes nothing before commit', async () => {
    const root = await mkdtemp(join(tmpdir(), 'kubeforge-tree-'));
    try {
      const tree = new Tree(new DiskStore(root));
      tree.write('config/rbac/role.yaml', 'kind: ClusterRole\n');
      expect(await readdir(root)).toEqual([]);
      expect(await tree.commit()).toEqual([{ path: 'config/rbac/role.yaml', action: 'CREATE' }]);
      expect(await readFile(join(root, 'config/rbac/role.yaml'), 'utf8')).toBe('kind: ClusterRole\n');
      const again = new Tree(new DiskStore(root));
      again.write('config/rbac/role.yaml', 'kind: ClusterRole\n');
      expect(again.changes()).toEqual([{ path: 'config/rbac/role.yaml', action: 'SKIP', detail: 'unchanged' }]);
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  });
});
