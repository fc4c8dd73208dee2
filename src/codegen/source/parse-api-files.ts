/**
 * Reads `api/<version>/*.ts` syntactically with ts-morph (no type checker, no lib, which keeps a run
 * near controller-gen's speed: docs/architecture.md) into the plain model of `model.ts`:
 * declarations, their JSDoc and `//` doc lines, and their markers, which are parsed and linted here
 * (unknown names, bad values). TypeScript's syntax errors come first, as with `tsc`: if any file
 * has one, they are the run's only API errors, since a file the parser had to repair would be
 * read as something the user did not write.
 */
import type * as TsMorph from 'ts-morph';
import type { SourceFile, ts } from 'ts-morph';
import type { Diagnostics } from '../diagnostics.js';
import type { ApiFile, ImportedName, TypeDecl, TypeExpr } from './model.js';
import { loadTsMorph } from './load-ts-morph.js';
import { checkVersionNamespaces, mergeInterface, type InterfacePart } from './merge-declarations.js';
import { TypeReader } from './read-types.js';

type Morph = typeof TsMorph;

const OTHER_DECLARATIONS: Record<string, string> = {
  ClassDeclaration: 'a class',
  EnumDeclaration: 'an enum',
  ModuleDeclaration: 'a namespace',
};

export interface ApiFileText {
  path: string;
  version: string;
  text: string;
}

/**
 * Parses every file; markers that are not attached to a declaration must be package markers.
 * Returns no files when any has a syntax error (each reported with its file:line).
 */
export async function parseApiFiles(files: ApiFileText[], diagnostics: Diagnostics): Promise<ApiFile[]> {
  const morph = loadTsMorph();
  const project = new morph.Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    compilerOptions: { noLib: true },
  });
  const sources: { file: ApiFileText; source: SourceFile }[] = [];
  for (const file of files) {
    const source = readingDepth(file, diagnostics, () =>
      project.createSourceFile(file.path, file.text, { overwrite: true }),
    );
    if (source) sources.push({ file, source });
  }
  let syntaxErrors = sources.length < files.length;
  for (const { file, source } of sources) {
    for (const problem of syntacticDiagnostics(source)) {
      syntaxErrors = true;
      const line = source.compilerNode.getLineAndCharacterOfPosition(problem.start ?? 0).line + 1;
      const text = morph.ts.flattenDiagnosticMessageText(problem.messageText, ' ');
      diagnostics.error(
        { file: file.path, line },
        `TypeScript syntax error TS${problem.code}: ${text} Fix the syntax: nothing else in api/ is checked until every file parses`,
      );
    }
  }
  if (syntaxErrors) return [];
  const parsed = sources.flatMap(
    ({ file, source }) =>
      readingDepth(file, diagnostics, () => new FileParser(morph, source, file, diagnostics).parse()) ?? [],
  );
  checkVersionNamespaces(parsed, diagnostics);
  return parsed;
}

/**
 * Runs a step that recurses once per nesting level of the file's types (TypeScript's parser, the
 * reader): a stack overflow there is the file's nesting, reported at its deepest line.
 */
function readingDepth<T>(file: ApiFileText, diagnostics: Diagnostics, step: () => T): T | undefined {
  try {
    return step();
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    diagnostics.error(
      { file: file.path, line: deepestLine(file.text) },
      'types nest too deeply here to be read: declare the nested object types as named interfaces',
    );
    return undefined;
  }
}

/**
 * The parser's diagnostics of a file: what `program.getSyntacticDiagnostics` returns for a .ts file
 * (parse-api-files.test.ts checks they agree for the TypeScript that ts-morph bundles), read where
 * the parser leaves them, since building a program would cost a cold run ~40 ms.
 */
