/**
 * The production dependency tree of a package-lock.json (v3 `packages`), walked the way Node
 * resolves it, and the rules it must keep: every package has a license from the allow-list (or a
 * written exception for that package and that license), and none runs an install script — by the
 * lock's `hasInstallScript` or, as a second source, by the installed package.json's
 * install/preinstall/postinstall scripts or a binding.gyp (which npm builds with node-gyp). Plus
 * the check that a generated project's production dependencies are kubeforge itself or resolve
 * inside kubeforge's own production tree. Pure functions over the lock, so a synthetic lock can
 * prove each rule fires.
 */
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export interface LockEntry {
  name?: string;
  version?: string;
  license?: string | { type?: string };
  dev?: boolean;
  optional?: boolean;
  devOptional?: boolean;
  hasInstallScript?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

export interface PackageLock {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
}

/** A package of the tree: its lock path (`node_modules/a/node_modules/b`), name and lock entry. */
export interface TreePackage {
  path: string;
  name: string;
  entry: LockEntry;
}

export interface LicensePolicy {
  /** SPDX identifiers every package may have. */
  allowed: string[];
  /** Per package name: the one other license it may have, and why that is acceptable. */
  exceptions: Record<string, { license: string; reason: string }>;
}

export interface Violation {
  package: string;
  rule: 'license' | 'install-script' | 'not-installed';
  detail: string;
}

/** What the installed copy of a package says about itself (its package.json, and whether it has a binding.gyp). */
export interface InstalledPackage {
  scripts?: Record<string, string>;
  bindingGyp: boolean;
}

export const INSTALL_SCRIPTS = ['preinstall', 'install', 'postinstall'] as const;

export function readLock(root: string): PackageLock {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as PackageLock;
  if (lock.lockfileVersion !== 3 || !lock.packages?.['']) {
    throw new Error(`${root}/package-lock.json: expected lockfileVersion 3 with a "packages" map`);
  }
  return lock;
}

export function packageName(path: string): string {
  return path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length);
}

/** The lock path `name` resolves to when required from the package at `from`, as Node searches node_modules upwards. */
export function resolveFrom(lock: PackageLock, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (lock.packages[candidate]) return candidate;
    if (!dir) return undefined;
    const parent = dir.lastIndexOf('/node_modules/');
    dir = parent < 0 ? '' : dir.slice(0, parent);
  }
}

/** What a package needs at run time: dependencies, optional dependencies, and peers not marked optional. */
function runtimeDependencies(entry: LockEntry): { name: string; optional: boolean }[] {
  const peers = Object.keys(entry.peerDependencies ?? {}).filter(
    (name) => !entry.peerDependenciesMeta?.[name]?.optional,
  );
  return [
    ...[...Object.keys(entry.dependencies ?? {}), ...peers].map((name) => ({ name, optional: false })),
    ...Object.keys(entry.optionalDependencies ?? {}).map((name) => ({ name, optional: true })),
  ];
}

/**
 * Every package reachable from `roots` (dependency names required by the root package; default:
 * the root package's own runtime dependencies), sorted by path. A required dependency the lock
 * cannot resolve is an error: the lock is inconsistent.
 */
export function productionTree(lock: PackageLock, roots?: string[]): TreePackage[] {
  const seen = new Map<string, TreePackage>();
  const pending: { from: string; name: string; optional: boolean }[] = (
    roots?.map((name) => ({ name, optional: false })) ?? runtimeDependencies(lock.packages[''])
  ).map((dependency) => ({ from: '', ...dependency }));
  for (let next = pending.pop(); next; next = pending.pop()) {
    const path = resolveFrom(lock, next.from, next.name);
    if (!path) {
      if (next.optional) continue;
      throw new Error(
        `package-lock.json: ${next.from || 'the root package'} needs ${next.name}, which it does not hold`,
      );
    }
    if (seen.has(path)) continue;
    const entry = lock.packages[path];
    seen.set(path, { path, name: packageName(path), entry });
    pending.push(...runtimeDependencies(entry).map((dependency) => ({ from: path, ...dependency })));
  }
  return [...seen.values()].sort((a, b) => a.path.localeCompare(b.path));
}

/** The lock's own verdict: every entry but the root and those marked `dev: true`. */
export function nonDevEntries(lock: PackageLock): string[] {
  return Object.keys(lock.packages)
    .filter((path) => path !== '' && !lock.packages[path].dev)
    .sort((a, b) => a.localeCompare(b));
}

export function licenseOf(entry: LockEntry): string | undefined {
  const license = typeof entry.license === 'string' ? entry.license : entry.license?.type;
  return license?.trim() || undefined;
}

/**
 * Whether an SPDX expression is satisfied by `allowed`: `A OR B` needs one side, `A AND B` both,
 * parentheses group; anything else (`WITH`, `+`, `SEE LICENSE IN …`) is not an allowed identifier.
 */
export function licenseAllowed(expression: string, allowed: readonly string[]): boolean {
  const tokens = expression.match(/\(|\)|[^\s()]+/g) ?? [];
  let at = 0;
  const atom = (): boolean => {
    const token = tokens[at++];
    if (token !== '(') return token !== undefined && allowed.includes(token);
    const inner = or();
    return tokens[at++] === ')' && inner;
  };
  const and = (): boolean => {
    let ok = atom();
    while (tokens[at] === 'AND') {
      at++;
      const right = atom();
      ok = ok && right;
    }
    return ok;
  };
  const or = (): boolean => {
    let ok = and();
    while (tokens[at] === 'OR') {
      at++;
      const right = and();
      ok = ok || right;
    }
    return ok;
  };
  return or() && at === tokens.length;
}

