/**
 * Kinds this project controls but does not define, as `kubebuilder create api --resource=false`
 * handles them: a built-in kind of a Kubernetes core group (`--group apps --kind Deployment`,
 * PROJECT `core: true`) or a kind from another module (`--external-api-path`, PROJECT
 * `external: true`) — `kubeforge import` output in the project, or an npm package. Either way no
 * types, CRD, sample or roles are scaffolded; the controller (and webhooks) import the kind.
 */
import { posix } from 'node:path';
import { UserError } from '../errors.js';
import { parseJsonFile, type Tree } from '../machinery/index.js';
import { apiGroupOf, coreGroupDomain, pluralOf, type Project, type ProjectResource } from '../project/index.js';
import { describeBuiltinKinds, findBuiltinKind } from './builtin-kinds.js';
import { relativeModule } from './layout.js';

/** The module built-in kinds come from; PROJECT records it as their `path`. */
const RUNTIME_MODULE = 'kubeforge/runtime';

export interface ForeignRequest {
  group: string;
  version: string;
  kind: string;
  /** `--plural`, when given. */
  plural: string | undefined;
  /** `--namespaced`, when given. */
  namespaced: boolean | undefined;
  externalApiPath: string | undefined;
  externalApiDomain: string | undefined;
}

/** `--external-api-domain` completes the group of an external kind, so it needs `--external-api-path`. */
export function checkExternalFlags(options: { externalApiPath?: string; externalApiDomain?: string }): void {
  if (options.externalApiDomain !== undefined && options.externalApiPath === undefined) {
    throw new UserError('--external-api-domain needs --external-api-path (the module the external kind comes from)');
  }
}

/** The PROJECT entry of a built-in kind of a core group, or a `UserError` naming the flag. */
export function planCoreResource(request: ForeignRequest): ProjectResource | undefined {
  const domain = coreGroupDomain(request.group);
  if (domain === undefined) return undefined;
  const apiGroup = apiGroupOf({ group: request.group, domain });
  const builtin = findBuiltinKind(apiGroup, request.version, request.kind);
  const where = `${apiGroup || 'core'}/${request.version}`;
  if (!builtin) {
    throw new UserError(`--kind ${request.kind}: ${RUNTIME_MODULE} has no built-in ${request.kind} in ${where}`, {
      hint: `built-in kinds: ${describeBuiltinKinds()}; for another kind, \`kubeforge import\` its CRD or schema and pass --external-api-path`,
    });
  }
  if (request.plural !== undefined && request.plural !== builtin.plural) {
    throw new UserError(`--plural ${request.plural}: the built-in ${request.kind} (${where}) is ${builtin.plural}`, {
      hint: 'leave --plural out for a built-in kind',
    });
  }
  if (request.namespaced !== undefined && request.namespaced !== builtin.namespaced) {
    throw new UserError(
      `--namespaced=${request.namespaced}: the built-in ${request.kind} (${where}) is ${builtin.namespaced ? 'namespaced' : 'cluster-scoped'}`,
      { hint: 'leave --namespaced out for a built-in kind' },
    );
  }
  return {
    group: request.group,
    version: request.version,
    kind: request.kind,
    plural: builtin.plural,
    domain,
    namespaced: builtin.namespaced,
    controller: true,
    path: RUNTIME_MODULE,
    core: true,
  };
}

/** The PROJECT entry of an external kind; checks that its module exists and exports the kind. */
export function planExternalResource(tree: Tree, project: Project, request: ForeignRequest): ProjectResource {
  const given = request.externalApiPath ?? '';
  const domain = request.externalApiDomain ?? project.domain;
  const apiGroup = apiGroupOf({ group: request.group, domain });
  const local = localModule(tree, given);
  const declared = local ? kindConstant(tree, local, request.kind) : undefined;
  if (!local) checkDependency(tree, given);
  if (declared && (declared.group !== apiGroup || declared.version !== request.version)) {
    throw new UserError(
      `--external-api-path ${given}: ${request.kind}Kind there is ${declared.group}/${declared.version}, not ${apiGroup}/${request.version} (--group ${request.group}, --external-api-domain ${domain}, --version ${request.version})`,
      {
        hint: `the API group is <--group>.<--external-api-domain>: pass the group and domain that make ${declared.group}`,
      },
    );
  }
  for (const [flag, value, actual] of [
    ['--plural', request.plural, declared?.plural],
    ['--namespaced', request.namespaced, declared?.namespaced],
  ] as const) {
    if (value !== undefined && actual !== undefined && value !== actual) {
      throw new UserError(`${flag}=${value}: ${request.kind}Kind in ${given} says ${String(actual)}`, {
        hint: `leave ${flag} out: it is read from the module`,
      });
    }
  }
  return {
    group: request.group,
    version: request.version,
    kind: request.kind,
    plural: declared?.plural ?? request.plural ?? pluralOf(request.kind),
    domain,
    namespaced: declared?.namespaced ?? request.namespaced ?? true,
    controller: true,
    path: local ?? given,
    external: true,
  };
}

