/**
 * Plugins beyond the base scaffold, as kubebuilder's: `create api --plugins deploy-image` (an API
 * and controller that run one image) and `edit --plugins grafana` (Grafana dashboards for the
 * operator's metrics). Each records its settings in PROJECT under `plugins:`.
 */
export {
  checkDeployImageFlags,
  imageEnvVarOf,
  scaffoldDeployImageApi,
  type DeployImageOptions,
} from './deploy-image.js';
export {
  CUSTOM_METRICS_CONFIG,
  GRAFANA_DIR,
  parseCustomMetrics,
  scaffoldGrafana,
  type CustomMetric,
} from './grafana.js';
