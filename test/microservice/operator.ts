/**
 * Runs the example MicroService operator (examples/microservice-operator, built with our CLI)
 * in this process through the real Manager against the shared control plane, scoped to one
 * test namespace, with every pino line it writes captured. Plus the helpers the scenarios share:
 * install the CRD, build a MicroService, read events. (Pods are made ready with the demo's
 * `markPodsReady`, since envtest has no kubelet.)
 */
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { installCRDs } from '../../src/envtest/index.js';
import { EventV1, newClient, type DirectClient } from '../../src/runtime/index.js';
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

/**
 * Installs the example's generated CRD and returns a direct client. Test files run in parallel and
 * each installs it; concurrent installs of one CRD converge (see `installCRDs`).
 */
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

/** Reasons of the events recorded about the MicroService `name`, oldest first. */
export async function eventReasons(client: DirectClient, namespace: string, name: string): Promise<string[]> {
  const events = await client.list(EventV1, { namespace });
  return events
    .filter((event) => event.regarding?.kind === 'MicroService' && event.regarding.name === name)
    .sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)))
    .map((event) => event.reason ?? '');
}
