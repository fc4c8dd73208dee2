import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lease, newClient, type DirectClient } from '../../src/runtime/index.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { bundle, spawnManager, until } from './harness.js';
import { installWidgetCrd, WidgetKind } from './widget-kind.js';

let client: DirectClient;
let script: string;

beforeAll(async () => {
  client = newClient(testRestConfig(), { fieldManager: 'shutdown-test' });
  await installWidgetCrd(client);
  script = await bundle(fileURLToPath(new URL('./fixtures/widget-manager.ts', import.meta.url)));
});

afterAll(() => client?.close());

const annotation = (w: { metadata?: { annotations?: Record<string, string> } } | undefined, field: string) =>
  w?.metadata?.annotations?.[`test.kubeforge.io/${field}`];

describe('graceful shutdown', () => {
  it('exits 0 on SIGTERM under load with no half-done reconcile and releases the Lease', async () => {
    const namespace = await createTestNamespace('shutdown');
    for (let i = 0; i < 40; i++)
      await client.create(WidgetKind, { metadata: { namespace, name: `w${i}` }, spec: { size: i } });
    const manager = spawnManager(script, {
      KUBEFORGE_TEST_REST_CONFIG: JSON.stringify(testRestConfig()),
      WIDGET_NAMESPACE: namespace,
      LEASE_ID: 'shutdown-lock',
      IDENTITY: 'graceful',
      RELEASE_ON_CANCEL: 'true',
      // 40 Widgets at 4 reconciles of 2 s at a time take 20 s; SIGTERM comes in the second round
      RECONCILE_DELAY_MS: '2000',
    });
    try {
      await until('reconciles in flight', async () => {
        const widgets = await client.list(WidgetKind, { namespace });
        return widgets.filter((w) => annotation(w, 'started') !== undefined).length >= 6;
      });
      manager.child.kill('SIGTERM');
      const { code, signal } = await manager.exited;
      expect({ code, signal }).toEqual({ code: 0, signal: null });
      await until('the manager output is read to its end', () => manager.child.stdout!.closed);
    } finally {
      manager.child.kill('SIGKILL');
    }
    const widgets = await client.list(WidgetKind, { namespace });
    const started = widgets.filter((w) => annotation(w, 'started') !== undefined);
    expect(started.length).toBeGreaterThan(0);
    expect(started.length).toBeLessThan(40);
    for (const w of started) expect(annotation(w, 'finished'), w.metadata?.name).toBe(annotation(w, 'started'));
    expect(manager.logs.some((l) => l.msg === 'manager stopped')).toBe(true);
    const reconcileLines = manager.logs.filter((l) => l.msg === 'reconciled');
    expect(reconcileLines.length).toBe(started.length);
    for (const line of reconcileLines) {
      expect(line).toMatchObject({
        controller: 'widget',
        namespace,
        name: expect.stringMatching(/^w\d+$/),
        reconcileID: expect.any(String),
      });
    }
    const lease = await client.get(Lease, { namespace, name: 'shutdown-lock' });
    expect(lease?.spec?.holderIdentity).toBeUndefined();
  });
});
