import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` runs the `*.test.ts` files next to the code (no cluster needed);
 * `integration` runs `test/**` against ONE real control plane started by the global setup
 * (envtest) and shared by every file of the run; each test makes its own namespace.
 */
export default defineConfig({
  test: {
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
          environment: 'node',
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
