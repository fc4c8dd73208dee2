import type { SerializedError } from 'vitest';
import type { Reporter, TestModule } from 'vitest/node';

/** Set by the global setup: how long provisioning the test tools took and where each came from. */
export const PROVISIONING_SUMMARY_ENV = 'KUBEFORGE_TEST_PROVISIONING';

const firstLine = (error: SerializedError | undefined) => error?.message?.split('\n')[0] ?? 'error';

/** Errors outside any test: a file that failed to load, a failing `beforeAll`/`afterAll` of a suite or file. */
function errorsOutsideTests(testModule: TestModule): string[] {
  const failures: string[] = [];
  if (testModule.errors().length > 0)
    failures.push(`${testModule.relativeModuleId}: ${firstLine(testModule.errors()[0])}`);
  for (const suite of testModule.children.allSuites())
    if (suite.errors().length > 0)
      failures.push(`${testModule.relativeModuleId} > ${suite.fullName}: ${firstLine(suite.errors()[0])}`);
  return failures;
}

/**
 * Ends every run with one plain line, `tests: N passed, N failed, N skipped`, that tools reading
 * a test run's closing line understand whatever the runner (vitest's own summary is decorated).
 * A file that fails to load, a failing hook and an unhandled error each count as one failure and
 * are named above the line, so broken setup never reads as "0 failed".
 */
export default class PlainSummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const counts = { passed: 0, failed: 0, skipped: 0 };
    const setupFailures: string[] = [];
    for (const testModule of testModules) {
      setupFailures.push(...errorsOutsideTests(testModule));
      for (const test of testModule.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed' || state === 'failed') counts[state]++;
        else counts.skipped++;
      }
    }
    setupFailures.push(...unhandledErrors.map((error) => `unhandled: ${firstLine(error)}`));
    counts.failed += setupFailures.length;
    const lines = setupFailures.map((failure) => `failed outside a test: ${failure}`);
    const provisioning = process.env[PROVISIONING_SUMMARY_ENV];
    if (provisioning) lines.push(provisioning);
    lines.push(`tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`);
    process.stdout.write(`\n${lines.join('\n')}\n`);
  }
}
