/**
 * What a request is, read from its method and path the way the apiserver's RequestInfoFactory
 * (k8s.io/apiserver/pkg/endpoints/request) reads it, and whether it matches a rule's `RequestMatch`.
 */
import type { RequestInfo, RequestMatch } from './types.js';

/** Subresources of a namespace, which stay on the namespace rather than starting a resource path. */
const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

const VERB_OF_METHOD: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch' };

export function requestInfo(method: string, url: string, protocol: RequestInfo['protocol']): RequestInfo {
  const { pathname, searchParams } = new URL(url, 'https://proxy.invalid');
  const upper = method.toUpperCase();
  const info: RequestInfo = {
    method: upper,
    path: pathname,
    query: searchParams,
    verb: upper.toLowerCase(),
    isResourceRequest: false,
    watch: false,
    protocol,
  };
  const segments = pathname
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
  let parts: string[];
  if (segments[0] === 'api' && segments.length >= 2) {
    info.apiGroup = '';
    info.apiVersion = segments[1];
    parts = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 3) {
    info.apiGroup = segments[1];
    info.apiVersion = segments[2];
    parts = segments.slice(3);
  } else {
    return info;
  }
  if (parts[0] === 'watch') {
    info.watch = true;
    parts = parts.slice(1);
  }
  if (parts[0] === 'namespaces' && parts.length > 1) {
    info.namespace = parts[1];
    if (parts.length > 2 && !NAMESPACE_SUBRESOURCES.has(parts[2])) parts = parts.slice(2);
  }
  if (parts.length === 0) return info;
  info.isResourceRequest = true;
  [info.resource, info.name, info.subresource] = parts;
  if (searchParams.get('watch') === 'true' || searchParams.get('watch') === '1') info.watch = true;
  if (upper === 'GET' || upper === 'HEAD') info.verb = info.watch ? 'watch' : info.name === undefined ? 'list' : 'get';
  else if (upper === 'DELETE') info.verb = info.name === undefined ? 'deletecollection' : 'delete';
  else info.verb = VERB_OF_METHOD[upper] ?? info.verb;
  return info;
}

const list = (value: string | string[] | undefined): string[] | undefined =>
  value === undefined ? undefined : Array.isArray(value) ? value : [value];

const matchesOne = (wanted: string | undefined, actual: string | undefined): boolean =>
  wanted === undefined || wanted === '*' || wanted === actual;

function matchesResource(entries: string[], request: RequestInfo): boolean {
  return entries.some((entry) => {
    if (entry === '*') return true;
    const [resource, subresource] = entry.split('/');
    return resource === request.resource && (subresource === undefined || subresource === request.subresource);
  });
}

/** Whether `request` is one `match` names; an empty match takes every request. */
export function matches(match: RequestMatch | undefined, request: RequestInfo): boolean {
  if (!match) return true;
  const verbs = list(match.verbs);
  if (verbs && !verbs.some((verb) => verb === '*' || verb === request.verb)) return false;
  const resources = list(match.resources);
  if (resources && !matchesResource(resources, request)) return false;
  if (!matchesOne(match.apiGroup, request.apiGroup)) return false;
  if (!matchesOne(match.namespace, request.namespace)) return false;
  if (!matchesOne(match.name, request.name)) return false;
  if (!matchesOne(match.subresource, request.subresource)) return false;
  if (match.watch !== undefined && match.watch !== request.watch) return false;
  return match.when ? match.when(request) : true;
}

/** `list configmaps`, `patch pods/status`, `get /version`: the key of `Faults.counts()`. */
export function countKey(request: RequestInfo): string {
  if (!request.isResourceRequest) return `${request.verb} ${request.path}`;
  return `${request.verb} ${request.resource}${request.subresource ? `/${request.subresource}` : ''}`;
}
