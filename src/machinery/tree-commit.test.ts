import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { diskSnapshot } from '../../test/cli/disk-snapshot.js';
import { UserError } from '../errors.js';
import { DiskStore, MemoryStore, type RestoreSnapshot } from './file-store.js';
import { Tree } from './tree.js';

/** A MemoryStore whose `failOn`-th write stores half its content and then fails like a full disk. */
class FailingStore extends MemoryStore {
  writes = 0;
  failingRestores = new Set<string>();

  constructor(
    files: Record<string, string>,
    private readonly failOn: number,
  ) {
    super(files);
  }

  override async write(path: string, content: string): Promise<void> {
    if (++this.writes < this.failOn) return super.write(path, content);
    await super.write(path, content.slice(0, content.length / 2));
    throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: 'ENOSPC', path });
  }

  override async snapshot(path: string): Promise<RestoreSnapshot> {
    const restore = await super.snapshot(path);
    return async () => {
      if (this.failingRestores.has(path)) throw new Error(`cannot restore ${path}`);
      await restore();
    };
  }
}

const FILES = { PROJECT: 'domain: example.com\n', 'src/main.ts': 'main();\n', 'config/a.yaml': 'a: 1\n' };

/** Stages two updates and three creations, in this order. */
function stageOn(tree: Tree): void {
  tree.write('src/main.ts', 'main();\nsetup();\n');
  tree.write('api/v1/guestbook.types.ts', 'export interface Guestbook {}\n');
  tree.write('PROJECT', 'domain: example.com\nresources: []\n');
  tree.write('config/samples/a.yaml', 'kind: Guestbook\n');
  tree.write('config/b.yaml', 'b: 2\n');
}

async function commitError(tree: Tree): Promise<UserError> {
  const error: unknown = await tree.commit().then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(UserError);
  return error as UserError;
}

describe('Tree.commit is all or nothing', () => {
  it.each([1, 2, 3, 4, 5])('a failure on write %i puts back every file the commit touched', async (failOn) => {
    const store = new FailingStore(FILES, failOn);
    const tree = new Tree(store);
    stageOn(tree);
    const error = await commitError(tree);
    expect(store.writes).toBe(failOn);
    expect(Object.fromEntries(store.files)).toEqual(FILES);
    expect(error.message).toMatch(
      new RegExp(
        `^cannot write \\S+: no space left for \\S+ \\(ENOSPC\\); nothing was changed${failOn === 1 ? '' : ` \\(${failOn - 1} file\\(s\\) written before it were put back\\)`}$`,
      ),
    );
    expect(error.hint).toBe('free some disk space, then run the command again');
  });

  it('says which files it could not put back', async () => {
    const store = new FailingStore(FILES, 4);
    store.failingRestores.add('api/v1/guestbook.types.ts');
    const tree = new Tree(store);
    stageOn(tree);
    const error = await commitError(tree);
    expect(error.message).toContain(
      'the project is half-written: could not put back api/v1/guestbook.types.ts (cannot restore api/v1/guestbook.types.ts)',
    );
    expect(store.files.get('src/main.ts')).toBe(FILES['src/main.ts']);
  });

  it('writes nothing and forgets nothing when there is nothing to write', async () => {
    const store = new FailingStore(FILES, 1);
    const tree = new Tree(store);
    tree.write('PROJECT', FILES.PROJECT);
    expect(await tree.commit()).toEqual([{ path: 'PROJECT', action: 'SKIP', detail: 'unchanged' }]);
    expect(store.writes).toBe(0);
  });
});

describe('Tree.commit on a real disk', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'kubeforge-commit-'));
    await mkdir(join(root, 'src'));
    await mkdir(join(root, 'empty'));
    await writeFile(join(root, 'src/main.ts'), 'main();\n');
    await writeFile(join(root, 'README.md'), '# guestbook\n');
    await writeFile(join(root, 'logo.bin'), Buffer.from([0xff, 0xfe, 0x00, 0x80]));
    await chmod(join(root, 'logo.bin'), 0o600);
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  /** Updates three files (one not UTF-8) and creates two in new and empty folders, then `last`. */
  function stage(last: string): Tree {
    const tree = new Tree(new DiskStore(root));
    tree.write('src/main.ts', 'main();\nsetup();\n');
    tree.write('logo.bin', 'not a logo');
    tree.write('config/crd/bases/a.yaml', 'kind: CustomResourceDefinition\n');
    tree.write('empty/b.txt', 'b\n');
    tree.write('README.md', '# guestbook, updated\n');
    tree.write(last, 'x');
    return tree;
  }

  it('puts back the bytes, modes and folders as they were when a parent of a path is a file (ENOTDIR)', async () => {
    const before = await diskSnapshot(root);
    const error = await commitError(stage('README.md/notes/x.txt'));
    expect(await diskSnapshot(root)).toEqual(before);
    expect(error.message).toBe(
      `cannot write README.md/notes/x.txt: ${join(root, 'README.md')} is a file, not a folder (ENOTDIR); ` +
        'nothing was changed (5 file(s) written before it were put back)',
    );
    expect(error.hint).toBe(
      `move or rename ${join(root, 'README.md')} (a folder of that name is needed), then run the command again`,
    );
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOTDIR');
  });

  it('removes the folders the failing write itself created (ENAMETOOLONG after mkdir)', async () => {
    const before = await diskSnapshot(root);
    const error = await commitError(stage(`fresh/deeper/${'n'.repeat(300)}.ts`));
    expect(await diskSnapshot(root)).toEqual(before);
    expect(error.message).toMatch(/^cannot write fresh\/deeper\/n+\.ts: the name is too long .*\(ENAMETOOLONG\); /);
  });

  it('writes everything when nothing fails', async () => {
    const tree = stage('fresh/c.txt');
    await tree.commit();
    const after = await diskSnapshot(root);
    expect(after['fresh/c.txt']).toMatch(new RegExp(` ${Buffer.from('x').toString('base64')}$`));
    expect(after['logo.bin']).toBe(`600 ${Buffer.from('not a logo').toString('base64')}`);
  });
});
