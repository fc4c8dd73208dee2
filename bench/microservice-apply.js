// Time from applying a MicroService (server-side apply, as `kubectl apply --server-side`) to all
// five children (Deployment, Service, Ingress, ConfigMap, Secret) existing, with the example
// operator bundled and running as its own process against a local control plane. Median of N
// (default 10), after one warm-up object; also the operator's RSS afterwards.
// Run: npm run build && node bench/microservice-apply.js [runs]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { bundleOperator, startOperatorProcess } from '../scripts/dist/demo/index.js';
import { startControlPlane } from '../dist/envtest/index.js';
import { ConfigMap, defineKind, Deployment, Ingress, newClient, Secret, Service } from '../dist/runtime/index.js';

const runs = Number(process.argv[2] ?? 10);
const root = fileURLToPath(new URL('..', import.meta.url));
const example = join(root, 'examples/microservice-operator');
const MicroService = defineKind({
  group: 'apps.kubeforge.dev',
  version: 'v1',
  kind: 'MicroService',
  plural: 'microservices',
  namespaced: true,
});
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const work = mkdtempSync(join(tmpdir(), 'kubeforge-bench-'));
const controlPlane = await startControlPlane({ crdDirectoryPaths: [join(example, 'config/crd/bases')] });
const bundle = await bundleOperator(root, example, join(work, 'operator.mjs'));
const operator = startOperatorProcess(bundle, controlPlane.kubeconfigPath, join(work, 'operator.log'));
// The harness client is not what is measured: unthrottled, as the Go twin.
const client = newClient(controlPlane.restConfig, { qps: -1 });

async function applyAndWait(name) {
  const startedAt = performance.now();
  await client.apply(
    MicroService,
    {
      apiVersion: MicroService.apiVersion,
      kind: MicroService.kind,
      metadata: { namespace: 'default', name },
      spec: {
        image: 'nginx:1.27',
        ports: [{ name: 'http', containerPort: 80 }],
        config: { GREETING: 'hello' },
        secretData: { TOKEN: 'bench' },
        ingress: { host: `${name}.example.com` },
      },
    },
    { fieldManager: 'bench', force: true },
  );
  const children = [
    [Deployment, name],
    [Service, name],
    [Ingress, name],
    [ConfigMap, `${name}-config`],
    [Secret, `${name}-secret`],
  ];
  for (;;) {
    const found = await Promise.all(
      children.map(([kind, child]) => client.get(kind, { namespace: 'default', name: child })),
    );
    if (found.every(Boolean)) return performance.now() - startedAt;
    if (operator.exitCode() !== undefined) throw new Error(`operator exited; see ${operator.logFile}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

try {
  await applyAndWait('warm-up');
  const samples = [];
  for (let i = 0; i < runs; i++) samples.push(await applyAndWait(`bench-${i}`));
  const rssMiB = Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${operator.pid}/status`, 'utf8'))[1]) / 1024;
  console.log(
    JSON.stringify({
      runs,
      applyToChildrenMedianMs: Math.round(median(samples)),
      samplesMs: samples.map((value) => Math.round(value)),
      operatorRssMiB: Math.round(rssMiB),
    }),
  );
} finally {
  client.close();
  await operator.stop();
  await controlPlane.stop();
  rmSync(work, { recursive: true, force: true });
}
