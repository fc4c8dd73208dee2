/**
 * The `kubeforge` command line: commander commands, one file each (`init.ts`, `create.ts`,
 * `manifests.ts`, `envtest.ts`, …), wired together in `main.ts`. Commands validate their flags
 * first (errors name the flag and the rule, see `errors.ts`), talk to the world through `CliIO`
 * (`io.ts`, injectable for tests), and report what they wrote with `reporter.ts`.
 */
export { buildProgram, main } from './main.js';
export { formatError } from './errors.js';
export { terminalIO, type CliIO, type InputQuestion, type Prompts } from './io.js';
