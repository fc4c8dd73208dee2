/**
 * What a kubelet would do for pods in envtest, which has none: mark them Running and Ready, so
 * kube-controller-manager computes ready and available replicas for their ReplicaSets and
 * Deployments exactly as in a real cluster.
 */
import { isNotFound, Pod, type Client } from 'kubeforge/runtime';

/** Marks every not-yet-ready pod of `namespace` (matching `labelSelector`) ready; returns how many pods match. */
export async function markPodsReady(client: Client, namespace: string, labelSelector?: string): Promise<number> {
  const pods = await client.list(Pod, { namespace, labelSelector });
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  const ready = [
    { type: 'Ready', status: 'True', lastTransitionTime: now },
    { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
  ];
  for (const pod of pods) {
    const name = pod.metadata?.name;
    const isReady = pod.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True');
    if (!name || isReady || pod.metadata?.deletionTimestamp) continue;
    await client
      .status()
      .patch(Pod, { namespace, name }, { type: 'merge', body: { status: { phase: 'Running', conditions: ready } } })
      .catch((error: unknown) => {
        if (!isNotFound(error)) throw error; // a pod replaced by the rollout meanwhile is fine
      });
  }
  return pods.length;
}

/** Keeps marking the pods of `namespace` ready every `intervalMs` until `signal` aborts. */
export function simulateKubelet(
  client: Client,
  namespace: string,
  signal: AbortSignal,
  intervalMs = 200,
): Promise<void> {
  return (async () => {
    while (!signal.aborted) {
      await markPodsReady(client, namespace).catch(() => undefined);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
}