/** The project file a path-like `--external-api-path` names (`src/imports/x.io/v1` → `….ts`), or undefined for a package. */
function localModule(tree: Tree, given: string): string | undefined {
  const pathLike = /^\.{0,2}\//.test(given) || given.endsWith('.ts') || given.endsWith('.js');
  const normal = posix.normalize(given.replace(/^\.\//, '')).replace(/\.js$/, '.ts');
  const candidates = normal.endsWith('.ts') ? [normal] : [`${normal}.ts`, `${normal}/index.ts`];
  const found = candidates.find((candidate) => !candidate.startsWith('..') && tree.exists(candidate));
  if (found) return found;
  if (pathLike || normal.startsWith('..') || posix.isAbsolute(normal)) {
    throw new UserError(
      `--external-api-path ${given}: no such module in the project (looked for ${candidates.join(', ')})`,
      {
        hint: 'pass a TypeScript file of the project, such as `kubeforge import` output (src/imports/<group>/<version>.ts), or an npm package from package.json',
      },
    );
  }
  return undefined;
}

const KIND_LITERAL =
  /group: '([^']*)', version: '([^']*)', kind: '([^']*)', plural: '([^']*)', namespaced: (true|false)/;

/** What `<Kind>Kind` in a project file declares (`kubeforge import` writes it as a literal). */
function kindConstant(
  tree: Tree,
  path: string,
  kind: string,
): { group: string; version: string; plural: string; namespaced: boolean } | undefined {
  const text = tree.read(path) ?? '';
  const declaration = new RegExp(`export const ${kind}Kind\\b[^;]*`).exec(text);
  const typed = new RegExp(`export (interface|type) ${kind}\\b`).test(text);
  if (!declaration || !typed) {
    throw new UserError(
      `--external-api-path ${path}: it does not export ${declaration ? `type ${kind}` : `${kind}Kind`}`,
      {
        hint: `the module must export the object type ${kind} and the constant ${kind}Kind (group, version, kind, plural, scope), as \`kubeforge import\` writes them; check --kind`,
      },
    );
  }
  const literal = KIND_LITERAL.exec(declaration[0]);
  if (!literal || literal[3] !== kind) return undefined;
  return { group: literal[1], version: literal[2], plural: literal[4], namespaced: literal[5] === 'true' };
}

const PACKAGE = /^((?:@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*)(\/[^/].*)?$/;

/** An npm package (with an optional subpath) that package.json depends on. */
function checkDependency(tree: Tree, given: string): void {
  const match = PACKAGE.exec(given);
  if (!match) {
    throw new UserError(`--external-api-path ${given}: neither a file of the project nor an npm package name`, {
      hint: 'pass src/imports/<group>/<version>.ts (from `kubeforge import`) or a package such as @acme/widgets-api',
    });
  }
  const name = match[1];
  const manifest = parseJsonFile('package.json', tree.read('package.json') ?? '{}') as {
    dependencies?: Record<string, string>;
  };
  if (manifest.dependencies?.[name] === undefined) {
    throw new UserError(`--external-api-path ${given}: package ${name} is not in the dependencies of package.json`, {
      hint: `npm install ${name}, then run the command again`,
    });
  }
}

export interface ForeignKindNames {
  /** The constant the code passes to the client and builders (`Deployment`, `CertificateKind`). */
  kindConst: string;
  /** The object type (`V1Deployment`, `Certificate`). */
  objectType: string;
  /** Names to add to the file's import from kubeforge/runtime. */
  runtimeNames: string[];
  /** Import lines for the kind's other modules. */
  kindImports: string;
  /** The import of the object type alone (for files that need no kind constant). */
  typeImport: string;
  /** `const CertificateKind = defineKind<Certificate>(…);` for an external kind, else ''. */
  kindDeclaration: string;
}

/** How code in `fromDir` refers to a foreign kind. */
export function foreignKindNames(resource: ProjectResource, fromDir: string): ForeignKindNames {
  if (resource.core) {
    const builtin = findBuiltinKind(apiGroupOf(resource), resource.version, resource.kind);
    if (!builtin) {
      throw new UserError(
        `PROJECT: ${resource.kind} ${apiGroupOf(resource) || 'core'}/${resource.version} is no built-in kind`,
      );
    }
    return {
      kindConst: builtin.exportName,
      objectType: builtin.typeName,
      runtimeNames: [builtin.exportName],
      kindImports: `import type { ${builtin.typeName} } from '@kubernetes/client-node';`,
      typeImport: `import type { ${builtin.typeName} } from '@kubernetes/client-node';`,
      kindDeclaration: '',
    };
  }
  const specifier = resource.path.endsWith('.ts') ? relativeModule(fromDir, resource.path) : resource.path;
  const { kind } = resource;
  return {
    kindConst: `${kind}Kind`,
    objectType: kind,
    runtimeNames: ['defineKind'],
    kindImports: `import { ${kind}Kind as ${kind}Definition, type ${kind} } from '${specifier}';`,
    typeImport: `import type { ${kind} } from '${specifier}';`,
    kindDeclaration: `\n\nconst ${kind}Kind = defineKind<${kind}>(${kind}Definition);`,
  };
}
