/**
 * Reads `api/<version>/*.ts` syntactically with TypeScript's parser (`createSourceFile` alone: no
 * program, type checker or lib, and no ts-morph, which keeps a run near controller-gen's speed:
 * docs/architecture.md) into the plain model of `model.ts`:
 * declarations, their JSDoc and `//` doc lines, and their markers, which are parsed and linted here
 * (unknown names, bad values). TypeScript's syntax errors come first, as with `tsc`: if any file
 * has one, they are the run's only API errors, since a file the parser had to repair would be
 * read as something the user did not write.
 */
import type { ts } from 'ts-morph';
import type { Diagnostics } from '../diagnostics.js';
import type { ApiFile, ImportedName, TypeDecl, TypeExpr } from './model.js';
import { loadTypeScript, saveTypeScriptCodeCache } from './load-typescript.js';
import { checkVersionNamespaces, mergeInterface, type InterfacePart } from './merge-declarations.js';
import { TypeReader } from './read-types.js';

type TypeScript = typeof ts;

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
  const typescript = loadTypeScript();
  const sources: { file: ApiFileText; source: ts.SourceFile }[] = [];
  for (const file of files) {
    const source = readingDepth(file, diagnostics, () => parseSource(typescript, file.path, file.text));
    if (source) sources.push({ file, source });
  }
  let syntaxErrors = sources.length < files.length;
  for (const { file, source } of sources) {
    for (const problem of syntacticDiagnostics(source)) {
      syntaxErrors = true;
      const line = source.getLineAndCharacterOfPosition(problem.start ?? 0).line + 1;
      const text = typescript.flattenDiagnosticMessageText(problem.messageText, ' ');
      diagnostics.error(
        { file: file.path, line },
        `TypeScript syntax error TS${problem.code}: ${text} Fix the syntax: nothing else in api/ is checked until every file parses`,
      );
    }
  }
  if (syntaxErrors) return [];
  const parsed = sources.flatMap(
    ({ file, source }) =>
      readingDepth(file, diagnostics, () => new FileParser(typescript, source, file, diagnostics).parse()) ?? [],
  );
  checkVersionNamespaces(parsed, diagnostics);
  saveTypeScriptCodeCache();
  return parsed;
}

/**
 * One file's syntax tree, as ts-morph's `createSourceFile` parses it (the newest syntax, parent
 * links set), so the TypeScript ts-morph edits with reads API files the same way.
 */
export function parseSource(typescript: TypeScript, path: string, text: string): ts.SourceFile {
  return typescript.createSourceFile(path, text, typescript.ScriptTarget.Latest, true, typescript.ScriptKind.TS);
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
export function syntacticDiagnostics(source: ts.SourceFile): readonly ts.Diagnostic[] {
  return (source as unknown as { parseDiagnostics: readonly ts.Diagnostic[] }).parseDiagnostics;
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
    private readonly ts: TypeScript,
    private readonly source: ts.SourceFile,
    private readonly file: ApiFileText,
    private readonly diagnostics: Diagnostics,
  ) {
    this.reader = new TypeReader(ts, source, file.path, diagnostics);
  }

  parse(): ApiFile {
    const imports = this.imports();
    const interfaces = new Map<string, InterfacePart[]>();
    const decls = new Map<string, TypeDecl>();
    const { ts } = this;
    for (const declaration of this.source.statements) {
      if (!ts.isInterfaceDeclaration(declaration) && !ts.isTypeAliasDeclaration(declaration)) continue;
      const name = this.reader.text(declaration.name);
      const { doc, markers } = this.reader.commentsOf(declaration);
      const loc = this.reader.loc(declaration);
      if ((declaration.typeParameters?.length ?? 0) > 0) {
        this.reader.error(
          declaration,
          `generic type ${name}<…> is not supported in API types: each type becomes one schema, so declare a concrete type for each use`,
        );
      }
      const earlier = decls.get(name) ?? interfaces.get(name)?.[0];
      if (earlier && !(ts.isInterfaceDeclaration(declaration) && interfaces.has(name))) {
        this.reader.error(
          declaration,
          `${name} is declared twice in this file (first at line ${earlier.loc.line}); only interfaces merge: rename or remove one`,
        );
        continue;
      }
      if (ts.isTypeAliasDeclaration(declaration)) {
        decls.set(name, { name, type: this.reader.typeExpr(declaration.type), doc, markers, loc });
        continue;
      }
      const extendsClause = declaration.heritageClauses?.find(
        (clause) => clause.token === ts.SyntaxKind.ExtendsKeyword,
      );
      const bases = (extendsClause?.types ?? []).map((base): TypeExpr => this.reader.typeExpr(base));
      const part = { name, bases, doc, markers, loc, ...this.reader.members(declaration.members) };
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
    const { ts } = this;
    for (const declaration of this.source.statements) {
      if (!ts.isImportDeclaration(declaration)) continue;
      const module = (declaration.moduleSpecifier as ts.StringLiteral).text;
      const bindings = declaration.importClause?.namedBindings;
      if (bindings && ts.isNamedImports(bindings)) {
        for (const named of bindings.elements) {
          const name = this.importedName(named.propertyName ?? named.name);
          imports.set(named.propertyName ? this.reader.text(named.name) : name, { module, name });
        }
      }
      if (bindings && ts.isNamespaceImport(bindings))
        imports.set(this.reader.text(bindings.name), { module, name: '*' });
    }
    return imports;
  }

  /** `a` of `import { a }`, also when written as a string (`import { "a" as b }`). */
  private importedName(node: ts.ModuleExportName): string {
    return this.ts.isStringLiteral(node) ? node.text : this.reader.text(node);
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
    for (const statement of this.source.statements) {
      const other = this.otherDeclaration(statement);
      const decl = other && decls.get(other.name);
      if (!other || !decl) continue;
      this.reader.error(
        statement,
        `${decl.name} is declared both as a type at line ${decl.loc.line} and as ${other.what} here, which API types cannot be: rename or remove one`,
      );
    }
  }

  /** A class, enum or namespace statement: its name (`A.B` for `namespace A.B`) and what it is. */
  private otherDeclaration(statement: ts.Statement): { name: string; what: string } | undefined {
    const { ts } = this;
    if (ts.isClassDeclaration(statement)) {
      return { name: statement.name ? this.reader.text(statement.name) : '', what: 'a class' };
    }
    if (ts.isEnumDeclaration(statement)) return { name: this.reader.text(statement.name), what: 'an enum' };
    if (!ts.isModuleDeclaration(statement)) return undefined;
    const names = [this.reader.text(statement.name)];
    for (let body = statement.body; body && ts.isModuleDeclaration(body); body = body.body) {
      names.push(this.reader.text(body.name));
    }
    return { name: names.join('.'), what: 'a namespace' };
  }

  /** Marker lines nowhere near a declaration (file headers, trailing comments): package markers only. */
  private collectLooseMarkers(): void {
    const lines = this.source.text.split('\n');
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
