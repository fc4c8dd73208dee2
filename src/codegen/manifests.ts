/**
 * `kubeforge manifests` as a function: read the project (PROJECT, `api/**`, `src/**`), run the
 * passes (parse → markers → schema → structural checks → CRDs, RBAC, webhooks → YAML) and return
 * the files to write. Every error of the run is collected; if there is any, nothing is returned.
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { NoProjectError } from '../errors.js';
import { readProject, type Project } from '../project/index.js';
import { CrdSources } from './check/index.js';
import { applyConfigurationFiles, isApplyConfigurationsFile } from './apply-configurations.js';
import { buildCrds, findRootKinds } from './crd.js';
import { Diagnostics } from './diagnostics.js';
import { kubernetesVersionFor, resolveKubernetesMinor } from './kubernetes-minor.js';
import { buildRoles } from './rbac.js';
import { loadCoreSchemas, SchemaBuilder } from './schema/index.js';
import { parseApiFiles, scanFreeMarkers, TypeGraph, type ApiFileText } from './source/index.js';
import { buildWebhookConfigurations } from './webhooks.js';
import { limitDescriptions, toYaml } from './yaml-output.js';

export interface ManifestsOptions {
  projectDir: string;
  /** Where CRDs go, relative to the project (default `config/crd/bases`). */
  crdOutputDir?: string;
  /** Truncate descriptions to this many characters; 0 removes them. */
  maxDescLen?: number;
  /** ObjectMeta inside templates keeps its common fields (controller-gen's generateEmbeddedObjectMeta). */
  embeddedObjectMeta?: boolean;
  /** The version written into the generated-by annotation. */
  kubeforgeVersion: string;
  /**
   * Whose core types (`1.35`, `v1.35` or `1.35.4`; one of the shipped minors). Default: PROJECT's
   * `kubernetesVersion`, else the newest shipped minor.
   */
  kubernetesVersion?: string;
}

export interface ManifestsResult {
  /** Project-relative path → content. */
  files: Map<string, string>;
  warnings: string[];
  /** Where each generated CRD's parts come from, to point an apiserver's rejection at its source. */
  crdSources: CrdSources;
  /** The Kubernetes version whose core types the CRDs hold (`1.37.2`): the apiserver to check them against. */
  kubernetesVersion: string;
}

const COMMAND = 'kubeforge manifests';
const CRD_SIZE_LIMIT = 256 * 1024;

async function listTsFiles(dir: string): Promise<string[]> {
  let entries: string[];
  try {
    entries = await readdir(dir, { recursive: true });
  } catch {
    return [];
  }
  return entries
    .filter(
      (entry) =>
        entry.endsWith('.ts') &&
        !entry.endsWith('.d.ts') &&
        !entry.endsWith('.test.ts') &&
        !entry.split(sep).includes('node_modules'),
    )
    .map((entry) => join(dir, entry))
    .sort();
}

async function readProjectIfAny(dir: string): Promise<Project | undefined> {
  try {
    return await readProject(dir);
  } catch (error) {
    if (error instanceof NoProjectError) return undefined;
    throw error;
  }
}

/**
 * The shipped minor the options or PROJECT's `kubernetesVersion` (kept among its unknown keys)
 * name; undefined: the default.
 */
async function kubernetesMinorFor(
  options: ManifestsOptions,
  project: Project | undefined,
): Promise<string | undefined> {
  if (options.kubernetesVersion !== undefined)
    return resolveKubernetesMinor(options.kubernetesVersion, 'kubernetesVersion');
  const fromProject = project?.extra?.kubernetesVersion;
  return fromProject === undefined
    ? undefined
    : resolveKubernetesMinor(String(fromProject), 'PROJECT kubernetesVersion');
}

export async function generateManifests(options: ManifestsOptions): Promise<ManifestsResult> {
  const { projectDir } = options;
  const diagnostics = new Diagnostics(projectDir);
  const project = await readProjectIfAny(projectDir);
  const kubernetesMinor = await kubernetesMinorFor(options, project);
  const apiDir = join(projectDir, 'api');
  const apiPaths = (await listTsFiles(apiDir)).filter((path) => !isApplyConfigurationsFile(path));
  const srcPaths = await listTsFiles(join(projectDir, 'src'));
  const apiTexts: ApiFileText[] = await Promise.all(
    apiPaths.map(async (path) => ({
      path,
      version: dirname(relative(apiDir, path)).split(sep).join('/'),
      text: await readFile(path, 'utf8'),
    })),
  );
  const srcTexts = await Promise.all(srcPaths.map(async (path) => ({ path, text: await readFile(path, 'utf8') })));

  const apiFiles = await parseApiFiles(apiTexts, diagnostics);
  const freeMarkers = scanFreeMarkers([...apiTexts, ...srcTexts], diagnostics);
  const roots = findRootKinds(apiFiles, project, diagnostics);
  const builder = new SchemaBuilder(
    apiFiles,
    roots.length > 0
      ? await loadCoreSchemas({
          embeddedObjectMeta: options.embeddedObjectMeta,
          kubernetesMinor,
        })
      : { expand: () => undefined },
    diagnostics,
  );
  const generatedBy = `kubeforge ${options.kubeforgeVersion}`;
  // Kinds whose types nest too deeply are reported and not built (the builder recurses per level).
  const tooDeep = new TypeGraph(builder, diagnostics).check(roots);
  const crds = buildCrds(
    roots.filter((root) => !tooDeep.has(root)),
    builder,
    project,
    generatedBy,
    diagnostics,
  );
  const roles = buildRoles(
    freeMarkers.filter((m) => m.name === 'kubebuilder:rbac'),
    project?.namespaced === true,
    diagnostics,
  );
  const webhooks = buildWebhookConfigurations(
    freeMarkers.filter((m) => m.name === 'kubebuilder:webhook' || m.name === 'kubebuilder:webhookconfiguration'),
    diagnostics,
  );
  diagnostics.throwIfAny(COMMAND);

  const files = new Map<string, string>();
  const crdDir = options.crdOutputDir ?? 'config/crd/bases';
  for (const crd of crds) {
    if (options.maxDescLen !== undefined) limitDescriptions(crd.spec.versions, options.maxDescLen);
    const text = toYaml(COMMAND, [crd]);
    const path = join(crdDir, `${crd.spec.group}_${crd.spec.names.plural}.yaml`);
    if (Buffer.byteLength(text) > CRD_SIZE_LIMIT) {
      diagnostics.warn(
        `${path} is ${Math.round(Buffer.byteLength(text) / 1024)} KiB, too large for client-side \`kubectl apply\` (256 KiB annotation limit): use \`kubectl apply --server-side\` or shorten descriptions with --max-desc-len`,
      );
    }
    files.set(path, text);
  }
  if (roles.length > 0) files.set('config/rbac/role.yaml', toYaml(COMMAND, roles));
  if (webhooks.length > 0) files.set('config/webhook/manifests.yaml', toYaml(COMMAND, webhooks));
  const built = roots.filter((root) => !tooDeep.has(root));
  for (const [path, text] of applyConfigurationFiles(projectDir, built, crds, COMMAND)) files.set(path, text);
  return {
    files,
    warnings: diagnostics.warnings,
    crdSources: new CrdSources(roots, builder, crds),
    kubernetesVersion: await kubernetesVersionFor(kubernetesMinor),
  };
}
