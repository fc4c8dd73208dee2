/**
 * Discovery-backed REST mapping: which plural and scope serve (apiVersion, kind). Each
 * group-version's resource list is fetched once and cached; a miss refetches it once, so kinds
 * of CRDs installed after startup resolve too.
 */
import { defineKind, parseApiVersion } from '../kinds.js';
import type { ObjectKind } from '../types.js';
import { isNotFound } from './errors.js';
import { groupVersionPath } from './paths.js';
import type { Transport } from './transport.js';

interface APIResource {
  name: string;
  kind: string;
  namespaced: boolean;
}

export class RestMapper {
  private readonly groupVersions = new Map<string, Promise<APIResource[]>>();

  constructor(private readonly transport: Transport) {}

  async kindFor(apiVersion: string, kind: string): Promise<ObjectKind> {
    const found =
      (await this.resources(apiVersion, false)).find((r) => r.kind === kind) ??
      (await this.resources(apiVersion, true)).find((r) => r.kind === kind);
    if (!found) throw new Error(`no kind ${kind} is served in ${apiVersion} (is its CRD installed?)`);
    const { group, version } = parseApiVersion(apiVersion);
    return defineKind({ group, version, kind, plural: found.name, namespaced: found.namespaced });
  }

  private resources(apiVersion: string, refresh: boolean): Promise<APIResource[]> {
    let cached = this.groupVersions.get(apiVersion);
    if (!cached || refresh) {
      cached = this.fetch(apiVersion);
      this.groupVersions.set(apiVersion, cached);
      cached.catch(() => this.groupVersions.delete(apiVersion));
    }
    return cached;
  }

  private async fetch(apiVersion: string): Promise<APIResource[]> {
    const { group, version } = parseApiVersion(apiVersion);
    try {
      const list = await this.transport.request<{ resources: APIResource[] }>({
        method: 'GET',
        path: groupVersionPath(group, version),
        description: `discover ${apiVersion}`,
      });
      return list.resources.filter((r) => !r.name.includes('/'));
    } catch (e) {
      if (isNotFound(e)) return [];
      throw e;
    }
  }
}
