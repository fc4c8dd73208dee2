// Generation benchmark: `kubeforge manifests` vs controller-gen v0.23.0 on twin projects of 1, 20
// and 50 kinds. The kind templates are bench/manifests.js's (TS and the same type in Go); the Go
// twin reuses test/parity/go's module (go.mod/go.sum with k8s.io/api and apimachinery).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { goKind, tsKind } from '../manifests.js';
import { median } from '../report.js';

const repo = new URL('../..', import.meta.url).pathname;
const kindNames = (count) => Array.from({ length: count }, (_, i) => `Kind${String(i + 1).padStart(2, '0')}`);

/** A kubeforge project directory with `count` kinds in api/v1 (no PROJECT file needed). */
export function writeTsTwin(dir, count) {
  mkdirSync(join(dir, 'api', 'v1'), { recursive: true });
  writeFileSync(join(dir, 'api', 'v1', 'groupversion.ts'), '// +groupName=bench.example.com\nexport {};\n');
  for (const kind of kindNames(count))
    writeFileSync(join(dir, 'api', 'v1', `${kind.toLowerCase()}.types.ts`), tsKind(kind));
}

/** The same `count` kinds as a Go package `./bench/v1` inside a copy of test/parity/go's module. */
export function writeGoTwin(dir, count) {
  mkdirSync(dir, { recursive: true });
  for (const file of ['go.mod', 'go.sum']) cpSync(join(repo, 'test', 'parity', 'go', file), join(dir, file));
  mkdirSync(join(dir, 'bench', 'v1'), { recursive: true });
  writeFileSync(join(dir, 'bench', 'v1', 'groupversion_info.go'), '// +groupName=bench.example.com\npackage v1\n');
  for (const kind of kindNames(count))
    writeFileSync(join(dir, 'bench', 'v1', `${kind.toLowerCase()}_types.go`), goKind(kind));
}

/** Wall times (ms) of `runs` runs of a whole process. */
export function timeProcess(command, args, options, runs) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const startedAt = performance.now();
    execFileSync(command, args, { ...options, stdio: 'pipe' });
    times.push(performance.now() - startedAt);
  }
  return times;
}

/**
 * Median wall time of `kubeforge manifests` and of `controller-gen crd paths=./bench/...` (after one
 * untimed warm-up each, so Go's package loading cache and the OS file cache are warm for both).
 */
export function benchGeneration({ workDir, controllerGen, kindCounts, runs, log }) {
  const results = [];
  for (const count of kindCounts) {
    const ts = join(workDir, `ts-${count}`);
    const go = join(workDir, `go-${count}`);
    writeTsTwin(ts, count);
    writeGoTwin(go, count);
    const kubeforge = [join(repo, 'bin', 'kubeforge.js'), 'manifests'];
    timeProcess(process.execPath, kubeforge, { cwd: ts }, 1);
    const ours = timeProcess(process.execPath, kubeforge, { cwd: ts }, runs);
    const cgArgs = ['crd:allowDangerousTypes=true', 'paths=./bench/...', `output:crd:dir=${join(go, 'out')}`];
    const env = { ...process.env, GOFLAGS: '-mod=mod' };
    timeProcess(controllerGen, cgArgs, { cwd: go, env }, 1);
    const theirs = timeProcess(controllerGen, cgArgs, { cwd: go, env }, runs);
    log?.(
      `generation ${count} kinds: kubeforge ${ours.map(Math.round).join(', ')} ms; controller-gen ${theirs.map(Math.round).join(', ')} ms`,
    );
    results.push({ kinds: count, ours: median(ours), theirs: median(theirs), oursRuns: ours, theirsRuns: theirs });
    rmSync(ts, { recursive: true, force: true });
    rmSync(go, { recursive: true, force: true });
  }
  return results;
}
