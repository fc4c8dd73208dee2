/**
 * How a generated operator's `src/main.ts` fails on a bad command line: like Go's flag package,
 * one `error: …` line on stderr and exit code 2 — no stack trace, no unhandled rejection.
 */

/**
 * Runs the operator's start-up (flags, kubeconfig, the manager) and returns its result; if it
 * throws, prints `error: <message>` to stderr and exits the process with code 2.
 */
export async function exitOnBadInvocation<T>(setup: () => T | Promise<T>): Promise<T> {
  try {
    return await setup();
  } catch (error) {
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
}
