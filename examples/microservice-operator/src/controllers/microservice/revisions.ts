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
 * Revisions: every rollout of a new image or config is numbered and kept in status.history
 * (the last HISTORY_LIMIT, oldest first). `rollbackTo` names one of them; its image becomes
 * spec.image again, which rolls out as a new revision.
 */
import type { MicroServiceRevision, MicroServiceStatus } from '../../../api/v1/microservice.types.js';

export const HISTORY_LIMIT = 10;

export interface RevisionUpdate {
  revision: number;
  history: MicroServiceRevision[];
  /** The revision just added, when the image or config differs from the latest one. */
  added?: MicroServiceRevision;
}

/** The history after rolling out `image` with `configHash`: unchanged when the latest revision matches. */
export function recordRevision(
  status: MicroServiceStatus | undefined,
  image: string,
  configHash: string,
  now: Date = new Date(),
): RevisionUpdate {
  const history = status?.history ?? [];
  const latest = history.at(-1);
  if (latest && latest.image === image && latest.configHash === configHash) {
    return { revision: latest.revision, history };
  }
  const added: MicroServiceRevision = {
    revision: (latest?.revision ?? status?.revision ?? 0) + 1,
    image,
    configHash,
    time: new Date(Math.floor(now.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z'),
  };
  return { revision: added.revision, history: [...history, added].slice(-HISTORY_LIMIT), added };
}

/** The revision numbered `revision` in the history, if it is still kept. */
export function findRevision(
  status: MicroServiceStatus | undefined,
  revision: number,
): MicroServiceRevision | undefined {
  return status?.history?.find((entry) => entry.revision === revision);
}

/** Why a rollback target cannot be used, for the Degraded condition. */
export function unknownRevisionMessage(status: MicroServiceStatus | undefined, revision: number): string {
  const known = (status?.history ?? []).map((entry) => entry.revision);
  return `rollbackTo ${revision}: no such revision in status.history (known: ${known.length > 0 ? known.join(', ') : 'none'})`;
}
