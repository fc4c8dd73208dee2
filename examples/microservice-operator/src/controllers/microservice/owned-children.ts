/*
Copyright 2026 The microservice-operator Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

/**
 * Keeps one child of a MicroService in its desired shape with server-side apply (force: the
 * operator's fields win, so manual edits of them are reverted and deleted children come back),
 * deletes a child that is no longer wanted (only if this MicroService controls it), and records
 * an event for every change it makes.
 */
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import {
  controllerOf,
  Service,
  type Client,
  type EventRecorder,
  type KubeObject,
  type Logger,
  type ObjectKind,
} from 'kubeforge/runtime';
import { MicroServiceKind, type MicroService } from '../../../api/v1/microservice.types.js';
import { FIELD_MANAGER } from './children.js';

export class OwnedChildren {
  constructor(
    private readonly client: Client,
    private readonly events: EventRecorder,
    private readonly owner: MicroService,
    private readonly log: Logger,
  ) {}

  /** Applies `desired` when the spec asks for the child, else deletes the child named `name`. */
  async reconcile<T extends KubeObject>(kind: ObjectKind<T>, name: string, desired: T | undefined): Promise<void> {
    if (desired) await this.apply(kind, desired);
    else await this.remove(kind, name);
  }

  /** Deletes the child named `name` if this MicroService controls it. */
  async remove<T extends KubeObject>(kind: ObjectKind<T>, name: string): Promise<void> {
    const key = { namespace: this.owner.metadata?.namespace, name };
    const existing = await this.client.get(kind, key);
    if (existing && controllerOf(existing)?.uid === this.owner.metadata?.uid && (await this.client.delete(kind, key))) {
      this.record('Deleted', `deleted ${kind.kind} ${name}`);
    }
  }

  /** Server-side applies `desired` and returns the object as the apiserver stored it. */
  async apply<T extends KubeObject>(kind: ObjectKind<T>, desired: T): Promise<T> {
    const name = desired.metadata?.name ?? '';
    const existing = await this.client.get(kind, { namespace: this.owner.metadata?.namespace, name });
    if (existing && kind.kind === 'Service') await this.dropForeignPorts(existing as V1Service, desired as V1Service);
    const applied = await this.client.apply(kind, desired, { fieldManager: FIELD_MANAGER, force: true });
    if (!existing) this.record('Created', `created ${kind.kind} ${name}`);
    else if (kind.kind === 'Deployment') this.recordDeploymentChange(existing as V1Deployment, applied as V1Deployment);
    else if (existing.metadata?.resourceVersion !== applied.metadata?.resourceVersion)
      this.record('Updated', `updated ${kind.kind} ${name} to match the spec`);
    return applied;
  }

  /**
   * Service ports merge by port+protocol under server-side apply, so a port someone renumbered by
   * hand would stay beside ours (and clash by name). Replace the list when it holds ports the spec
   * does not ask for; the apply that follows takes ownership of it again.
   */
  private async dropForeignPorts(existing: V1Service, desired: V1Service): Promise<void> {
    const wanted = new Set(desired.spec?.ports?.map((port) => `${port.port}/${port.protocol ?? 'TCP'}`));
    const foreign = existing.spec?.ports?.some((port) => !wanted.has(`${port.port}/${port.protocol ?? 'TCP'}`));
    if (!foreign) return;
    const key = { namespace: existing.metadata?.namespace, name: existing.metadata?.name ?? '' };
    await this.client.patch(Service, key, {
      type: 'json',
      operations: [
        { op: 'test', path: '/metadata/resourceVersion', value: existing.metadata?.resourceVersion },
        { op: 'replace', path: '/spec/ports', value: desired.spec?.ports },
      ],
    });
  }

  private recordDeploymentChange(before: V1Deployment, after: V1Deployment): void {
    if (before.metadata?.generation === after.metadata?.generation) return;
    const name = after.metadata?.name;
    const [from, to] = [before.spec?.replicas, after.spec?.replicas];
    if (from !== to) this.record('Scaled', `scaled Deployment ${name} from ${from} to ${to} replicas`);
    else this.record('Updated', `updated Deployment ${name} to match the spec`);
  }

  /** Records a Normal event about the MicroService and logs it (notes never carry secret values). */
  record(reason: string, note: string, type: 'Normal' | 'Warning' = 'Normal'): void {
    this.events.event(this.owner, { type, reason, note }, MicroServiceKind);
    this.log[type === 'Normal' ? 'info' : 'warn']({ reason }, note);
  }
}
