/**
 * Runs the example MicroService operator (examples/microservice-operator, built with our CLI)
 * in this process through the real Manager against the shared control plane, scoped to one
 * test namespace, with every pino line it writes captured. Plus the helpers the scenarios share:
 * install the CRD, make a Deployment's pods "ready" (there is no kubelet), read events.
 */
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { installCRDs } from '../../src/envtest/index.js';
import { Deployment, EventV1, newClient, Pod, type DirectClient } from '../../src/runtime/index.js';
import {
  microServiceCacheOptions,
  setupMicroServiceController,
} from '../../examples/microservice-operator/src/controllers/microservice.controller.js';
import {
  MicroServiceKind,
  type MicroService,
  type MicroServiceSpec,
} from '../../examples/microservice-operator/api/v1/microservice.types.js';
import { startManager, until, type RunningManager } from '../runtime/harness.js';
import { testRestConfig } from '../support/cluster.js';

export const EXAMPLE_DIR = fileURLToPath(new URL('../../examples/microservice-operator/', import.meta.url));

export { MicroServiceKind, type MicroService, until };

export interface RunningOperator extends RunningManager {
  /** Every log line the operator wrote (JSON, as pino writes it). */
  logs: string[];
}

/** Installs the example's generated CRD (idempotent) and returns a direct client. */
export async function prepareCluster(): Promise<DirectClient> {
  await installCRDs(testRestConfig(), [`${EXAMPLE_DIR}config/crd/bases`]);
  return newClient(testRestConfig());
}

/** Starts the operator for `namespace` with debug logging captured into `logs`. */
export async function startOperator(namespace: string, logs: string[] = []): Promise<RunningOperator> {
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logs.push(...chunk.toString().split('\n').filter(Boolean));
      callback();
    },
  });
  const running = await startManager(setupMicroServiceController, {
    namespace,
    cache: microServiceCacheOptions,
    logger: pino({ level: 'debug' }, sink),
    gracefulShutdownTimeoutMs: 5_000,
  });
  return { ...running, logs };
}

export function microService(namespace: string, name: string, spec: MicroServiceSpec): MicroService {
  return { apiVersion: MicroServiceKind.apiVersion, kind: MicroServiceKind.kind, metadata: { namespace, name }, spec };
}

/**
 * Makes every pod of the Deployment ready, as a kubelet would: kube-controller-manager has
 * created them from the ReplicaSet; marking them Running + Ready lets it compute the
 * Deployment's ready/available replicas itself.
 */
export async function makePodsReady(client: DirectClient, namespace: string, name: string): Promise<number> {
  const deployment = await client.get(Deployment, { namespace, name });
  const selector = Object.entries(deployment?.spec?.selector.matchLabels ?? {})
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  const pods = await client.list(Pod, { namespace, labelSelector: selector });
  const now = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (const pod of pods) {
    if (pod.metadata?.deletionTimestamp) continue;
    await client.status().patch(
      Pod,
      { namespace, name: pod.metadata!.name! },
      {
        type: 'merge',
        body: {
          status: {
            phase: 'Running',
            conditions: [
              { type: 'Ready', status: 'True', lastTransitionTime: now },
              { type: 'ContainersReady', status: 'True', lastTransitionTime: now },
            ],
          },
        },
      },
    );
  }
  return pods.length;
}

/** Reasons of the events recorded about the MicroService `name`, oldest first. */
export async function eventReasons(client: DirectClient, namespace: string, name: string): Promise<string[]> {
  const events = await client.list(EventV1, { namespace });
  return events
    .filter((event) => event.regarding?.kind === 'MicroService' && event.regarding.name === name)
    .sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)))
    .map((event) => event.reason ?? '');
}
