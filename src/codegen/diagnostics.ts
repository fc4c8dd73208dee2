/**
 * Diagnostics: every pass reports problems here instead of throwing, so one run lists all of them
 * (file:line first, as compilers do) and the command fails before anything is written.
 */
import { relative } from 'node:path';
import { ManifestError } from '../errors.js';

export interface SourceLocation {
  file: string;
  line: number;
}

export interface Diagnostic extends SourceLocation {
  message: string;
}

export class Diagnostics {
  readonly errors: Diagnostic[] = [];
  readonly warnings: string[] = [];

  /** `rootDir`: the project, which messages name files relative to. */
  constructor(private readonly rootDir = '.') {}

  /** Records an error; line breaks in it (from a user's names or values) are escaped: one error, one line. */
  error(at: SourceLocation, text: string): void {
    const message = text.replace(/\r?\n/g, '\\n');
    if (!this.errors.some((e) => e.file === at.file && e.line === at.line && e.message === message)) {
      this.errors.push({ file: at.file, line: at.line, message });
    }
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** `file:line` relative to the project, for a message that names a second place. */
  where(at: SourceLocation): string {
    return `${relative(this.rootDir, at.file) || at.file}:${at.line}`;
  }

  /** Throws one `ManifestError` listing every error (sorted by file and line), if there are any. */
  throwIfAny(what: string): void {
    if (this.errors.length === 0) return;
    const sorted = [...this.errors].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line);
    const lines = sorted.map((e) => `  ${this.where(e)}: ${e.message}`);
    const count = sorted.length === 1 ? '1 error' : `${sorted.length} errors`;
    throw new ManifestError(`${what} failed with ${count}; nothing was written:\n${lines.join('\n')}`, sorted);
  }
}
