import { defineConfig } from 'vitest/config';

/**
 * `unit`: the tests next to the code (controllers run against a real control plane from
 * kubeforge/envtest). `e2e`: the built operator started as a process against a control plane.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'api/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
