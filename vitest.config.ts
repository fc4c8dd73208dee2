import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * `kubeforge` and `kubeforge/*` imports of examples/ and scripts/ resolve to this checkout's sources
 * in the tests of this repository: every entry point of package.json's "exports" (`./runtime/cache`
 * → src/runtime/cache/index.ts). Longest first: an alias also matches by prefix, so `kubeforge/runtime`
 * would otherwise take `kubeforge/runtime/cache` to src/runtime/index.ts/cache.
 */
const { exports: entryPoints } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, unknown>;
};
const kubeforgeSources = Object.fromEntries(
  Object.keys(entryPoints)
    .filter((entry) => entry !== './package.json')
    .sort((a, b) => b.length - a.length)
    .map((entry) => [
      `kubeforge${entry.slice(1)}`,
      fileURLToPath(new URL(`./src${entry.slice(1)}/index.ts`, import.meta.url)),
    ]),
);

/**
 * Three projects: `unit` runs the `*.test.ts` files next to the code (no cluster needed);
 * `integration` runs `test/**` against ONE real control plane started by the global setup
 * (envtest) and shared by every file of the run; each test makes its own namespace. `example`
 * runs the MicroService example's own controller test as `npm test` inside the example does:
 * from the example's directory, on the control plane the test starts itself with
 * `kubeforge/envtest` (whose binaries the integration setup made sure of). The example's e2e test
 * is not run here: it starts the tsc-built operator (`dist/src/main.js`, which needs the example's
 * own `npm install` and build); test/microservice/demo.test.ts runs that operator, rebuilt from
 * kubeforge output and bundled, as a process on the shared control plane instead.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'bench/**/*.test.ts', 'scripts/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/**/*.test.ts'],
          alias: kubeforgeSources,
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'example',
          include: ['examples/microservice-operator/{src,api}/**/*.test.ts'],
          alias: kubeforgeSources,
          environment: 'node',
          pool: 'forks',
          setupFiles: ['test/support/example-working-directory.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