/** The license and install-script rules over `packages`; `installed(path)` reads the installed copy, undefined when absent. */
export function checkPackages(
  packages: TreePackage[],
  policy: LicensePolicy,
  installed: (path: string) => InstalledPackage | undefined,
): Violation[] {
  const violations: Violation[] = [];
  for (const { path, name, entry } of packages) {
    const id = `${name}@${entry.version ?? '?'}`;
    const license = licenseOf(entry);
    const exception = policy.exceptions[name];
    if (!license) violations.push({ package: id, rule: 'license', detail: 'no license' });
    else if (!licenseAllowed(license, policy.allowed) && exception?.license !== license)
      violations.push({ package: id, rule: 'license', detail: `${license} is not allowed` });
    if (entry.hasInstallScript)
      violations.push({ package: id, rule: 'install-script', detail: 'package-lock.json: hasInstallScript' });
    const copy = installed(path);
    if (!copy) {
      if (!entry.optional)
        violations.push({ package: id, rule: 'not-installed', detail: `${path} is missing: run npm ci` });
      continue;
    }
    for (const script of INSTALL_SCRIPTS)
      if (copy.scripts?.[script])
        violations.push({ package: id, rule: 'install-script', detail: `package.json scripts.${script}` });
    if (copy.bindingGyp && !copy.scripts?.install)
      violations.push({ package: id, rule: 'install-script', detail: 'binding.gyp (npm runs node-gyp rebuild)' });
  }
  return violations;
}

/** Reads installed copies under `root` (the folder holding node_modules). */
export function installedUnder(root: string): (path: string) => InstalledPackage | undefined {
  return (path) => {
    const manifest = join(root, path, 'package.json');
    if (!existsSync(manifest)) return undefined;
    const { scripts } = JSON.parse(readFileSync(manifest, 'utf8')) as { scripts?: Record<string, string> };
    return { scripts, bindingGyp: existsSync(join(root, path, 'binding.gyp')) };
  };
}

/** Files and bytes of each package's folder under `root`, not counting the nested node_modules (packages of their own). */
export function treeSize(root: string, packages: TreePackage[]): { files: number; bytes: number; allocated: number } {
  const total = { files: 0, bytes: 0, allocated: 0 };
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(path);
        continue;
      }
      const stat = lstatSync(path);
      total.files++;
      total.bytes += stat.size;
      total.allocated += stat.blocks * 512;
    }
  };
  for (const { path } of packages) if (existsSync(join(root, path))) walk(join(root, path));
  return total;
}

/** `version` satisfies `range`, for the ranges kubeforge writes: `^x.y.z`, `~x.y.z` and `x.y.z`; others throw. */
export function satisfies(version: string, range: string): boolean {
  const parse = (text: string) =>
    text
      .match(/^(\d+)\.(\d+)\.(\d+)$/)
      ?.slice(1)
      .map(Number);
  const m = range.trim().match(/^([~^]?)(\d+\.\d+\.\d+)$/);
  const floor = m && parse(m[2]);
  if (!m || !floor) throw new Error(`unsupported version range "${range}" (expected ^x.y.z, ~x.y.z or x.y.z)`);
  const v = parse(version);
  if (!v) return false; // a prerelease or malformed version satisfies none of these ranges
  const compare = (a: number[], b: number[]) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
  if (compare(v, floor) < 0) return false;
  const [major, minor, patch] = floor;
  if (m[1] === '') return compare(v, floor) === 0;
  if (m[1] === '~') return v[0] === major && v[1] === minor;
  if (major > 0) return v[0] === major;
  if (minor > 0) return v[0] === 0 && v[1] === minor;
  return v[0] === 0 && v[1] === 0 && v[2] === patch;
}

/**
 * Problems with a generated project's production `dependencies`: each must be kubeforge itself
 * (a range its version satisfies, or a `file:` path to `kubeforgeRoot`, resolved from
 * `projectDir`) or a non-dev package of kubeforge's lock whose version satisfies the range.
 * Returns the problems and the names that resolved inside kubeforge's tree.
 */
export function checkGeneratedDependencies(
  dependencies: Record<string, string>,
  lock: PackageLock,
  kubeforgeRoot: string,
  projectDir: string,
): { problems: string[]; insideTree: string[] } {
  const problems: string[] = [];
  const insideTree: string[] = [];
  const own = lock.packages[''];
  for (const [name, range] of Object.entries(dependencies)) {
    if (name === own.name) {
      if (range.startsWith('file:')) {
        if (resolve(projectDir, range.slice('file:'.length)) !== resolve(kubeforgeRoot))
          problems.push(`${name}: ${range} is not this kubeforge (${kubeforgeRoot})`);
      } else if (!satisfies(own.version ?? '', range)) {
        problems.push(`${name}: ${range} does not match kubeforge's version ${own.version}`);
      }
      continue;
    }
    const path = resolveFrom(lock, '', name);
    const entry = path && lock.packages[path];
    if (!entry) problems.push(`${name}: not in kubeforge's package-lock.json`);
    else if (entry.dev) problems.push(`${name}: only a dev dependency of kubeforge`);
    else if (!satisfies(entry.version ?? '', range))
      problems.push(`${name}: kubeforge's tree has ${entry.version}, outside ${range}`);
    else insideTree.push(name);
  }
  return { problems, insideTree };
}
