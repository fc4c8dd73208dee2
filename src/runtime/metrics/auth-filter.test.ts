import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DirectClient } from '../client/index.js';
import { newLogger } from '../log.js';
import { withAuthenticationAndAuthorization } from './auth-filter.js';

interface Sent {
  kind: string;
  spec: Record<string, unknown>;
}

/** A client whose apiserver knows one token per user name and lets `allowed` users get /metrics. */
function reviewingClient(allowed: Set<string>) {
  const sent: Sent[] = [];
  const request = async ({ body }: { body: Sent }) => {
    sent.push(body);
    if (body.kind === 'TokenReview') {
      const user = /^token-of-(.+)$/.exec(String(body.spec.token))?.[1];
      return { status: user ? { authenticated: true, user: { username: user, groups: ['g'] } } : {} };
    }
    return { status: { allowed: allowed.has(String(body.spec.user)) } };
  };
  return { client: { transport: { request } } as unknown as DirectClient, sent };
}

/** The body of the last answer `call` got. */
let lastBody = '';

async function call(
  handler: (req: IncomingMessage, res: ServerResponse) => unknown,
  token?: string,
  path = '/metrics',
) {
  let status = 0;
  const res = {
    writeHead(code: number) {
      status = code;
      return this;
    },
    end(body = '') {
      lastBody = String(body);
    },
  } as unknown as ServerResponse;
  const req = { url: path, method: 'GET', headers: token ? { authorization: `Bearer ${token}` } : {} };
  await handler(req as IncomingMessage, res);
  return status;
}

describe('withAuthenticationAndAuthorization', () => {
  const served = vi.fn(async (_req: IncomingMessage, res: ServerResponse) => void res.writeHead(200).end());
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    served.mockClear();
  });
  afterEach(() => vi.useRealTimers());

  it('reviews a token and its user once per 10 s, and again after that', async () => {
    const { client, sent } = reviewingClient(new Set(['reader']));
    const handler = withAuthenticationAndAuthorization({ client, logger: newLogger({ level: 'silent' }) })(served);
    for (let i = 0; i < 5; i++) expect(await call(handler, 'token-of-reader')).toBe(200);
    expect(sent.map((review) => review.kind)).toEqual(['TokenReview', 'SubjectAccessReview']);
    expect(sent[1].spec).toEqual({
      user: 'reader',
      groups: ['g'],
      nonResourceAttributes: { verb: 'get', path: '/metrics' },
    });
    vi.advanceTimersByTime(9_000);
    expect(await call(handler, 'token-of-reader')).toBe(200);
    expect(sent).toHaveLength(2);
    vi.advanceTimersByTime(2_000);
    expect(await call(handler, 'token-of-reader')).toBe(200);
    expect(sent).toHaveLength(4);
    expect(served).toHaveBeenCalledTimes(7);
  });

  it('authorizes each path on its own, and caches refusals as well', async () => {
    const { client, sent } = reviewingClient(new Set());
    const handler = withAuthenticationAndAuthorization({ client, logger: newLogger({ level: 'silent' }) })(served);
    expect(await call(handler, 'token-of-scraper')).toBe(403);
    expect(await call(handler, 'token-of-scraper')).toBe(403);
    expect(await call(handler, 'token-of-scraper', '/debug')).toBe(403);
    expect(await call(handler, 'forged')).toBe(401);
    expect(await call(handler, 'forged')).toBe(401);
    expect(await call(handler)).toBe(401);
    expect(sent.map((review) => review.kind)).toEqual([
      'TokenReview',
      'SubjectAccessReview',
      'SubjectAccessReview',
      'TokenReview',
    ]);
    expect(served).not.toHaveBeenCalled();
  });

  it('asks on every request with a TTL of 0, and shares one review among concurrent requests', async () => {
    const { client, sent } = reviewingClient(new Set(['reader']));
    const uncached = withAuthenticationAndAuthorization({
      client,
      logger: newLogger({ level: 'silent' }),
      cacheTtlMs: 0,
    })(served);
    for (let i = 0; i < 3; i++) await call(uncached, 'token-of-reader');
    expect(sent).toHaveLength(6);
    const cached = withAuthenticationAndAuthorization({ client, logger: newLogger({ level: 'silent' }) })(served);
    await Promise.all([1, 2, 3].map(() => call(cached, 'token-of-reader')));
    expect(sent).toHaveLength(8);
  });

  it('answers 500 without a review error reaching the client, and does not cache the failure', async () => {
    const { client, sent } = reviewingClient(new Set(['reader']));
    const request = client.transport.request.bind(client.transport);
    let fail = true;
    (client.transport as { request: unknown }).request = async (req: { body: Sent }) => {
      if (fail) throw new Error('tokenreviews.authentication.k8s.io is forbidden');
      return request(req as never);
    };
    const handler = withAuthenticationAndAuthorization({ client, logger: newLogger({ level: 'silent' }) })(served);
    expect(await call(handler, 'token-of-reader')).toBe(500);
    expect(lastBody).toBe('Internal Server Error\n');
    fail = false;
    expect(await call(handler, 'token-of-reader')).toBe(200);
    expect(sent).toHaveLength(2);
  });
});
