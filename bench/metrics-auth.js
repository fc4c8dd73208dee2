// What authentication and authorization add to a metrics scrape: 100 sequential GET /metrics (after
// 10 warm-up) against three managers in this process on their own control plane — plain HTTP
// (--metrics-secure=false), secure with the 10 s review cache (the default), secure with the cache
// off (a TokenReview and a SubjectAccessReview per scrape) — each over one keep-alive connection,
// so the TLS handshake is paid once. Prints the median and p90 of each and the medians' differences.
// Run: npm run build && node bench/metrics-auth.js [scrapes=100]
import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';

const scrapes = Number(process.argv[2] ?? 100);
const WARM_UP = 10;
const { startControlPlane } = await import('../dist/envtest/index.js');
const runtime = await import('../dist/runtime/index.js');

function get(url, token, agent) {
  const send = url.startsWith('https:') ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(url, { agent, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`${url}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

async function measure(url, token) {
  const agent = url.startsWith('https:')
    ? new HttpsAgent({ keepAlive: true, maxSockets: 1, rejectUnauthorized: false })
    : new HttpAgent({ keepAlive: true, maxSockets: 1 });
  const times = [];
  for (let i = 0; i < WARM_UP + scrapes; i++) {
    const started = performance.now();
    await get(url, token, agent);
    if (i >= WARM_UP) times.push(performance.now() - started);
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], p90: times[Math.floor(times.length * 0.9)] };
}

/** A ServiceAccount allowed to get /metrics, and a token for it from the TokenRequest API. */
async function readerToken(client) {
  const namespace = 'metrics-bench';
  await client.create(runtime.Namespace, { metadata: { name: namespace } });
  await client.create(runtime.ServiceAccount, { metadata: { name: 'reader', namespace } });
  await client.create(runtime.ClusterRole, {
    metadata: { name: 'metrics-reader' },
    rules: [{ nonResourceURLs: ['/metrics'], verbs: ['get'] }],
  });
  await client.create(runtime.ClusterRoleBinding, {
    metadata: { name: 'metrics-reader' },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'metrics-reader' },
    subjects: [{ kind: 'ServiceAccount', name: 'reader', namespace }],
  });
  const request = await client.transport.request({
    method: 'POST',
    path: `/api/v1/namespaces/${namespace}/serviceaccounts/reader/token`,
    body: { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } },
  });
  return request.status.token;
}

const plane = await startControlPlane();
const stops = [];
try {
  const client = runtime.newClient(plane.restConfig, { qps: -1 });
  const token = await readerToken(client);
  const start = async (name, metricsServer) => {
    const mgr = await runtime.newManager({
      restConfig: plane.restConfig,
      metricsBindAddress: '127.0.0.1:0',
      healthProbeBindAddress: '0',
      metricsServer,
      logLevel: 'silent',
    });
    const abort = new AbortController();
    const running = mgr.start(abort.signal);
    stops.push(async () => {
      abort.abort();
      await running;
    });
    return { name, url: `${(await mgr.serving()).metrics}/metrics` };
  };
  const servers = [
    await start('plain HTTP (--metrics-secure=false)', { secure: false }),
    await start('HTTPS + auth, reviews cached 10 s (default)', {}),
    await start('HTTPS + auth, no cache (2 reviews per scrape)', { authCacheTtlMs: 0 }),
  ];
  const results = [];
  for (const server of servers) {
    results.push({ ...server, ...(await measure(server.url, server.url.startsWith('https:') ? token : undefined)) });
  }
  console.log(`${scrapes} sequential scrapes each (after ${WARM_UP} warm-up), one keep-alive connection:`);
  for (const { name, median, p90 } of results)
    console.log(`  ${name.padEnd(48)} median ${median.toFixed(2)} ms, p90 ${p90.toFixed(2)} ms`);
  const [plain, cached, uncached] = results;
  console.log(`  added by auth, cached:   ${(cached.median - plain.median).toFixed(2)} ms (median vs plain)`);
  console.log(`  added by auth, uncached: ${(uncached.median - plain.median).toFixed(2)} ms (median vs plain)`);
  client.close();
} finally {
  await Promise.all(stops.map((stop) => stop()));
  await plane.stop();
}
