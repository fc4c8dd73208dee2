/**
 * The client scenarios of test/support/client-scenarios.ts on the real apiserver: what the fake
 * client of `kubeforge/testing` is checked against (src/testing/fake-client.test.ts runs the same
 * scenarios on the fake).
 */
import { afterAll, beforeAll } from 'vitest';
import { newClient, type DirectClient } from '../../src/runtime/index.js';
import { defineClientScenarios } from '../support/client-scenarios.js';
import { createTestNamespace, testRestConfig } from '../support/cluster.js';
import { installWidgetCrd } from './widget-kind.js';

let client: DirectClient;

beforeAll(async () => {
  client = newClient(testRestConfig(), { fieldManager: 'client-scenarios' });
  await installWidgetCrd(client);
});

afterAll(() => client?.close());

defineClientScenarios('apiserver', async () => ({ client, namespace: await createTestNamespace('scenarios') }));
