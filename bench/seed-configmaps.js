// Seeds a control plane for benchmarks: namespace `bench` holding `count` ConfigMaps of ~1 KiB,
// created by a client without the default client-side rate limit, `inFlight` requests at a time
// (a pool: a slow request never holds the others back). Returns the milliseconds it took.
export async function seedConfigMaps(restConfig, count, labels = { app: 'bench' }, inFlight = 50) {
  const { newClient, ConfigMap, Namespace } = await import('../dist/runtime/index.js');
  const client = newClient(restConfig, { qps: -1 });
  const startedAt = Date.now();
  try {
    await client.create(Namespace, { metadata: { name: 'bench' } });
    const payload = 'x'.repeat(1024);
    let next = 0;
    const worker = async () => {
      while (next < count) {
        const i = next++;
        await client.create(ConfigMap, {
          metadata: { name: `cm-${i}`, namespace: 'bench', labels },
          data: { payload },
        });
      }
    };
    await Promise.all(Array.from({ length: Math.min(inFlight, count) }, worker));
  } finally {
    client.close();
  }
  return Date.now() - startedAt;
}