export function syntacticDiagnostics(source: SourceFile): readonly ts.Diagnostic[] {
  return (source.compilerNode as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
}

/** The first line where brackets nest deepest: where a file too deep to parse goes wrong. */
function deepestLine(text: string): number {
  let depth = 0;
  let deepest = 0;
  let line = 1;
  let at = 1;
  for (const c of text) {
    if (c === '\n') line++;
    else if (c === '{' || c === '(' || c === '[' || c === '<') depth++;
    else if (c === '}' || c === ')' || c === ']' || c === '>') depth--;
    if (depth > deepest) {
      deepest = depth;
      at = line;
    }
  }
  return at;
}

class FileParser {
  private readonly reader: TypeReader;

  constructor(
    private readonly morph: Morph,
    private readonly source: SourceFile,
    private readonly file: ApiFileText,
    private readonly diagnostics: Diagnostics,
  ) {
    this.reader = new TypeReader(morph, source, file.path, diagnostics);
  }

  parse(): ApiFile {
    const imports = this.imports();
    const interfaces = new Map<string, InterfacePart[]>();
    const decls = new Map<string, TypeDecl>();
    const { Node } = this.morph;
    for (const declaration of this.source.getStatements()) {
      if (!Node.isInterfaceDeclaration(declaration) && !Node.isTypeAliasDeclaration(declaration)) continue;
      const name = declaration.getName();
      const { doc, markers } = this.reader.commentsOf(declaration);
      const loc = this.reader.loc(declaration);
      if (declaration.getTypeParameters().length > 0) {
        this.reader.error(
          declaration,
          `generic type ${name}<…> is not supported in API types: each type becomes one schema, so declare a concrete type for each use`,
        );
      }
      const earlier = decls.get(name) ?? interfaces.get(name)?.[0];
      if (earlier && !(Node.isInterfaceDeclaration(declaration) && interfaces.has(name))) {
        this.reader.error(
          declaration,
          `${name} is declared twice in this file (first at line ${earlier.loc.line}); only interfaces merge: rename or remove one`,
        );
        continue;
      }
      if (Node.isTypeAliasDeclaration(declaration)) {
        decls.set(name, { name, type: this.reader.typeExpr(declaration.getTypeNodeOrThrow()), doc, markers, loc });
        continue;
      }
      const bases = declaration.getExtends().map((base): TypeExpr => this.reader.typeExpr(base));
      const part = { name, bases, doc, markers, loc, ...this.reader.members(declaration.getMembers()) };
      interfaces.set(name, [...(interfaces.get(name) ?? []), part]);
    }
    for (const [name, parts] of interfaces) decls.set(name, mergeInterface(parts, this.diagnostics));
    this.checkOtherDeclarations(decls, imports);
    this.collectLooseMarkers();
    return {
      path: this.file.path,
      version: this.file.version,
      decls,
      imports,
      packageMarkers: this.reader.packageMarkers,
    };
  }

  private imports(): Map<string, ImportedName> {
    const imports = new Map<string, ImportedName>();
    for (const declaration of this.source.getImportDeclarations()) {
      const module = declaration.getModuleSpecifierValue();
      for (const named of declaration.getNamedImports()) {
        imports.set(named.getAliasNode()?.getText() ?? named.getName(), { module, name: named.getName() });
      }
      const namespace = declaration.getNamespaceImport();
      if (namespace) imports.set(namespace.getText(), { module, name: '*' });
    }
    return imports;
  }

  /** A type name that is also imported, or also a class, enum or namespace, is not what the reader sees. */
  private checkOtherDeclarations(decls: Map<string, TypeDecl>, imports: Map<string, ImportedName>): void {
    for (const decl of decls.values()) {
      const imported = imports.get(decl.name);
      if (imported) {
        this.diagnostics.error(
          decl.loc,
          `${decl.name} is declared here and also imported from '${imported.module}': rename the import (import { ${imported.name} as Other${imported.name} }) or remove this declaration`,
        );
      }
    }
    const { Node } = this.morph;
    for (const statement of this.source.getStatements()) {
      if (
        !Node.isClassDeclaration(statement) &&
        !Node.isEnumDeclaration(statement) &&
        !Node.isModuleDeclaration(statement)
      )
        continue;
      const decl = decls.get(statement.getName() ?? '');
      if (!decl) continue;
      this.reader.error(
        statement,
        `${decl.name} is declared both as a type at line ${decl.loc.line} and as ${OTHER_DECLARATIONS[statement.getKindName()]} here, which API types cannot be: rename or remove one`,
      );
    }
  }

  /** Marker lines nowhere near a declaration (file headers, trailing comments): package markers only. */
  private collectLooseMarkers(): void {
    const lines = this.source.getFullText().split('\n');
    lines.forEach((text, index) => {
      const line = index + 1;
      const match = /^\s*(?:\/\/|\/\*+|\*)\s*\+(.*?)\s*(?:\*\/)?$/.exec(text);
      if (!match || this.reader.consumedLines.has(line)) return;
      const marker = this.reader.parseMarkerAt(match[1], line);
      if (!marker) return;
      if (marker.definition.targets.includes('anywhere')) return;
      if (marker.definition.targets.includes('package')) this.reader.packageMarkers.push(marker);
      else
        this.diagnostics.error(
          marker.loc,
          `+${marker.definition.name} is not attached to a type or field (put it directly above one)`,
        );
    });
  }
}
