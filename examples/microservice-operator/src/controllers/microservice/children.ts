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
 * The desired children of a MicroService, as pure functions of its spec: a Deployment, a
 * ConfigMap (spec.config), a Secret (spec.secretData), a Service (one port per spec port) and an
 * Ingress (spec.ingress). Each carries the MicroService as controlling owner, so deleting the
 * MicroService garbage-collects it. `undefined` means "this child must not exist".
 */
import { createHash } from 'node:crypto';
import type {
  V1ConfigMap,
  V1Container,
  V1Deployment,
  V1EnvFromSource,
  V1Ingress,
  V1ObjectMeta,
  V1Probe,
  V1Secret,
  V1Service,
  V1Volume,
} from '@kubernetes/client-node';
import { setControllerReference } from 'kubeforge/runtime';
import { MicroServiceKind, type HttpProbe, type MicroService } from '../../../api/v1/microservice.types.js';

/** The field manager of every server-side apply the operator makes. */
export const FIELD_MANAGER = 'microservice-operator';
/** Pod-template annotation holding the config hash: changing config or secretData rolls the pods. */
export const CONFIG_HASH_ANNOTATION = 'apps.kubeforge.dev/config-hash';
/** Label on every child; the operator's cache watches only ConfigMaps and Secrets carrying it. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'microservice-operator';
const CONTAINER_NAME = 'app';

/** Names of the children of a MicroService called `name`. */
export function childNames(name: string) {
  return { deployment: name, service: name, ingress: name, configMap: `${name}-config`, secret: `${name}-secret` };
}

/** The pod labels the Deployment and Service select on. */
export function selectorLabels(microService: MicroService): Record<string, string> {
  return { 'app.kubernetes.io/name': 'microservice', 'app.kubernetes.io/instance': nameOf(microService) };
}

/** `status.selector`: the pod selector as a label-selector string (for the scale subresource). */
export function selectorString(microService: MicroService): string {
  return Object.entries(selectorLabels(microService))
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** A short hash of config and secretData (sorted), so the same content always gives the same hash. */
export function configHash(microService: MicroService): string {
  const sorted = (map: Record<string, string> = {}) => Object.entries(map).sort(([a], [b]) => a.localeCompare(b));
  const content = JSON.stringify([sorted(microService.spec.config), sorted(microService.spec.secretData)]);
  return createHash('sha256').update(content).digest('hex').slice(0, 16);
}

function nameOf(microService: MicroService): string {
  const name = microService.metadata?.name;
  if (!name) throw new Error('MicroService has no metadata.name');
  return name;
}

function childMeta(microService: MicroService, name: string): V1ObjectMeta {
  const meta: V1ObjectMeta = {
    name,
    namespace: microService.metadata?.namespace,
    labels: { ...selectorLabels(microService), [MANAGED_BY_LABEL]: MANAGED_BY },
  };
  setControllerReference(microService, { metadata: meta }, MicroServiceKind);
  return meta;
}

function hasEntries(map: Record<string, string> | undefined): map is Record<string, string> {
  return map !== undefined && Object.keys(map).length > 0;
}

export function desiredConfigMap(microService: MicroService): V1ConfigMap | undefined {
  const { config } = microService.spec;
  if (!hasEntries(config)) return undefined;
  const name = childNames(nameOf(microService)).configMap;
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: childMeta(microService, name), data: { ...config } };
}

export function desiredSecret(microService: MicroService): V1Secret | undefined {
  const { secretData } = microService.spec;
  if (!hasEntries(secretData)) return undefined;
  const name = childNames(nameOf(microService)).secret;
  const data = Object.fromEntries(
    Object.entries(secretData).map(([key, value]) => [key, Buffer.from(value, 'utf8').toString('base64')]),
  );
  return { apiVersion: 'v1', kind: 'Secret', type: 'Opaque', metadata: childMeta(microService, name), data };
}

function httpProbe(probe: HttpProbe | undefined): V1Probe | undefined {
  return probe && { httpGet: { path: probe.path, port: probe.port } };
}

