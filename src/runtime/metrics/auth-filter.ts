/**
 * Authentication and authorization in front of the metrics endpoint, as controller-runtime's
 * `filters.WithAuthenticationAndAuthorization`: the request's bearer token is checked with a
 * TokenReview (authentication.k8s.io/v1), and the user it names with a SubjectAccessReview
 * (authorization.k8s.io/v1) for the request's verb on its non-resource URL — `get` on `/metrics`,
 * what the scaffold's `metrics-reader` ClusterRole grants. No token, or one the apiserver does not
 * accept: 401. A user who may not: 403. A review that fails (apiserver unreachable, the manager not
 * allowed to create reviews): 500, with the reason in the log only.
 *
 * Both answers are cached for `cacheTtlMs` (10 s): per token for the TokenReview, per user, verb and
 * path for the SubjectAccessReview, so Prometheus scraping every few seconds costs the apiserver
 * one pair of reviews per 10 s, and a revoked token or removed binding stops working within 10 s.
 * Concurrent requests with the same token share one review. Tokens are held only as SHA-256
 * hashes, and neither tokens nor review bodies are logged.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { V1SubjectAccessReview, V1TokenReview, V1UserInfo } from '@kubernetes/client-node';
import type { DirectClient } from '../client/index.js';
import type { Logger } from '../log.js';

export const DEFAULT_AUTH_CACHE_TTL_MS = 10_000;
/** Beyond this many cached answers the oldest go first (a flood of random tokens cannot grow memory). */
const MAX_CACHE_ENTRIES = 1024;

export interface AuthFilterOptions {
  /** Sends the reviews, with the manager's own credentials (RBAC: `metrics-auth-role`). */
  client: DirectClient;
  logger: Logger;
  /** How long an answer is reused; 0 asks the apiserver on every request. Default 10 s. */
  cacheTtlMs?: number;
}

type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;
type Authenticated = { user: V1UserInfo } | { user?: undefined; reason: string };

/** Answers that expire, oldest evicted first; a pending answer is shared by every caller asking meanwhile. */
class AnswerCache<T> {
  private readonly entries = new Map<string, { expires: number; answer: Promise<T> }>();
  constructor(private readonly ttlMs: number) {}

  answer(key: string, ask: () => Promise<T>): Promise<T> {
    const now = Date.now();
    const cached = this.entries.get(key);
    if (cached && cached.expires > now) return cached.answer;
    this.entries.delete(key);
    const answer = ask();
    if (this.ttlMs <= 0) return answer;
    this.entries.set(key, { expires: now + this.ttlMs, answer });
    answer.catch(() => this.entries.delete(key));
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= MAX_CACHE_ENTRIES) break;
      this.entries.delete(oldest);
    }
    return answer;
  }
}

function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

function refuse(res: ServerResponse, code: 401 | 403 | 500, message: string): void {
  const headers: Record<string, string> = {
    'content-type': 'text/plain; charset=utf-8',
    'x-content-type-options': 'nosniff',
  };
  if (code === 401) headers['www-authenticate'] = 'Bearer';
  res.writeHead(code, headers).end(`${message}\n`);
}

/** Wraps `handler` so that only requests whose token's user may `<verb>` the request's path reach it. */
export function withAuthenticationAndAuthorization(options: AuthFilterOptions): (handler: Handler) => Handler {
  const ttl = options.cacheTtlMs ?? DEFAULT_AUTH_CACHE_TTL_MS;
  const tokens = new AnswerCache<Authenticated>(ttl);
  const decisions = new AnswerCache<boolean>(ttl);
  const log = options.logger.child({ component: 'metrics-auth' });

  // Reviews are not objects (no name, nothing stored, metadata must be empty): POSTed as they are.
  const review = <T>(group: string, plural: string, kind: string, spec: unknown) =>
    options.client.transport.request<T>({
      method: 'POST',
      path: `/apis/${group}/v1/${plural}`,
      body: { apiVersion: `${group}/v1`, kind, spec },
      description: `create ${kind}`,
    });

  const authenticate = (token: string) =>
    tokens.answer(createHash('sha256').update(token).digest('hex'), async () => {
      const { status } = await review<V1TokenReview>('authentication.k8s.io', 'tokenreviews', 'TokenReview', {
        token,
      });
      return status?.authenticated && status.user
        ? { user: status.user }
        : { reason: status?.error || 'token not authenticated' };
    });

  const authorize = (user: V1UserInfo, verb: string, path: string) =>
    decisions.answer(JSON.stringify([user.username, user.uid, user.groups, user.extra, verb, path]), async () => {
      const { status } = await review<V1SubjectAccessReview>(
        'authorization.k8s.io',
        'subjectaccessreviews',
        'SubjectAccessReview',
        {
          user: user.username,
          uid: user.uid,
          groups: user.groups,
          extra: user.extra,
          nonResourceAttributes: { verb, path },
        },
      );
      return status?.allowed === true;
    });

  return (handler) => async (req, res) => {
    const token = bearerToken(req);
    if (!token) return refuse(res, 401, 'Unauthorized');
    const path = new URL(req.url ?? '/', 'https://metrics').pathname;
    // A non-resource request's verb is its lower-cased method, as the apiserver's RequestInfo has it.
    const verb = (req.method ?? 'GET').toLowerCase();
    let authenticated: Authenticated;
    try {
      authenticated = await authenticate(token);
    } catch (err) {
      log.error({ err }, 'authenticating a metrics request failed (can the manager create tokenreviews?)');
      return refuse(res, 500, 'Internal Server Error');
    }
    if (!authenticated.user) {
      log.debug({ reason: authenticated.reason }, 'metrics request not authenticated');
      return refuse(res, 401, 'Unauthorized');
    }
    const user = authenticated.user;
    let allowed: boolean;
    try {
      allowed = await authorize(user, verb, path);
    } catch (err) {
      log.error({ err }, 'authorizing a metrics request failed (can the manager create subjectaccessreviews?)');
      return refuse(res, 500, 'Internal Server Error');
    }
    if (!allowed) {
      log.debug({ user: user.username, verb, path }, 'metrics request forbidden');
      return refuse(res, 403, `Forbidden: user "${user.username}" may not ${verb} ${path}`);
    }
    await handler(req, res);
  };
}
