/**
 * Compacts the etcd of a control plane this test started, through etcd's JSON gateway, so
 * resourceVersions older than now are gone for good (what the apiserver does every 5 minutes).
 */
import { readFileSync } from 'node:fs';
import type { ControlPlane } from '../../src/envtest/index.js';

function etcdUrl(plane: ControlPlane): string {
  const pid = plane.pids().etcd;
  if (!pid) throw new Error('etcd is not running');
  const args = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  const flag = args.find((a) => a.startsWith('--listen-client-urls'));
  const url = flag?.includes('=') ? flag.split('=')[1] : args[args.indexOf('--listen-client-urls') + 1];
  if (!url) throw new Error(`cannot find etcd's client URL in its command line: ${args.join(' ')}`);
  return url.split(',')[0];
}

async function post(url: string, body: object): Promise<{ header?: { revision?: string } }> {
  const res = await fetch(url, { method: 'POST', body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as { header?: { revision?: string } };
}

/** Compacts etcd at its current revision; returns that revision. */
export async function compactEtcd(plane: ControlPlane): Promise<string> {
  const base = etcdUrl(plane);
  const { header } = await post(`${base}/v3/kv/range`, { key: Buffer.from('/').toString('base64') });
  const revision = header?.revision;
  if (!revision) throw new Error('etcd returned no revision');
  await post(`${base}/v3/kv/compaction`, { revision, physical: true });
  return revision;
}
