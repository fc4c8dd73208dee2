/**
 * Syntax errors are read where TypeScript's parser leaves them (no program is built, which would
 * cost a cold run ~40 ms): they must be exactly what the public `getSyntacticDiagnostics` of a
 * ts-morph project returns, for broken files and for a clean one.
 */
import { Project } from 'ts-morph';
import { describe, expect, it } from 'vitest';
import { loadTypeScript } from './load-typescript.js';
import { parseSource, syntacticDiagnostics } from './parse-api-files.js';

const FILES = [
  'export interface A {\n  a?: string;;; @@@\n  b?: number;\n}\n',
  "export interface A {\n  mode?: 'fast;\n  replicas?: number;\n}\n",
  'export interface A {\n  a?: string;\n',
  'export interface A {\n  a?: string;\n}\n',
];

describe('syntax errors of API files', () => {
  const typescript = loadTypeScript();

  function publicDiagnostics(path: string, text: string) {
    const project = new Project({
      useInMemoryFileSystem: true,
      skipLoadingLibFiles: true,
      compilerOptions: { noLib: true },
    });
    const source = project.createSourceFile(path, text);
    return project.getProgram().compilerObject.getSyntacticDiagnostics(source.compilerNode);
  }
  const summary = (diagnostics: readonly { code: number; start?: number }[]) =>
    diagnostics.map(({ code, start }) => `${code}@${start}`);

  it.each(FILES.map((text, index) => [index, text] as const))(
    'reads the parser’s errors of file %i as the public API reports them (none for the last)',
    (index, text) => {
      const path = `/api/v1/a${index}.types.ts`;
      const reported = summary(syntacticDiagnostics(parseSource(typescript, path, text)));
      expect(reported.length > 0).toBe(index < 3);
      expect(reported).toEqual(summary(publicDiagnostics(path, text)));
    },
  );
});
