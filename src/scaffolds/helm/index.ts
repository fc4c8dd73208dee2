/**
 * The Helm chart of `kubeforge edit --plugins helm`: `dist/chart` made from the same sources as
 * the kustomize deploy — PROJECT, the CRDs, RBAC and webhook configurations that
 * `kubeforge manifests` generates under config/ — plus templates for the manager, its services
 * and policies. Everything but Chart.yaml is regenerated on every run, so re-running after
 * `create api` or `manifests` keeps the chart in step and an unchanged project changes nothing.
 */
export { CHART_DIR, scaffoldHelmChart, type HelmOptions } from './chart.js';
export { crdTemplate, managerRoleTemplate, userRolesTemplate, webhookConfigurationsTemplate } from './from-config.js';
