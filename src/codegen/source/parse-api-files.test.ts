/**
 * Syntax errors are read where TypeScript's parser leaves them (no program is built, which would
 * cost a cold run ~40 ms): they must be exactly what the public `getSyntacticDiagnostics` returns,
 * for broken files and for a clean one.
 */
import { describe, expect, it } from 'vitest';
import { loadTsMorph } from './load-ts-morph.js';
import { syntacticDiagnostics } from './parse-api-files.js';

const FILES = [
  'export interface A {\n  a?: string;;; @@@\n  b?: number;\n}\n',
  "export interface A {\n  mode?: 'fast;\n  replicas?: number;\n}\n",
  'export interface A {\n  a?: string;\n',
  'export interface A {\n  a?: string;\n}\n',
];

describe('syntax errors of API files', () => {
  const { Project } = loadTsMorph();

  function parsed(text: string, index: number) {
    const project = new Project({
      useInMemoryFileSystem: true,
      skipLoadingLibFiles: true,
      compilerOptions: { noLib: true },
    });
    return { project, source: project.createSourceFile(`/api/v1/a${index}.types.ts`, text) };
  }
  const summary = (diagnostics: readonly { code: number; start?: number }[]) =>
    diagnostics.map(({ code, start }) => `${code}@${start}`);

  it.each(FILES.map((text, index) => [index, text] as const))(
    'reads the parser’s errors of file %i as the public API reports them (none for the last)',
    (index, text) => {
      const { project, source } = parsed(text, index);
      const reported = summary(syntacticDiagnostics(source));
      expect(reported.length > 0).toBe(index < 3);
      expect(reported).toEqual(
        summary(project.getProgram().compilerObject.getSyntacticDiagnostics(source.compilerNode)),
      );
    },
  );
});
