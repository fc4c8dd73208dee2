/**
 * The data behind `kubeforge tree`: which resources the apiserver serves (discovery: `/api`,
 * `/apis` and each group's preferred version), every listable one listed metadata-only in the
 * object's namespace, and the objects that own each other by `metadata.ownerReferences`, from the
 * root down. Only the objects in the tree are read in full (their status fills READY and STATUS).
 */
import { UserError } from '../errors.js';
import { defineKind, isForbidden, type DirectClient, type KubeObject, type ObjectKind } from '../runtime/index.js';

/** One served resource, as discovery describes it. */
export interface ServedResource {
  group: string;
  version: string;
  /** The plural (`deployments`). */
  name: string;
  singularName?: string;
  shortNames?: string[];
  kind: string;
  namespaced: boolean;
  verbs: string[];
}

interface APIResourceList {
  resources: Omit<ServedResource, 'group' | 'version'>[];
}

interface APIGroupList {
  groups: { name: string; preferredVersion?: { groupVersion: string }; versions: { groupVersion: string }[] }[];
}

export interface Discovery {
  resources: ServedResource[];
  /** Group versions whose resource list could not be read (an unavailable aggregated API). */
  failed: { groupVersion: string; error: string }[];
}

/** Every resource of the preferred version of each group, core first, in the apiserver's group order. */
export async function discoverResources(client: DirectClient): Promise<Discovery> {
  const get = <T>(path: string) =>
    client.transport.request<T>({ method: 'GET', path, description: `discover ${path}` });
  const [core, groups] = await Promise.all([get<{ versions: string[] }>('/api'), get<APIGroupList>('/apis')]);
  const groupVersions = [
    ...core.versions.slice(0, 1).map((version) => ({ group: '', version, path: `/api/${version}` })),
    ...groups.groups.map((group) => {
      const groupVersion = group.preferredVersion?.groupVersion ?? group.versions[0].groupVersion;
      return { group: group.name, version: groupVersion.slice(group.name.length + 1), path: `/apis/${groupVersion}` };
    }),
  ];
  const discovery: Discovery = { resources: [], failed: [] };
  const lists = await Promise.all(
    groupVersions.map((gv) =>
      get<APIResourceList>(gv.path).then(
        (list) => ({ gv, list }),
        (error: Error) => ({ gv, error }),
      ),
    ),
  );
  for (const entry of lists) {
    if ('error' in entry) {
      discovery.failed.push({ groupVersion: entry.gv.path.replace(/^\/apis?\//, ''), error: entry.error.message });
      continue;
    }
    for (const resource of entry.list.resources)
      if (!resource.name.includes('/'))
        discovery.resources.push({ ...resource, group: entry.gv.group, version: entry.gv.version });
  }
  return discovery;
}

/**
 * The resource a `kubectl`-style type names: plural, singular, kind or short name, any case,
 * optionally qualified by its group (`deployments.apps`, `microservice.apps.example.com`).
 */
export function resolveResource(resources: ServedResource[], type: string): ServedResource {
  const lower = type.toLowerCase();
  const dot = lower.indexOf('.');
  const candidates = [
    { name: lower, group: undefined as string | undefined },
    ...(dot > 0 ? [{ name: lower.slice(0, dot), group: lower.slice(dot + 1) }] : []),
  ];
  for (const { name, group } of candidates) {
    const found = resources.find(
      (r) =>
        (group === undefined || r.group === group) &&
        [r.name, r.singularName, r.kind.toLowerCase(), ...(r.shortNames ?? [])].includes(name),
    );
    if (found) return found;
  }
  throw new UserError(`the server has no resource type "${type}"`, {
    hint: 'use a kind, plural or short name as `kubectl api-resources` lists them (e.g. deployment/web, microservices.apps.example.com/shop)',
  });
}

export function kindOf(resource: ServedResource): ObjectKind {
  return defineKind({
    group: resource.group,
    version: resource.version,
    kind: resource.kind,
    plural: resource.name,
    namespaced: resource.namespaced,
  });
}

export interface TreeNode {
  object: KubeObject;
  children: TreeNode[];
}

export interface OwnerTree {
  root: TreeNode;
  /** Resources that could not be listed (forbidden), so their objects may be missing. */
  skipped: string[];
}

async function listAll(client: DirectClient, kind: ObjectKind, namespace: string | undefined): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  let token: string | undefined;
  do {
    const page = await client.listPage(kind, { namespace, metadataOnly: true, limit: 500, continue: token });
    items.push(...page.items);
    token = page.continue;
  } while (token);
  return items;
}

/**
 * The tree under `root`: its namespace's listable resources (every namespace and the
 * cluster-scoped ones when `root` is cluster-scoped), children sorted by kind, then name.
 */
export async function buildOwnerTree(
  client: DirectClient,
  resources: ServedResource[],
  root: KubeObject,
): Promise<OwnerTree> {
  const namespace = root.metadata?.namespace;
  const listable = resources.filter(
    (r) => r.verbs.includes('list') && (namespace === undefined || r.namespaced) && r.kind !== 'Event',
  );
  const skipped: string[] = [];
  const byOwner = new Map<string, { resource: ServedResource; meta: KubeObject }[]>();
  await Promise.all(
    listable.map(async (resource) => {
      let items: KubeObject[];
      try {
        items = await listAll(client, kindOf(resource), namespace);
      } catch (error) {
        if (!isForbidden(error)) throw error;
        skipped.push(resource.group ? `${resource.name}.${resource.group}` : resource.name);
        return;
      }
      for (const meta of items)
        for (const owner of meta.metadata?.ownerReferences ?? []) {
          const owned = byOwner.get(owner.uid) ?? [];
          owned.push({ resource, meta });
          byOwner.set(owner.uid, owned);
        }
    }),
  );
  const seen = new Set<string>();
  const grow = async (object: KubeObject): Promise<TreeNode> => {
    seen.add(object.metadata!.uid!);
    const owned = (byOwner.get(object.metadata!.uid!) ?? []).filter(({ meta }) => !seen.has(meta.metadata!.uid!));
    owned.sort(
      (a, b) =>
        a.resource.kind.localeCompare(b.resource.kind) || a.meta.metadata!.name!.localeCompare(b.meta.metadata!.name!),
    );
    for (const { meta } of owned) seen.add(meta.metadata!.uid!);
    const children = await Promise.all(
      owned.map(async ({ resource, meta }) => {
        const full = await client.get(kindOf(resource), {
          namespace: meta.metadata!.namespace,
          name: meta.metadata!.name!,
        });
        return grow(full ?? meta);
      }),
    );
    return { object, children };
  };
  return { root: await grow(root), skipped: skipped.sort() };
}