function container(microService: MicroService, image: string): V1Container {
  const { spec } = microService;
  const names = childNames(nameOf(microService));
  const envFrom: V1EnvFromSource[] = [];
  if (hasEntries(spec.config) && spec.configMode !== 'volume')
    envFrom.push({ configMapRef: { name: names.configMap } });
  if (hasEntries(spec.secretData)) envFrom.push({ secretRef: { name: names.secret } });
  for (const secret of spec.secretRefs ?? []) envFrom.push({ secretRef: { name: secret } });
  const mountConfig = hasEntries(spec.config) && spec.configMode === 'volume';
  return {
    name: CONTAINER_NAME,
    image,
    ports: spec.ports?.map((port) => ({
      name: port.name,
      containerPort: port.containerPort,
      protocol: port.protocol ?? 'TCP',
    })),
    env: spec.env,
    envFrom: envFrom.length > 0 ? envFrom : undefined,
    resources: spec.resources,
    readinessProbe: httpProbe(spec.probes?.readiness),
    livenessProbe: httpProbe(spec.probes?.liveness),
    volumeMounts: mountConfig
      ? [{ name: 'config', mountPath: spec.configMountPath ?? '/etc/config', readOnly: true }]
      : undefined,
  };
}

/** The Deployment running `image` (spec.image, or a rolled-back revision's image). */
export function desiredDeployment(microService: MicroService, image: string): V1Deployment {
  const { spec } = microService;
  const names = childNames(nameOf(microService));
  const volumes: V1Volume[] | undefined =
    hasEntries(spec.config) && spec.configMode === 'volume'
      ? [{ name: 'config', configMap: { name: names.configMap } }]
      : undefined;
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: childMeta(microService, names.deployment),
    spec: {
      replicas: spec.replicas ?? 1,
      paused: spec.paused ?? false,
      selector: { matchLabels: selectorLabels(microService) },
      strategy: spec.strategy
        ? {
            type: 'RollingUpdate',
            rollingUpdate: { maxSurge: spec.strategy.maxSurge, maxUnavailable: spec.strategy.maxUnavailable },
          }
        : undefined,
      template: {
        metadata: {
          labels: selectorLabels(microService),
          annotations: { [CONFIG_HASH_ANNOTATION]: configHash(microService) },
        },
        spec: { containers: [container(microService, image)], volumes },
      },
    },
  };
}

export function desiredService(microService: MicroService): V1Service | undefined {
  const ports = microService.spec.ports ?? [];
  if (ports.length === 0) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: childMeta(microService, childNames(nameOf(microService)).service),
    spec: {
      selector: selectorLabels(microService),
      ports: ports.map((port) => ({
        name: port.name,
        port: port.servicePort ?? port.containerPort,
        targetPort: port.name,
        protocol: port.protocol ?? 'TCP',
      })),
    },
  };
}

export function desiredIngress(microService: MicroService): V1Ingress | undefined {
  const { ingress, ports } = microService.spec;
  const port = ports?.[0];
  if (!ingress || !port) return undefined;
  const names = childNames(nameOf(microService));
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: childMeta(microService, names.ingress),
    spec: {
      ingressClassName: ingress.className,
      tls: ingress.tlsSecretName ? [{ hosts: [ingress.host], secretName: ingress.tlsSecretName }] : undefined,
      rules: [
        {
          host: ingress.host,
          http: {
            paths: [
              {
                path: ingress.path ?? '/',
                pathType: 'Prefix',
                backend: { service: { name: names.service, port: { name: port.name } } },
              },
            ],
          },
        },
      ],
    },
  };
}

/** Where the service is reached: the Ingress URL, else the Service's in-cluster URL. */
export function serviceUrl(microService: MicroService): string | undefined {
  const { ingress, ports } = microService.spec;
  const name = nameOf(microService);
  if (ingress && ports?.length)
    return `${ingress.tlsSecretName ? 'https' : 'http'}://${ingress.host}${ingress.path ?? '/'}`;
  const port = ports?.[0];
  if (!port) return undefined;
  return `http://${name}.${microService.metadata?.namespace}.svc:${port.servicePort ?? port.containerPort}`;
}
