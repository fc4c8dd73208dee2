/**
 * One declaration per type name. Interfaces declared more than once in a file merge as TypeScript
 * merges them (members of all halves, `extends` of all halves); a member declared in two halves
 * must be declared identically, as TypeScript requires. Anything else that declares a name twice
 * is an error naming both places: an interface and a type alias (or class, enum, namespace, import)
 * of one name in a file, and one name declared in two files of one API version (the files of
 * `api/<version>` are one package, as in Go, so a second declaration is never what a root kind
 * picks up).
 */
import type { Diagnostics, SourceLocation } from '../diagnostics.js';
import type { ApiFile, FieldDecl, TypeDecl, TypeExpr } from './model.js';
import type { Members } from './read-types.js';
import { fieldDifference, type RefKey } from './type-equality.js';

/** One `interface Name { … }` block. */
export interface InterfacePart extends Members {
  name: string;
  bases: TypeExpr[];
  doc: string;
  markers: TypeDecl['markers'];
  loc: SourceLocation;
}

const byName: RefKey = (ref) => ref.name;

function mergeFields(parts: InterfacePart[], diagnostics: Diagnostics): FieldDecl[] {
  const merged = new Map<string, FieldDecl>();
  for (const part of parts) {
    for (const field of part.fields) {
      const first = merged.get(field.name);
      if (!first) {
        merged.set(field.name, field);
        continue;
      }
      // A description in one declaration is the member's description.
      const documented = { ...first, doc: first.doc || field.doc };
      const difference =
        first.optional === field.optional
          ? fieldDifference(documented, { ...field, doc: field.doc || first.doc }, byName, byName)
          : '"?" (optional or not)';
      if (!difference) merged.set(field.name, documented);
      else {
        diagnostics.error(
          field.loc,
          `"${field.name}" is also declared at line ${first.loc.line} (another declaration of interface ${part.name}) with different ${difference}: merged interfaces must declare a member identically; declare it once`,
        );
      }
    }
  }
  return [...merged.values()];
}

/** The declaration of an interface declared in one or more parts (in source order). */
export function mergeInterface(parts: InterfacePart[], diagnostics: Diagnostics): TypeDecl {
  const [first] = parts;
  const indexed = parts.filter((part) => part.index);
  for (const extra of indexed.slice(1)) {
    diagnostics.error(
      extra.loc,
      `interface ${first.name} has an index signature in two of its declarations (lines ${indexed[0].loc.line} and ${extra.loc.line}): keep one`,
    );
  }
  const body: TypeExpr = {
    kind: 'object',
    fields: parts.length === 1 ? first.fields : mergeFields(parts, diagnostics),
    index: indexed[0]?.index,
    loc: first.loc,
  };
  const bases = parts.flatMap((part) => part.bases);
  return {
    name: first.name,
    type:
      bases.length === 0
        ? body
        : { kind: 'intersection', members: [...bases, body], loc: first.loc, interfaceBody: true },
    doc: parts
      .map((part) => part.doc)
      .filter(Boolean)
      .join('\n\n'),
    markers: parts.flatMap((part) => part.markers),
    loc: first.loc,
  };
}

/** Refuses one type name declared in two files of one API version. */
export function checkVersionNamespaces(files: ApiFile[], diagnostics: Diagnostics): void {
  const declared = new Map<string, TypeDecl>();
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    for (const decl of file.decls.values()) {
      const key = `${file.version}\0${decl.name}`;
      const first = declared.get(key);
      if (!first) {
        declared.set(key, decl);
        continue;
      }
      diagnostics.error(
        decl.loc,
        `${decl.name} is also declared in ${diagnostics.where(first.loc)}: the files of api/${file.version} share one namespace (like a Go package), so a kind or type name may be declared once per version; rename one of them, or declare it in one file and import it`,
      );
    }
  }
}
