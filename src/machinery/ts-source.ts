/**
 * Edits of TypeScript source that markers cannot do: when a user has removed the
 * `+kubeforge:scaffold:*` markers from a file, ts-morph finds the places by syntax instead — the
 * end of the import block for an import, the statement before which a call belongs. ts-morph is
 * loaded only when such an edit is needed.
 */

export interface NamedImport {
  name: string;
  moduleSpecifier: string;
}

/**
 * Adds `import { name } from 'module'` (unless imported already) and inserts `statement` before
 * the first top-level statement whose text matches `before` (unless present). Returns the new
 * text, or undefined when no statement matches `before`.
 */
export async function addImportAndStatement(
  text: string,
  edit: { import: NamedImport; statement: string; before: RegExp },
): Promise<string | undefined> {
  const { Project, QuoteKind } = await import('ts-morph');
  const project = new Project({
    useInMemoryFileSystem: true,
    skipAddingFilesFromTsConfig: true,
    manipulationSettings: { quoteKind: QuoteKind.Single },
  });
  const source = project.createSourceFile('edit.ts', text);
  const anchor = source.getStatements().findIndex((statement) => edit.before.test(statement.getText()));
  if (anchor < 0) return undefined;
  const alreadyCalled = source
    .getStatements()
    .some((statement) => statement.getText().trim() === edit.statement.trim());
  if (!alreadyCalled) source.insertStatements(anchor, edit.statement);
  const imported = source
    .getImportDeclarations()
    .some(
      (declaration) =>
        declaration.getModuleSpecifierValue() === edit.import.moduleSpecifier &&
        declaration.getNamedImports().some((named) => named.getName() === edit.import.name),
    );
  if (!imported) {
    source.insertImportDeclaration(source.getImportDeclarations().length, {
      namedImports: [edit.import.name],
      moduleSpecifier: edit.import.moduleSpecifier,
    });
  }
  return source.getFullText();
}
