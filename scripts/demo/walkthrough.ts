/**
 * The MicroService walkthrough: apply the example's sample, then scale, upgrade, roll back and
 * delete it, waiting each time until the operator (a separate process) has brought the cluster
 * and the status in line, and printing what kubectl would show.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { main, terminalIO } from 'kubeforge';
import {
  defineKind,
  ConfigMap,
  Deployment,
  EventV1,
  Ingress,
  Secret,
  Service,
  type Client,
  type KubeObject,
  type ObjectKind,
} from 'kubeforge/runtime';
import { age, formatTable } from './table.js';

interface Condition {
  type: string;
  status: string;
  reason?: string;
}

interface MicroService extends KubeObject {
  spec: { image: string; replicas?: number; rollbackTo?: number; secretData?: Record<string, string> };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    currentImage?: string;
    revision?: number;
    url?: string;
    conditions?: Condition[];
    history?: { revision: number; image: string; configHash: string; time: string }[];
  };
}

const MicroServiceKind = defineKind<MicroService>({
  group: 'apps.kubeforge.dev',
  version: 'v1',
  kind: 'MicroService',
  plural: 'microservices',
  namespaced: true,
});

export const SAMPLE_PATH = 'config/samples/apps_v1_microservice.yaml';

export interface WalkthroughContext {
  client: Client;
  namespace: string;
  exampleDir: string;
  /** The cluster's kubeconfig, for `kubeforge tree`. */
  kubeconfigPath: string;
  print(text: string): void;
  /** Runs a step: prints its title, runs it, prints how long it took. */
  step<T>(title: string, run: () => Promise<T>): Promise<T>;
  /** Throws (naming the operator log) when the operator process has died. */
  checkOperator(): void;
  signal: AbortSignal;
}

/** Polls `check` every 100 ms until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(
  ctx: Pick<WalkthroughContext, 'checkOperator' | 'signal'>,
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 60_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    ctx.checkOperator();
    if (ctx.signal.aborted) throw new Error(`interrupted while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const condition = (ms: MicroService | undefined, type: string) => ms?.status?.conditions?.find((c) => c.type === type);

function statusTable(ms: MicroService): string {
  const s = ms.status ?? {};
  const show = (type: string) => {
    const c = condition(ms, type);
    return c ? `${c.status} (${c.reason})` : '';
  };
  return formatTable(
    ['NAME', 'IMAGE', 'READY', 'REVISION', 'AVAILABLE', 'PROGRESSING', 'AGE'],
    [
      [
        ms.metadata?.name,
        s.currentImage,
        `${s.readyReplicas ?? 0}/${ms.spec.replicas ?? 1}`,
        s.revision,
        show('Available'),
        show('Progressing'),
        age(ms.metadata?.creationTimestamp),
      ],
    ],
  );
}

function historyTable(ms: MicroService): string {
  return formatTable(
    ['REVISION', 'IMAGE', 'CONFIG-HASH', 'TIME'],
    (ms.status?.history ?? []).map((entry) => [entry.revision, entry.image, entry.configHash, entry.time]),
  );
}

async function readSample(ctx: WalkthroughContext): Promise<MicroService> {
  const sample = parse(await readFile(join(ctx.exampleDir, SAMPLE_PATH), 'utf8')) as MicroService;
  sample.metadata = { ...sample.metadata, namespace: ctx.namespace };
  return sample;
}

function accessors(ctx: WalkthroughContext, name: string) {
  const key = { namespace: ctx.namespace, name };
  const get = () => ctx.client.get(MicroServiceKind, key);
  return {
    key,
    get,
    /** The MicroService satisfies `check` and its Deployment has rolled out. */
    rolledOut: async (check: (ms: MicroService) => boolean) => {
      const ms = await get();
      return ms !== undefined && check(ms) && condition(ms, 'Progressing')?.reason === 'RolloutComplete';
    },
    patchSpec: (spec: object) => ctx.client.patch(MicroServiceKind, key, { type: 'merge', body: { spec } }),
  };
}

/** Applies the example's sample MicroService and waits for its children and its pods. */
export async function applySample(ctx: WalkthroughContext): Promise<MicroService> {
  const { client, namespace, print } = ctx;
  const sample = await readSample(ctx);
  const name = sample.metadata?.name ?? 'microservice-sample';
  const { get, rolledOut } = accessors(ctx, name);
  print(`$ kubectl apply -n ${namespace} -f ${SAMPLE_PATH} --server-side`);
  await client.apply(MicroServiceKind, sample, { fieldManager: 'kubectl', force: true });
  const children: [ObjectKind, string][] = [
    [Deployment, name],
    [Service, name],
    [Ingress, name],
    [ConfigMap, `${name}-config`],
    [Secret, `${name}-secret`],
  ];
  const found: KubeObject[] = [];
  await waitFor(ctx, 'the operator to create the children', async () => {
    found.length = 0;
    for (const [kind, child] of children) {
      const object = await client.get(kind, { namespace, name: child });
      if (!object) return false;
      found.push({ ...object, kind: kind.kind });
    }
    return true;
  });
  print(
    formatTable(
      ['KIND', 'NAME', 'CONTROLLED-BY'],
      found.map((o) => {
        const owner = o.metadata?.ownerReferences?.find((ref) => ref.controller);
        return [o.kind, o.metadata?.name, owner && `${owner.kind}/${owner.name}`];
      }),
    ),
  );
  await waitFor(ctx, 'the pods to be ready', () => rolledOut((ms) => ms.status?.readyReplicas === ms.spec.replicas));
  print(statusTable((await get())!));
  return sample;
}

