/**
 * Edits of JSON files a user owns (package.json): parsed with a `file:line:column` error when
 * broken, and written back in the file's own style — its indentation (tabs, two or four spaces,
 * none), line endings and final newline — so an edit shows in a diff as the lines it changed.
 */
import { UserError } from '../errors.js';

/** Parses JSON text; a `UserError` names `path:line:column` and what is wrong. */
export function parseJsonFile(path: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    const position = /\bat position (\d+)/.exec(message)?.[1];
    const offset = position !== undefined ? Number(position) : /end of JSON input/.test(message) ? text.length : -1;
    const reason = message.replace(/ (?:in JSON )?at position \d+.*$/, '');
    throw new UserError(`${offset < 0 ? path : `${path}:${lineAndColumn(text, offset)}`}: not valid JSON: ${reason}`, {
      hint: `fix ${path} by hand, then run the command again`,
    });
  }
}

/** `value` as JSON text in the style of `original`: same indentation, line endings and final newline. */
export function formatJsonLike(original: string, value: unknown): string {
  const multiline = original.trimEnd().includes('\n');
  const indent = multiline ? (/^([ \t]+)\S/m.exec(original)?.[1] ?? '  ') : '';
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  const text = JSON.stringify(value, null, indent).replaceAll('\n', eol);
  return /\n$/.test(original) ? text + eol : text;
}

function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset).split('\n');
  return `${before.length}:${before[before.length - 1].length + 1}`;
}
