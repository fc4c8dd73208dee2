/**
 * Which shipped Kubernetes minor's core types a run uses, resolved without loading the core
 * schemas up front (their data module is imported on first use).
 */

/**
 * The shipped minor a user's `1.35`, `v1.35` or `1.35.4` means; a `UserError` naming `source` (a
 * flag, a PROJECT field) and the shipped minors for anything else.
 */
export async function resolveKubernetesMinor(value: string, source: string): Promise<string> {
  const { kubernetesMinorOf } = await import('./core-schemas/index.js');
  return kubernetesMinorOf(value, source);
}

/** The Kubernetes version whose core schemas a minor (default: the newest shipped) stands for: `1.35` → `1.35.4`. */
export async function kubernetesVersionFor(minor: string | undefined): Promise<string> {
  const { kubernetesVersionOf, DEFAULT_KUBERNETES_MINOR } = await import('./core-schemas/index.js');
  return kubernetesVersionOf(minor ?? DEFAULT_KUBERNETES_MINOR);
}
