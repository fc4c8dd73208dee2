/**
 * Checks on the types reachable from each root kind, before any schema is built: how deep they
 * nest (the schema builder recurses once per level, so a limit keeps it far from the stack's end,
 * and a type past it is reported with its path instead of crashing the run), references with type
 * arguments to declarations that take none, and intersections (`A & B`, `extends A, B`) whose
 * members declare one field differently, which TypeScript would make `never` and a schema would
 * have to pick one of. The type of a Schemaless field or declaration is not walked: its schema is
 * its markers' only. The walk keeps its own stack, so any depth of input is safe.
 */
import type { Diagnostics } from '../diagnostics.js';
import { isSchemaless } from '../markers/index.js';
import type { ApiFile, FieldDecl, TypeDecl, TypeExpr } from './model.js';
import { fieldDifference, typeText, type RefKey } from './type-equality.js';

/**
 * How deep types may nest: each field, array item, map value, base type and member of `&` or `|`
 * is one level. Far deeper than real CRDs (a few dozen levels), far from the end of Node's stack
 * for the schema builder, and accepted by the apiserver (test/codegen/deep-types.test.ts).
 */
export const MAX_NESTING = 256;

export interface ResolvedDecl {
  decl: TypeDecl;
  file: ApiFile;
}

export interface DeclResolver {
  resolveDecl(name: string, file: ApiFile): ResolvedDecl | undefined;
}

interface Step {
  type: TypeExpr;
  file: ApiFile;
  level: number;
  parent?: Step;
  /** `Name` where a declaration is entered, `.field`, `[]` or `[*]` where the path goes down. */
  label?: string;
  declKey?: string;
}

const BUILTIN_CONTAINERS = new Set(['Array', 'ReadonlyArray', 'Record']);
const declKey = (resolved: ResolvedDecl) => `${resolved.file.path}#${resolved.decl.name}`;

export class TypeGraph {
  private readonly checkedIntersections = new Set<TypeExpr>();

  constructor(
    private readonly resolver: DeclResolver,
    private readonly diagnostics: Diagnostics,
  ) {}

  /** Checks every root; returns the roots whose types nest too deeply to build. */
  check<Root extends ResolvedDecl>(roots: Root[]): Set<Root> {
    return new Set(roots.filter((root) => !this.walk(root)));
  }

  /** Walks one root's types; false when they nest deeper than MAX_NESTING (reported). */
  private walk(root: ResolvedDecl): boolean {
    const deepest = new Map<string, number>();
    const stack: Step[] = [
      { type: root.decl.type, file: root.file, level: 0, label: root.decl.name, declKey: declKey(root) },
    ];
    for (let step = stack.pop(); step; step = stack.pop()) {
      if (step.level > MAX_NESTING) {
        this.diagnostics.error(
          step.type.loc,
          `${pathOf(step)} nests types more than ${MAX_NESTING} levels deep (each field, array item, map value, base type and member of "&" or "|" is a level): flatten the type, or keep the deep part as free-form JSON (a field of type unknown with +kubebuilder:pruning:PreserveUnknownFields)`,
        );
        return false;
      }
      stack.push(...this.children(step, deepest));
    }
    return true;
  }

  private children(step: Step, deepest: Map<string, number>): Step[] {
    const { type, file } = step;
    const down = (child: TypeExpr, label?: string): Step => ({
      type: child,
      file,
      level: step.level + 1,
      parent: step,
      label,
    });
    switch (type.kind) {
      case 'object':
        return [
          ...type.fields
            .filter((field) => !isSchemaless(field.markers))
            .map((field) => down(field.type, `.${field.name}`)),
          ...(type.index ? [down(type.index, '[*]')] : []),
        ];
      case 'array':
        return [down(type.element, '[]')];
      case 'intersection':
        this.checkIntersection(type, file);
        return type.members.map((member) => down(member));
      case 'union':
        return type.members.map((member) => down(member));
      case 'ref':
        return this.refChildren(type, step, deepest);
      default:
        return [];
    }
  }

