/**
 * `init`: the files of a new operator project — package and tool configuration, the manager in
 * src/main.ts with its scaffold markers, Makefile, Dockerfile, README, the kustomize layout under
 * config/ — and the PROJECT file. Re-running with --force rewrites them and re-registers what
 * PROJECT already records — every controller first, then every webhook, each with its kustomize
 * entries (and the `dev:webhooks` script) — so nothing created since is lost.
 */
import { templateRenderer, outputPathOf, type TemplateRenderer, type Tree } from '../machinery/index.js';
import { KUBEFORGE_VERSION, PROJECT_FILE, PROJECT_LAYOUT, serializeProject, type Project } from '../project/index.js';
import { insertResourceEntries, type ScaffoldResult } from './api.js';
import { BOILERPLATE_FILE, projectContext, resourceContext } from './context.js';
import { insertWebhookEntries } from './webhook-registration.js';

const PROJECT_TEMPLATES = [
  'init/package.json',
  'init/tsconfig.json',
  'init/tsconfig.build.json',
  'init/eslint.config.js',
  'init/vitest.config.ts',
  'init/_gitignore',
  'init/_dockerignore',
  'init/Dockerfile',
  'init/Makefile',
  'init/README.md',
  'init/src/main.ts',
  'init/test/e2e/manager.e2e.test.ts',
  'init/config/default/kustomization.yaml',
  'init/config/default/metrics_service.yaml',
  'init/config/manager/kustomization.yaml',
  'init/config/manager/manager.yaml',
  'init/config/rbac/kustomization.yaml',
  'init/config/rbac/service_account.yaml',
  'init/config/rbac/role.yaml',
  'init/config/rbac/role_binding.yaml',
  'init/config/rbac/leader_election_role.yaml',
  'init/config/rbac/leader_election_role_binding.yaml',
  'init/config/rbac/metrics_auth_role.yaml',
  'init/config/rbac/metrics_auth_role_binding.yaml',
  'init/config/rbac/metrics_reader_role.yaml',
  'init/config/prometheus/kustomization.yaml',
  'init/config/prometheus/monitor.yaml',
  'init/config/network-policy/kustomization.yaml',
  'init/config/network-policy/allow-metrics-traffic.yaml',
  'init/config/network-policy/allow-webhook-traffic.yaml',
  'init/config/samples/kustomization.yaml',
  'init/config/crd/kustomization.yaml',
];

/** Written once as a starting point, then owned by `kubeforge manifests`: never overwritten by init. */
const MANIFESTS_OWNED = new Set(['init/config/rbac/role.yaml']);

export type License = 'apache2' | 'none';

export interface InitOptions {
  domain: string;
  projectName: string;
  namespaced: boolean;
  license: License;
  /** Copyright holder in the license header. */
  owner: string;
  /** Copyright year in the license header. */
  year: number;
  /** The `kubeforge` dependency of the generated package.json: a version range or `file:<path>`. */
  kubeforgeDependency: string;
  force: boolean;
  /**
   * The PROJECT of a project re-initialised with --force: its resources are kept and re-registered
   * (controllers, webhooks, kustomize entries), keys kubeforge does not know are kept.
   */
  existing?: Project;
}

export async function scaffoldInit(
  tree: Tree,
  options: InitOptions,
  renderer: TemplateRenderer = templateRenderer(),
): Promise<ScaffoldResult> {
  const project: Project = {
    layout: PROJECT_LAYOUT,
    cliVersion: KUBEFORGE_VERSION,
    domain: options.domain,
    projectName: options.projectName,
    namespaced: options.namespaced,
    ...(options.existing?.multigroup ? { multigroup: true } : {}),
    ...(options.existing?.plugins ? { plugins: options.existing.plugins } : {}),
    resources: options.existing?.resources ?? [],
    ...(options.existing?.extra ? { extra: options.existing.extra } : {}),
  };
  let boilerplate: string | undefined;
  if (options.license === 'apache2') {
    // A license header already in place (alpha generate seeds the project's own) is kept unless --force.
    boilerplate =
      (options.force ? undefined : tree.read(BOILERPLATE_FILE)) ??
      (await renderer.render('init/hack/boilerplate.ts.txt', { year: options.year, owner: options.owner }));
    tree.scaffold(BOILERPLATE_FILE, boilerplate, options);
  }
  const context = {
    ...projectContext(project, boilerplate),
    kubeforgeDependency: options.kubeforgeDependency,
    packageLicense: options.license === 'apache2' ? 'Apache-2.0' : 'UNLICENSED',
  };
  for (const template of PROJECT_TEMPLATES) {
    const force = options.force && !MANIFESTS_OWNED.has(template);
    tree.scaffold(outputPathOf(template, context), await renderer.render(template, context), { force });
  }
  const notes: string[] = [];
  for (const resource of project.resources) {
    notes.push(...(await insertResourceEntries(tree, resource, resourceContext(context, resource))));
  }
  for (const resource of project.resources) {
    if (resource.webhooks) {
      const entries = await insertWebhookEntries(tree, resource, resource.webhooks, resourceContext(context, resource));
      notes.push(...entries);
    }
  }
  tree.generate(PROJECT_FILE, serializeProject(project));
  return { project, notes };
}