/** Applies the sample, walks through scale → upgrade → rollback → delete; returns the sample's secret values. */
export async function runWalkthrough(ctx: WalkthroughContext): Promise<string[]> {
  const { client, namespace, print } = ctx;
  const sample = await ctx.step(`Apply the sample MicroService (${SAMPLE_PATH})`, () => applySample(ctx));
  const name = sample.metadata?.name ?? 'microservice-sample';
  const { key, get, rolledOut, patchSpec } = accessors(ctx, name);

  await ctx.step('Scale to 4 replicas', async () => {
    print(`$ kubectl patch -n ${namespace} msvc/${name} --type=merge -p '{"spec":{"replicas":4}}'`);
    await patchSpec({ replicas: 4 });
    await waitFor(ctx, '4 ready replicas', () => rolledOut((ms) => ms.status?.readyReplicas === 4));
    print(statusTable((await get())!));
  });

  await ctx.step('Upgrade the image to nginx:1.28', async () => {
    print(`$ kubectl patch -n ${namespace} msvc/${name} --type=merge -p '{"spec":{"image":"nginx:1.28"}}'`);
    await patchSpec({ image: 'nginx:1.28' });
    await waitFor(ctx, 'the upgrade to roll out', () => rolledOut((ms) => ms.status?.currentImage === 'nginx:1.28'));
    const ms = (await get())!;
    print(statusTable(ms));
    print(historyTable(ms));
  });

  await ctx.step('Roll back to revision 1', async () => {
    print(`$ kubectl patch -n ${namespace} msvc/${name} --type=merge -p '{"spec":{"rollbackTo":1}}'`);
    await patchSpec({ rollbackTo: 1 });
    await waitFor(ctx, 'the rollback to roll out', () =>
      rolledOut((ms) => ms.status?.currentImage === sample.spec.image && ms.spec.rollbackTo === undefined),
    );
    const ms = (await get())!;
    print(statusTable(ms));
    print(historyTable(ms));
  });

  await ctx.step('See what the operator made', async () => {
    print(`$ kubeforge tree msvc/${name} -n ${namespace}`);
    const out: string[] = [];
    const errors: string[] = [];
    const io = {
      ...terminalIO(),
      print: (text: string) => out.push(text),
      printError: (text: string) => errors.push(text),
    };
    const code = await main(
      ['node', 'kubeforge', 'tree', `msvc/${name}`, '-n', namespace, '--kubeconfig', ctx.kubeconfigPath],
      io,
    );
    if (code !== 0) throw new Error(`kubeforge tree failed (exit ${code}): ${errors.join('\n')}`);
    print(out.join('\n'));
  });

  await ctx.step('Delete the MicroService', async () => {
    print(`$ kubectl delete -n ${namespace} msvc/${name}`);
    await client.delete(MicroServiceKind, key);
    await waitFor(ctx, 'the finalizer to finish', async () => (await get()) === undefined);
    print('finalizer done: Ingress removed, MicroService gone');
    await waitFor(
      ctx,
      'kube-controller-manager to garbage-collect the Deployment, Service, ConfigMap and Secret',
      async () =>
        (await client.get(Deployment, key)) === undefined &&
        (await client.get(Service, key)) === undefined &&
        (await client.get(ConfigMap, { namespace, name: `${name}-config` })) === undefined &&
        (await client.get(Secret, { namespace, name: `${name}-secret` })) === undefined,
      120_000,
    );
    print('garbage collection done: no children left');
    const eventsAbout = async () =>
      (await client.list(EventV1, { namespace }))
        .filter((event) => event.regarding?.kind === 'MicroService' && event.regarding.name === name)
        .sort((a, b) => String(a.eventTime).localeCompare(String(b.eventTime)));
    // Events are written asynchronously: the cleanup's may land just after the MicroService is gone.
    await waitFor(ctx, "the operator's CleanedUp event", async () =>
      (await eventsAbout()).some((event) => event.reason === 'CleanedUp'),
    );
    const events = await eventsAbout();
    print(
      formatTable(
        ['REASON', 'COUNT', 'MESSAGE'],
        events.map((event) => [event.reason, event.series?.count ?? 1, event.note]),
      ),
    );
  });
  return Object.values(sample.spec.secretData ?? {});
}
