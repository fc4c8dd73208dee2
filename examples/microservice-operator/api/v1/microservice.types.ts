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

import type { V1Condition, V1EnvVar, V1ObjectMeta, V1ResourceRequirements } from '@kubernetes/client-node';
import type { int32, int64, IntOrString, Time } from 'kubeforge/api';
import { defineKind } from 'kubeforge/runtime';

/** A port the service listens on, exposed through the Service. */
export interface MicroServicePort {
  /** Name of the port; unique within the MicroService and used as the Service port name. */
  // +kubebuilder:validation:Pattern=`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`
  // +kubebuilder:validation:MaxLength=15
  name: string;
  /** Port the container listens on. */
  // +kubebuilder:validation:Minimum=1
  // +kubebuilder:validation:Maximum=65535
  containerPort: int32;
  /** Port the Service exposes; defaults to containerPort. */
  // +kubebuilder:validation:Minimum=1
  // +kubebuilder:validation:Maximum=65535
  servicePort?: int32;
  /** Network protocol. */
  // +kubebuilder:default=TCP
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/** How the service is reached from outside the cluster. */
export interface MicroServiceIngress {
  /** Host name routed to the service. */
  // +kubebuilder:validation:MinLength=1
  host: string;
  /** Path prefix routed to the service. */
  // +kubebuilder:default=/
  // +kubebuilder:validation:Pattern=`^/`
  path?: string;
  /** Secret holding the TLS certificate for host; TLS is off when empty. */
  tlsSecretName?: string;
  /** IngressClass to use; the cluster default when empty. */
  className?: string;
}

/** Rolling update knobs, as on a Deployment. */
export interface MicroServiceStrategy {
  /** Pods created above the desired count during an update (number or percentage). */
  maxSurge?: IntOrString;
  /** Pods that may be unavailable during an update (number or percentage). */
  maxUnavailable?: IntOrString;
}

/** An HTTP GET probe. */
export interface HttpProbe {
  /** Path to request. */
  // +kubebuilder:validation:Pattern=`^/`
  path: string;
  /** Container port to probe. */
  // +kubebuilder:validation:Minimum=1
  // +kubebuilder:validation:Maximum=65535
  port: int32;
}

/** Health probes of the container. */
export interface MicroServiceProbes {
  /** Gates traffic: the pod receives requests only while this succeeds. */
  readiness?: HttpProbe;
  /** Restarts the container when this fails. */
  liveness?: HttpProbe;
}

/** MicroServiceSpec is the desired state of a MicroService. */
// +kubebuilder:validation:XValidation:rule="!has(self.ingress) || size(self.ingress.host) > 0",message="ingress.host is required when ingress is set"
// +kubebuilder:validation:XValidation:rule="!has(self.ingress) || (has(self.ports) && size(self.ports) > 0)",message="ingress needs at least one port to route to"
// +kubebuilder:validation:XValidation:rule="!has(self.ports) || self.ports.all(p, self.ports.exists_one(q, (has(q.servicePort) ? q.servicePort : q.containerPort) == (has(p.servicePort) ? p.servicePort : p.containerPort)))",message="ports must expose distinct service ports"
export interface MicroServiceSpec {
  /** Container image to run, e.g. registry.example.com/shop/cart:1.4.2. */
  // +kubebuilder:validation:MinLength=1
  image: string;
  /** Desired number of pods. */
  // +kubebuilder:default=1
  // +kubebuilder:validation:Minimum=0
  replicas?: int32;
  /** Environment variables of the container. */
  env?: V1EnvVar[];
  /** Ports the container listens on; each becomes a Service port. */
  // +listType=map
  // +listMapKey=name
  // +kubebuilder:validation:MaxItems=16
  ports?: MicroServicePort[];
  /** Configuration written to a ConfigMap owned by the MicroService; changes roll the pods. */
  config?: Record<string, string>;
  /** How config reaches the container: as environment variables or as files under configMountPath. */
  // +kubebuilder:default=env
  configMode?: 'env' | 'volume';
  /** Directory the config files are mounted at when configMode is volume. */
  // +kubebuilder:default=/etc/config
  configMountPath?: string;
  /** Existing Secrets whose keys become environment variables. */
  // +kubebuilder:validation:MaxItems=16
  secretRefs?: string[];
  /** Secret values written to a Secret owned by the MicroService and exposed as environment variables. Never logged or reported. */
  secretData?: Record<string, string>;
  /** Compute resources of the container. */
  resources?: V1ResourceRequirements;
  /** Exposes the service outside the cluster through an Ingress (needs at least one port). */
  ingress?: MicroServiceIngress;
  /** Rolling update strategy. */
  strategy?: MicroServiceStrategy;
  /** Stops rolling out changes to the pods while true. */
  paused?: boolean;
  /** Revision from status.history whose image to roll back to; cleared by the operator once done. */
  // +kubebuilder:validation:Minimum=1
  rollbackTo?: int64;
  /** Readiness and liveness probes. */
  probes?: MicroServiceProbes;
}

/** One rolled-out revision of the MicroService. */
export interface MicroServiceRevision {
  /** Revision number, counting from 1. */
  revision: int64;
  /** Image rolled out. */
  image: string;
  /** Hash of config and secretData at that revision (the pod template's config-hash annotation). */
  configHash: string;
  /** When the revision was rolled out. */
  time: Time;
}

/** MicroServiceStatus is the observed state of a MicroService. */
export interface MicroServiceStatus {
  /** Generation of the spec this status describes. */
  observedGeneration?: int64;
  /** Pods the Deployment has. */
  replicas?: int32;
  /** Pods ready to serve. */
  readyReplicas?: int32;
  /** Label selector of the pods, for the scale subresource. */
  selector?: string;
  /** Image the Deployment runs. */
  currentImage?: string;
  /** Current revision number. */
  revision?: int64;
  /** The latest revisions (at most 10), oldest first. */
  history?: MicroServiceRevision[];
  /** Available, Progressing and Degraded. */
  // +listType=map
  // +listMapKey=type
  conditions?: V1Condition[];
  /** Where the service is reached. */
  url?: string;
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
// +kubebuilder:subresource:scale:specpath=.spec.replicas,statuspath=.status.replicas,selectorpath=.status.selector
// +kubebuilder:resource:shortName=msvc,categories=all
// +kubebuilder:printcolumn:name="Image",type=string,JSONPath=`.spec.image`
// +kubebuilder:printcolumn:name="Ready",type=integer,JSONPath=`.status.readyReplicas`
// +kubebuilder:printcolumn:name="Revision",type=integer,JSONPath=`.status.revision`
// +kubebuilder:printcolumn:name="Age",type=date,JSONPath=`.metadata.creationTimestamp`
/** MicroService is the Schema for the microservices API: one deployable service and everything it needs. */
export interface MicroService {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec: MicroServiceSpec;
  status?: MicroServiceStatus;
}

export const MicroServiceKind = defineKind<MicroService>({
  group: 'apps.kubeforge.dev',
  version: 'v1',
  kind: 'MicroService',
  plural: 'microservices',
  namespaced: true,
});
