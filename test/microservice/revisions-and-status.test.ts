/**
 * The pure parts of the MicroService controller: how rollouts are numbered and trimmed, and how
 * the Deployment's state maps to the MicroService's conditions (cases a test cluster cannot
 * easily produce, such as a rollout past its progress deadline).
 */
import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import type { MicroService } from '../../examples/microservice-operator/api/v1/microservice.types.js';
import {
  computeStatus,
  configHash,
  HISTORY_LIMIT,
  recordRevision,
  statusChanged,
  unknownRevisionMessage,
} from '../../examples/microservice-operator/src/controllers/microservice/index.js';

const microService = (spec: Partial<MicroService['spec']> = {}): MicroService => ({
  metadata: { name: 'shop', namespace: 'prod', generation: 4, uid: 'uid-1' },
  spec: { image: 'shop:1', ...spec },
});

function deployment(status: V1Deployment['status']): V1Deployment {
  return {
    metadata: { generation: 2 },
    spec: {
      replicas: 2,
      selector: {},
      template: { spec: { containers: [{ name: 'app', image: 'shop:1' }] } },
    },
    status,
  };
}

describe('revisions', () => {
  it('adds a revision when the image or the config changes, and none when both are unchanged', () => {
    const first = recordRevision(undefined, 'shop:1', 'aaaa');
    expect(first).toMatchObject({ revision: 1, added: { revision: 1, image: 'shop:1', configHash: 'aaaa' } });
    const same = recordRevision({ history: first.history }, 'shop:1', 'aaaa');
    expect(same.added).toBeUndefined();
    expect(same.revision).toBe(1);
    const config = recordRevision({ history: first.history }, 'shop:1', 'bbbb');
    expect(config.added).toMatchObject({ revision: 2, image: 'shop:1', configHash: 'bbbb' });
  });

  it(`keeps only the latest ${HISTORY_LIMIT} revisions, numbering on from the newest`, () => {
    let status: MicroService['status'] = {};
    for (let i = 1; i <= 13; i++) {
      const update = recordRevision(status, `shop:${i}`, 'aaaa');
      status = { history: update.history, revision: update.revision };
    }
    expect(status.history?.map((entry) => entry.revision)).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(unknownRevisionMessage(status, 2)).toBe(
      'rollbackTo 2: no such revision in status.history (known: 4, 5, 6, 7, 8, 9, 10, 11, 12, 13)',
    );
  });

  it('hashes config and secretData independently of key order', () => {
    expect(configHash(microService({ config: { a: '1', b: '2' } }))).toBe(
      configHash(microService({ config: { b: '2', a: '1' } })),
    );
    expect(configHash(microService({ secretData: { t: 'x' } }))).not.toBe(
      configHash(microService({ secretData: { t: 'y' } })),
    );
  });
});

describe('status', () => {
  const revisions = recordRevision(undefined, 'shop:1', 'aaaa');

  it('reports a rollout past its progress deadline as Degraded and not Progressing', () => {
    const status = computeStatus(
      microService(),
      deployment({
        observedGeneration: 2,
        replicas: 2,
        conditions: [
          { type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' },
          { type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'too slow' },
        ],
      }),
      revisions,
      [],
    );
    const byType = Object.fromEntries(status.conditions!.map((c) => [c.type, [c.status, c.reason]]));
    expect(byType).toEqual({
      Available: ['False', 'MinimumReplicasUnavailable'],
      Progressing: ['False', 'ProgressDeadlineExceeded'],
      Degraded: ['True', 'ProgressDeadlineExceeded'],
    });
    expect(status.conditions!.every((c) => c.observedGeneration === 4)).toBe(true);
  });

  it('says Paused while spec.paused holds the rollout, and joins the messages of every problem', () => {
    const status = computeStatus(microService({ paused: true }), deployment({}), revisions, [
      { reason: 'RevisionNotFound', message: 'rollbackTo 9: gone' },
      { reason: 'SecretNotFound', message: 'secretRefs: missing' },
    ]);
    const find = (type: string) => status.conditions!.find((c) => c.type === type);
    expect(find('Progressing')).toMatchObject({ status: 'False', reason: 'Paused' });
    expect(find('Degraded')).toMatchObject({
      status: 'True',
      reason: 'RevisionNotFound',
      message: 'rollbackTo 9: gone; secretRefs: missing',
    });
    expect(status).toMatchObject({ replicas: 0, readyReplicas: 0, url: undefined, currentImage: 'shop:1' });
  });

  it('treats a status that differs only in key order as unchanged', () => {
    expect(statusChanged({ replicas: 1, revision: 2 }, { revision: 2, replicas: 1, url: undefined })).toBe(false);
    expect(statusChanged({ replicas: 1 }, { replicas: 2 })).toBe(true);
  });
});
