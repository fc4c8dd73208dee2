/**
 * The errors every layer throws for expected failures, in one leaf module that imports nothing, so
 * that the CLI (which formats them), the generators, the project model and `kubeforge/envtest` all
 * share them without depending on each other. A `UserError` is printed as its message and hint,
 * without a stack, and exits with its own code; anything else is an unexpected failure.
 */
export interface UserErrorOptions {
  hint?: string;
  exitCode?: number;
  cause?: unknown;
}

export class UserError extends Error {
  readonly hint?: string;
  readonly exitCode: number;

  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'UserError';
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? 1;
  }
}

/** The directory is not a kubeforge project: it has no PROJECT file. */
export class NoProjectError extends UserError {
  constructor(
    readonly dir: string,
    options: UserErrorOptions = {},
  ) {
    super(`not inside a kubeforge project (no PROJECT file found in ${dir})`, options);
    this.name = 'NoProjectError';
  }
}

/** One problem in a source file, at `file:line`. */
export interface SourceProblem {
  file: string;
  line: number;
  message: string;
}

/** `kubeforge manifests` (or `import`) refused its input; `problems` lists every one, by file:line. */
export class ManifestError extends UserError {
  constructor(
    message: string,
    readonly problems: readonly SourceProblem[],
  ) {
    super(message);
    this.name = 'ManifestError';
  }
}

/** The envtest control plane could not be provisioned or started, or its input (CRDs) is unusable. */
export class EnvtestError extends UserError {
  constructor(message: string, options: UserErrorOptions = {}) {
    super(message, options);
    this.name = 'EnvtestError';
  }
}
