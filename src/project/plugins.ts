/**
 * The `plugins:` map of PROJECT (kubebuilder's PROJECT v3 `plugins:`): one key per plugin that has
 * run on the project, its value the plugin's settings, so `alpha generate` and `upgrade` can run
 * every plugin again with the same settings. Keys kubeforge does not know are kept as read.
 */
import type { Project } from './types.js';

/** The keys of kubeforge's own plugins, versioned as kubebuilder's (`helm.kubebuilder.io/v1-alpha`). */
export const PLUGIN_KEYS = {
  helm: 'helm.kubeforge.io/v1-alpha',
  deployImage: 'deploy-image.kubeforge.io/v1-alpha',
  grafana: 'grafana.kubeforge.io/v1-alpha',
} as const;

/** One kind scaffolded by `create api --plugins deploy-image`. */
export interface DeployImageResource {
  group: string;
  version: string;
  kind: string;
  image: string;
  containerPort?: number;
  runAsUser?: number;
  /** `--image-container-command`, split at commas (kubebuilder's `containerCommand`). */
  containerCommand?: string[];
}

/** The settings each known plugin records (helm and grafana record none: `{}`). */
export interface KnownPluginSettings {
  [PLUGIN_KEYS.helm]: Record<string, never>;
  [PLUGIN_KEYS.deployImage]: { resources: DeployImageResource[] };
  [PLUGIN_KEYS.grafana]: Record<string, never>;
}

export type KnownPluginKey = keyof KnownPluginSettings;

/** The settings a known plugin recorded, or undefined when it has not run on the project. */
export function pluginSettings<K extends KnownPluginKey>(project: Project, key: K): KnownPluginSettings[K] | undefined {
  return project.plugins?.[key] as KnownPluginSettings[K] | undefined;
}

/** The project with `key`'s settings recorded (replacing earlier ones); keys stay sorted. */
export function withPluginSettings<K extends KnownPluginKey>(
  project: Project,
  key: K,
  settings: KnownPluginSettings[K],
): Project {
  const plugins = { ...project.plugins, [key]: settings };
  return { ...project, plugins: Object.fromEntries(Object.entries(plugins).sort(([a], [b]) => a.localeCompare(b))) };
}
