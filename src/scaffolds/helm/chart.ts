/**
 * Stages `dist/chart`: Chart.yaml once; values.yaml from PROJECT; the manager, service account,
 * leader election, metrics (with its auth and reader roles), monitoring, network-policy and (with webhooks) webhook Service and
 * certificate templates as they are in templates/helm; the CRDs, the manager's role, the admin,
 * editor and viewer roles of each kind and the webhook configurations converted from config/.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { UserError } from '../../errors.js';
import { TEMPLATES_DIR, templateRenderer, type TemplateRenderer, type Tree } from '../../machinery/index.js';
import { apiGroupOf, isForeign, type Project } from '../../project/index.js';
import { layoutOf } from '../layout.js';
import { crdTemplate, managerRoleTemplate, userRolesTemplate, webhookConfigurationsTemplate } from './from-config.js';

export const CHART_DIR = 'dist/chart';

/** Go templates, copied as they are (handlebars would take their braces for its own). */
const VERBATIM = [
  'templates/_helpers.tpl',
  'templates/manager/manager.yaml',
  'templates/rbac/service_account.yaml',
  'templates/rbac/leader_election_role.yaml',
  'templates/rbac/metrics_auth_role.yaml',
  'templates/rbac/metrics_auth_role_binding.yaml',
  'templates/rbac/metrics_reader_role.yaml',
  'templates/metrics/metrics_service.yaml',
  'templates/prometheus/monitor.yaml',
  'templates/network-policy/allow-metrics-traffic.yaml',
  'templates/network-policy/allow-webhook-traffic.yaml',
];
const VERBATIM_WEBHOOK = ['templates/webhook/service.yaml', 'templates/certmanager/certificate.yaml'];
const ROLE_SOURCE = 'config/rbac/role.yaml';
const WEBHOOK_SOURCE = 'config/webhook/manifests.yaml';
const RUN_MANIFESTS = 'run `npm run manifests` (kubeforge manifests) first';

export interface HelmOptions {
  /** Overwrite Chart.yaml too (its version and appVersion are yours otherwise). */
  force: boolean;
}

export async function scaffoldHelmChart(
  tree: Tree,
  project: Project,
  options: HelmOptions,
  renderer: TemplateRenderer = templateRenderer(),
): Promise<void> {
  const required = (path: string): string => {
    const text = tree.read(path);
    if (text === undefined)
      throw new UserError(`${path} is missing: the chart is made from it`, { hint: RUN_MANIFESTS });
    return text;
  };
  const withWebhooks = project.resources.filter((resource) => resource.webhooks);
  const admission = withWebhooks.some((resource) => resource.webhooks?.defaulting || resource.webhooks?.validation);
  const conversion = new Set(
    withWebhooks.filter((resource) => resource.webhooks?.conversion).map((r) => `${apiGroupOf(r)}/${r.plural}`),
  );
  const crds = new Map<string, string>();
  const own = project.resources.filter((resource) => !isForeign(resource));
  for (const resource of own) {
    const file = `${apiGroupOf(resource)}_${resource.plural}.yaml`;
    if (crds.has(file)) continue;
    const source = `config/crd/bases/${file}`;
    crds.set(
      file,
      crdTemplate(required(source), source, {
        conversion: conversion.has(`${apiGroupOf(resource)}/${resource.plural}`),
      }),
    );
  }
  const rbac = new Map([['role.yaml', managerRoleTemplate(required(ROLE_SOURCE), ROLE_SOURCE)]]);
  for (const resource of own) {
    for (const role of ['admin', 'editor', 'viewer']) {
      const file = `${layoutOf(project.multigroup === true, resource).roleBase}_${role}_role.yaml`;
      const text = tree.read(`config/rbac/${file}`);
      if (text !== undefined && !rbac.has(file)) rbac.set(file, userRolesTemplate(text, `config/rbac/${file}`));
    }
  }
  const webhookConfigurations = admission
    ? webhookConfigurationsTemplate(required(WEBHOOK_SOURCE), WEBHOOK_SOURCE)
    : undefined;

  const context = {
    projectName: project.projectName,
    namespaced: project.namespaced,
    webhooks: withWebhooks.length > 0,
  };
  const chart = (path: string) => `${CHART_DIR}/${path}`;
  tree.scaffold(chart('Chart.yaml'), await renderer.render('helm/dist/chart/Chart.yaml', context), options);
  tree.generate(chart('values.yaml'), await renderer.render('helm/dist/chart/values.yaml', context));
  tree.generate(chart('.helmignore'), await renderer.render('helm/dist/chart/_helmignore', context));
  for (const path of [...VERBATIM, ...(context.webhooks ? VERBATIM_WEBHOOK : [])])
    tree.generate(chart(path), await readFile(join(TEMPLATES_DIR, 'helm/dist/chart', path), 'utf8'));
  for (const [file, text] of crds) tree.generate(chart(`templates/crd/${file}`), text);
  for (const [file, text] of rbac) tree.generate(chart(`templates/rbac/${file}`), text);
  if (webhookConfigurations) tree.generate(chart('templates/webhook/webhooks.yaml'), webhookConfigurations);
}
