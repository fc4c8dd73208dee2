/**
 * Supply chain, checked offline from package-lock.json and node_modules: kubeforge's production
 * dependency tree (and so a generated operator's, which is kubeforge plus packages of that same
 * tree) has only allow-listed licenses (or a written exception, license-policy.json) and no install
 * scripts. The checker is shown to fire on a synthetic lock. Deprecation is not checked here: the
 * registry this runs against serves no `deprecated` field (see docs/packaging.md, "Supply chain").
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { CLI, REPO, sh, useWorkspace } from '../cli/cli-harness.js';
import {
  checkGeneratedDependencies,
  checkPackages,
  installedUnder,
  licenseAllowed,
  nonDevEntries,
  productionTree,
  readLock,
  satisfies,
  treeSize,
  type InstalledPackage,
  type LicensePolicy,
  type PackageLock,
  type TreePackage,
} from './supply-chain.js';

const POLICY = JSON.parse(readFileSync(new URL('./license-policy.json', import.meta.url), 'utf8')) as LicensePolicy;
const GOLDEN_PACKAGE = new URL('../../fixtures/golden/guestbook/package.json', import.meta.url);

describe("kubeforge's production dependencies", () => {
  const lock = readLock(REPO);
  const tree = productionTree(lock);

  it('are the lock entries without dev: true, every one reachable from the dependencies', () => {
    expect(tree.length).toBeGreaterThan(100);
    expect(tree.map((pkg) => pkg.path)).toEqual(nonDevEntries(lock));
  });

  it('have allow-listed licenses and no install script (lock and installed package.json)', () => {
    expect(checkPackages(tree, POLICY, installedUnder(REPO))).toEqual([]);
  });

  it('use every license exception, each for the license it names, with a reason', () => {
    for (const [name, exception] of Object.entries(POLICY.exceptions)) {
      const users = tree.filter((pkg) => pkg.name === name);
      expect(users.length, `${name} is not in the production tree any more: drop its exception`).toBeGreaterThan(0);
      for (const pkg of users) expect(pkg.entry.license, name).toBe(exception.license);
      expect(exception.reason.length, name).toBeGreaterThan(40);
    }
  });

  it('have a size on disk, reported', () => {
    const size = treeSize(REPO, tree);
    console.log(
      `[supply-chain] production tree: ${tree.length} packages, ${size.files} files, ` +
        `${size.bytes} bytes (${(size.bytes / 2 ** 20).toFixed(1)} MiB; ${(size.allocated / 2 ** 20).toFixed(1)} MiB allocated) under node_modules`,
    );
    expect(size.files).toBeGreaterThan(tree.length);
    expect(size.bytes).toBeGreaterThan(0);
  });
});

describe("a generated project's production dependencies are kubeforge's own tree", () => {
  const lock = readLock(REPO);
  const production = new Set(nonDevEntries(lock));
  const ws = useWorkspace('supply-chain', { once: true });

  /** The generated tree: kubeforge itself plus what its other dependencies pull in from kubeforge's lock. */
  function expectInsideKubeforge(dependencies: Record<string, string>, projectDir: string) {
    expect(Object.keys(dependencies)).toContain('kubeforge');
    const { problems, insideTree } = checkGeneratedDependencies(dependencies, lock, REPO, projectDir);
    expect(problems).toEqual([]);
    const pulledIn = productionTree(lock, insideTree);
    expect(pulledIn.filter((pkg) => !production.has(pkg.path))).toEqual([]);
    const kubeforge: TreePackage = { path: '', name: 'kubeforge', entry: lock.packages[''] };
    expect(checkPackages([kubeforge, ...pulledIn], POLICY, installedUnder(REPO))).toEqual([]);
  }

  it('in the golden project (kubeforge ^0.1.0, @kubernetes/client-node)', async () => {
    const { dependencies } = JSON.parse(await readFile(GOLDEN_PACKAGE, 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(dependencies).sort()).toEqual(['@kubernetes/client-node', 'kubeforge']);
    expectInsideKubeforge(dependencies, ws.project);
  });

  it('in a project `kubeforge init` writes now (kubeforge as file: this checkout)', async () => {
    await sh(ws.project, process.execPath, [CLI, 'init', '--domain', 'example.com', '--yes']);
    const { dependencies } = JSON.parse(await readFile(`${ws.project}/package.json`, 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(dependencies.kubeforge).toMatch(/^file:/);
    expectInsideKubeforge(dependencies, ws.project);
  });
});

describe('the checks fire', () => {
  /** A lock with one package per rule broken, a dev-only GPL package with a script (ignored), and an exception. */
  const lock: PackageLock = {
    lockfileVersion: 3,
    packages: {
      '': {
        name: 'app',
        version: '1.0.0',
        dependencies: {
          good: '1.0.0',
          gpl: '1.0.0',
          scripted: '1.0.0',
          unlicensed: '1.0.0',
          hidden: '1.0.0',
          native: '1.0.0',
        },
        optionalDependencies: { argparse: '^2.0.1', fsevents: '^2.3.3' },
      },
      'node_modules/good': { version: '1.0.0', license: 'MIT', dependencies: { nested: '^2.0.0' } },
      'node_modules/good/node_modules/nested': { version: '2.0.0', license: '(MIT OR GPL-3.0)' },
      'node_modules/nested': { version: '1.0.0', license: 'GPL-3.0', dev: true },
      'node_modules/gpl': { version: '1.0.0', license: 'GPL-3.0' },
      'node_modules/scripted': { version: '1.0.0', license: 'ISC', hasInstallScript: true },
      'node_modules/unlicensed': { version: '1.0.0' },
      'node_modules/hidden': { version: '1.0.0', license: 'MIT' },
      'node_modules/native': { version: '1.0.0', license: 'MIT' },
      'node_modules/fsevents': { version: '2.3.3', license: 'MIT', optional: true, hasInstallScript: false },
      'node_modules/argparse': { version: '2.0.1', license: 'Python-2.0', optional: true },
      'node_modules/devtool': { version: '1.0.0', license: 'GPL-3.0', dev: true, hasInstallScript: true },
    },
  };
  const installed: Record<string, InstalledPackage> = {
    'node_modules/hidden': { scripts: { postinstall: 'node collect.js' }, bindingGyp: false },
    'node_modules/native': { bindingGyp: true },
  };
  /** unlicensed and the optional fsevents are not installed; everything else is, with no scripts. */
  const read = (path: string): InstalledPackage | undefined =>
    installed[path] ??
    (['node_modules/unlicensed', 'node_modules/fsevents'].includes(path) ? undefined : { bindingGyp: false });

  it('walks dependencies as Node resolves them, nested copies first', () => {
    expect(productionTree(lock).map((pkg) => pkg.path)).toEqual(nonDevEntries(lock));
    expect(productionTree(lock).map((pkg) => pkg.path)).toContain('node_modules/good/node_modules/nested');
    const broken = structuredClone(lock);
    delete broken.packages['node_modules/gpl'];
    expect(() => productionTree(broken)).toThrow('the root package needs gpl, which it does not hold');
  });

  it('reports a GPL-3.0 package, a missing license, install scripts from either source, a missing copy', () => {
    expect(checkPackages(productionTree(lock), POLICY, read)).toEqual([
      { package: 'gpl@1.0.0', rule: 'license', detail: 'GPL-3.0 is not allowed' },
      { package: 'hidden@1.0.0', rule: 'install-script', detail: 'package.json scripts.postinstall' },
      { package: 'native@1.0.0', rule: 'install-script', detail: 'binding.gyp (npm runs node-gyp rebuild)' },
      { package: 'scripted@1.0.0', rule: 'install-script', detail: 'package-lock.json: hasInstallScript' },
      { package: 'unlicensed@1.0.0', rule: 'license', detail: 'no license' },
      { package: 'unlicensed@1.0.0', rule: 'not-installed', detail: 'node_modules/unlicensed is missing: run npm ci' },
    ]);
  });

  it('takes an exception only for the license it names', () => {
    const argparse = (license: string): TreePackage => ({
      path: 'node_modules/argparse',
      name: 'argparse',
      entry: { version: '2.0.1', license },
    });
    const none = () => ({ bindingGyp: false });
    expect(checkPackages([argparse('Python-2.0')], POLICY, none)).toEqual([]);
    expect(checkPackages([argparse('GPL-2.0-only')], POLICY, none)).toEqual([
      { package: 'argparse@2.0.1', rule: 'license', detail: 'GPL-2.0-only is not allowed' },
    ]);
  });

  it('reads SPDX expressions: OR needs one side, AND both', () => {
    const allowed = POLICY.allowed;
    expect(licenseAllowed('MIT', allowed)).toBe(true);
    expect(licenseAllowed('(MIT OR GPL-3.0)', allowed)).toBe(true);
    expect(licenseAllowed('MIT AND GPL-3.0', allowed)).toBe(false);
    expect(licenseAllowed('MIT AND (Apache-2.0 OR GPL-3.0)', allowed)).toBe(true);
    expect(licenseAllowed('Apache-2.0 WITH LLVM-exception', allowed)).toBe(false);
    expect(licenseAllowed('SEE LICENSE IN LICENSE.md', allowed)).toBe(false);
  });

  it("refuses generated dependencies outside kubeforge's production tree or its versions", () => {
    const real = readLock(REPO);
    const check = (dependencies: Record<string, string>) =>
      checkGeneratedDependencies(dependencies, real, REPO, REPO).problems;
    expect(check({ kubeforge: '^0.2.0' })).toEqual(["kubeforge: ^0.2.0 does not match kubeforge's version 0.1.0"]);
    expect(check({ kubeforge: 'file:/elsewhere' })).toEqual([
      `kubeforge: file:/elsewhere is not this kubeforge (${REPO})`,
    ]);
    expect(check({ '@kubernetes/client-node': '~1.3.0' })[0]).toMatch(
      /^@kubernetes\/client-node: kubeforge's tree has 1\.4\.\d+, outside ~1\.3\.0$/,
    );
    expect(check({ vitest: '^4.0.0' })).toEqual(['vitest: only a dev dependency of kubeforge']);
    expect(check({ 'left-pad': '^1.3.0' })).toEqual(["left-pad: not in kubeforge's package-lock.json"]);
  });

  it('matches ^, ~ and exact ranges as npm does', () => {
    expect([satisfies('1.4.2', '~1.4.0'), satisfies('1.5.0', '~1.4.0')]).toEqual([true, false]);
    expect([satisfies('1.9.0', '^1.4.0'), satisfies('2.0.0', '^1.4.0')]).toEqual([true, false]);
    expect([satisfies('0.1.9', '^0.1.0'), satisfies('0.2.0', '^0.1.0'), satisfies('0.0.4', '^0.0.3')]).toEqual([
      true,
      false,
      false,
    ]);
    expect([satisfies('1.4.0-rc.1', '^1.4.0'), satisfies('1.3.9', '^1.4.0'), satisfies('1.4.0', '1.4.0')]).toEqual([
      false,
      false,
      true,
    ]);
    expect(() => satisfies('1.0.0', '>=1 <2')).toThrow('unsupported version range ">=1 <2"');
  });
});
