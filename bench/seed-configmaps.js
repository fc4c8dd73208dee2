// Seeds a control plane for benchmarks: namespace `bench` holding `count` ConfigMaps of ~1 KiB,
// created 50 at a time by a client without the default client-side rate limit.
export async function seedConfigMaps(restConfig, count, labels = { app: 'bench' }) {
  const { newClient, ConfigMap, Namespace } = await import('../dist/runtime/index.js');
  const client = newClient(restConfig, { qps: -1 });
  try {
    await client.create(Namespace, { metadata: { name: 'bench' } });
    const payload = 'x'.repeat(1024);
    for (let i = 0; i < count; i += 50) {
      await Promise.all(
        Array.from({ length: Math.min(50, count - i) }, (_, j) =>
          client.create(ConfigMap, {
            metadata: { name: `cm-${i + j}`, namespace: 'bench', labels },
            data: { payload },
          }),
        ),
      );
    }
  } finally {
    client.close();
  }
}
