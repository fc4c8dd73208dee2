import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/** `kubeforge/*` imports of examples/ resolve to this checkout's sources in integration tests. */
const kubeforgeSources = Object.fromEntries(
  ['runtime', 'envtest', 'testing', 'api'].map((entry) => [
    `kubeforge/${entry}`,
    fileURLToPath(new URL(`./src/${entry}/index.ts`, import.meta.url)),
  ]),
);

/**
 * Two projects: `unit` runs the `*.test.ts` files next to the code (no cluster needed);
 * `integration` runs `test/**` against ONE real control plane started by the global setup
 * (envtest) and shared by every file of the run; each test makes its own namespace.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/support/summary-reporter.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'bench/**/*.test.ts'],
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
    ],
  },
});