  private refChildren(type: Extract<TypeExpr, { kind: 'ref' }>, step: Step, deepest: Map<string, number>): Step[] {
    const { file } = step;
    if (BUILTIN_CONTAINERS.has(type.name) && !file.decls.has(type.name) && !file.imports.has(type.name)) {
      const element = type.name === 'Record' ? type.args[1] : type.args[0];
      return element
        ? [{ type: element, file, level: step.level + 1, parent: step, label: type.name === 'Record' ? '[*]' : '[]' }]
        : [];
    }
    const resolved = this.resolver.resolveDecl(type.name, file);
    if (!resolved || isSchemaless(resolved.decl.markers)) return [];
    if (type.args.length > 0) {
      this.diagnostics.error(
        type.loc,
        `${type.name}<${type.args.map(typeText).join(', ')}>: API types take no type arguments (each type is one schema); refer to a concrete type, without <…>`,
      );
    }
    const key = declKey(resolved);
    // A declaration on its own path is recursion, which the schema builder reports.
    for (let ancestor: Step | undefined = step; ancestor; ancestor = ancestor.parent)
      if (ancestor.declKey === key) return [];
    if ((deepest.get(key) ?? -1) >= step.level) return [];
    deepest.set(key, step.level);
    return [
      {
        type: resolved.decl.type,
        file: resolved.file,
        level: step.level,
        parent: step,
        label: resolved.decl.name,
        declKey: key,
      },
    ];
  }

  private refKey(file: ApiFile): RefKey {
    return (ref) => {
      const resolved = this.resolver.resolveDecl(ref.name, file);
      if (resolved) return `decl:${declKey(resolved)}`;
      const [head, ...rest] = ref.name.split('.');
      const imported = file.imports.get(head);
      return imported ? `import:${imported.module}:${[imported.name, ...rest].join('.')}` : `name:${ref.name}`;
    };
  }

  /** The members of `A & B` (the bases of `extends A, B`) must not declare one field differently. */
  private checkIntersection(type: Extract<TypeExpr, { kind: 'intersection' }>, file: ApiFile): void {
    if (this.checkedIntersections.has(type)) return;
    this.checkedIntersections.add(type);
    const members = type.interfaceBody ? type.members.slice(0, -1) : type.members;
    const first = new Map<string, Origin>();
    for (const member of members) {
      for (const origin of this.fieldsOf(member, file, 0, new Set())) {
        const earlier = first.get(origin.field.name);
        if (!earlier) {
          first.set(origin.field.name, origin);
          continue;
        }
        const difference =
          earlier.field !== origin.field &&
          fieldDifference(earlier.field, origin.field, this.refKey(earlier.file), this.refKey(origin.file));
        if (!difference) continue;
        const name = origin.field.name;
        this.diagnostics.error(
          type.loc,
          `"${name}" is declared by ${earlier.owner} (${this.diagnostics.where(earlier.field.loc)}) and ${origin.owner} (${this.diagnostics.where(origin.field.loc)}) with different ${difference}, and ${type.interfaceBody ? 'this interface extends both' : 'this intersection combines them'}: a field has one schema, so declare "${name}" in one of them only`,
        );
      }
    }
  }

  /** The fields an object-like type contributes, an interface's own fields replacing its bases'. */
  private fieldsOf(type: TypeExpr, file: ApiFile, depth: number, visiting: Set<string>): Origin[] {
    if (depth > MAX_NESTING) return [];
    switch (type.kind) {
      case 'object':
        return type.fields.map((field) => ({ field, file, owner: 'a type literal' }));
      case 'ref': {
        const resolved = this.resolver.resolveDecl(type.name, file);
        if (!resolved || visiting.has(declKey(resolved))) return [];
        const inner = new Set(visiting).add(declKey(resolved));
        return this.fieldsOf(resolved.decl.type, resolved.file, depth + 1, inner).map((origin) =>
          origin.owner === 'a type literal' ? { ...origin, owner: resolved.decl.name } : origin,
        );
      }
      case 'intersection': {
        const origins = new Map<string, Origin>();
        const members = type.interfaceBody ? [...type.members].reverse() : type.members;
        for (const member of members) {
          for (const origin of this.fieldsOf(member, file, depth + 1, visiting)) {
            if (!origins.has(origin.field.name)) origins.set(origin.field.name, origin);
          }
        }
        return [...origins.values()];
      }
      default:
        return [];
    }
  }
}

interface Origin {
  field: FieldDecl;
  file: ApiFile;
  /** The declaration the field is written in, for messages. */
  owner: string;
}

/** `Widget.spec → WidgetSpec.a → …`: the path to a step, the middle left out when it is long. */
function pathOf(step: Step): string {
  const steps: Step[] = [];
  for (let at: Step | undefined = step; at; at = at.parent) if (at.label) steps.unshift(at);
  const render = (part: Step[]) =>
    part.map(({ label }, i) => (i > 0 && /^\w/.test(label!) ? ` → ${label}` : label)).join('');
  if (steps.length <= 12) return render(steps);
  const head = steps.slice(0, 6);
  const tail = steps.slice(-6);
  const omitted = tail[0].level - head[head.length - 1].level;
  const arrow = /^\w/.test(tail[0].label!) ? '→ ' : '';
  return `${render(head)} → … ${omitted} more levels … ${arrow}${render(tail)}`;
}
