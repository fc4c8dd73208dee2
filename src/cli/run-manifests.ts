/**
 * What `kubeforge run` (and `run --watch`) takes from the project's types and markers: the CRDs and
 * webhook configurations `kubeforge manifests` generates, and their server-side apply to the
 * cluster, waiting until each CRD is Established so the operator's first list finds it.
 */
import { UserError } from '../errors.js';
import type { CliIO } from './io.js';
import type { DirectClient, KubeObject } from '../runtime/index.js';

export const FIELD_MANAGER = 'kubeforge-run';

export interface GeneratedManifests {
  /** Project-relative path → content, as `kubeforge manifests` writes them. */
  files: Map<string, string>;
  crds: KubeObject[];
  webhookConfigurations: KubeObject[];
  /** What `kubeforge manifests` prints as `warning:` lines (a CRD near the apiserver's size limit, …). */
  warnings: string[];
}

/** The CRDs and webhook configurations the project's types and markers generate now (nothing is written). */
export async function generated(projectDir: string): Promise<GeneratedManifests> {
  const [{ generateManifests }, { parseAllDocuments }, { KUBEFORGE_VERSION }] = await Promise.all([
    import('../codegen/index.js'),
    import('yaml'),
    import('../project/index.js'),
  ]);
  const { files, warnings } = await generateManifests({ projectDir, kubeforgeVersion: KUBEFORGE_VERSION });
  const yamlDocuments = [...files.entries()]
    .filter(([path]) => path.endsWith('.yaml'))
    .flatMap(([, text]) => parseAllDocuments(text).map((document) => document.toJSON() as KubeObject | null))
    .filter((document): document is KubeObject => document !== null);
  return {
    files,
    crds: yamlDocuments.filter((document) => document.kind === 'CustomResourceDefinition'),
    webhookConfigurations: yamlDocuments.filter(
      (document) =>
        document.kind === 'MutatingWebhookConfiguration' || document.kind === 'ValidatingWebhookConfiguration',
    ),
    warnings,
  };
}

/** Writes the generated files as `kubeforge manifests` does (unchanged files untouched); returns the paths written. */
export async function writeManifests(projectDir: string, files: Map<string, string>): Promise<string[]> {
  const { DiskStore, Tree } = await import('../machinery/index.js');
  const tree = new Tree(new DiskStore(projectDir));
  for (const [path, content] of files) tree.generate(path, content);
  const changes = await tree.commit();
  return changes.filter((change) => change.action !== 'SKIP').map((change) => change.path);
}

/** Server-side applies `crds` (forcing our field manager) and waits up to 30 s until each is Established. */
export async function applyCrds(client: DirectClient, crds: KubeObject[], io: CliIO): Promise<void> {
  const { CustomResourceDefinition } = await import('../runtime/index.js');
  for (const crd of crds) {
    await client.apply(CustomResourceDefinition, crd as never, { fieldManager: FIELD_MANAGER, force: true });
  }
  const deadline = Date.now() + 30_000;
  for (const crd of crds) {
    const name = crd.metadata?.name ?? '';
    for (;;) {
      const current = await client.get(CustomResourceDefinition, { name });
      if (current?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) break;
      if (Date.now() > deadline) throw new UserError(`CRD ${name} was not established within 30 s`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  if (crds.length > 0) io.print(`applied CRDs: ${crds.map((crd) => crd.metadata?.name).join(', ')}`);
}
