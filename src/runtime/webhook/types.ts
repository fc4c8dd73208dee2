/**
 * The wire types of admission (`admission.k8s.io/v1` AdmissionReview) and conversion
 * (`apiextensions.k8s.io/v1` ConversionReview), and the interfaces users implement: a
 * `Defaulter` mutates a typed object, a `Validator` returns warnings or throws a
 * `ValidationError`, a `SpokeConverter` converts one version to and from the hub.
 */
import type { Logger } from '../log.js';
import type { KubeObject } from '../types.js';

export type AdmissionOperation = 'CREATE' | 'UPDATE' | 'DELETE' | 'CONNECT';

export interface GroupVersionKind {
  group: string;
  version: string;
  kind: string;
}

export interface AdmissionRequest {
  uid: string;
  kind: GroupVersionKind;
  resource: { group: string; version: string; resource: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation: AdmissionOperation;
  userInfo: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  object?: KubeObject | null;
  oldObject?: KubeObject | null;
  dryRun?: boolean;
  options?: unknown;
}

/** A metav1.Status as the apiserver reports it to the client. */
export interface WebhookStatus {
  code?: number;
  reason?: string;
  message?: string;
  details?: { name?: string; kind?: string; causes?: { field?: string; message?: string; reason?: string }[] };
}

export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: WebhookStatus;
  patch?: string;
  patchType?: 'JSONPatch';
  warnings?: string[];
}

export interface AdmissionReview {
  apiVersion: 'admission.k8s.io/v1';
  kind: 'AdmissionReview';
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

export interface ConversionReview {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'ConversionReview';
  request?: { uid: string; desiredAPIVersion: string; objects: KubeObject[] };
  response?: {
    uid: string;
    convertedObjects: KubeObject[];
    result: { status: 'Success' | 'Failure'; message?: string };
  };
}

/** What every defaulting and validating call gets besides the object(s). */
export interface AdmissionContext {
  readonly request: AdmissionRequest;
  /** Child logger with webhook, operation, namespace and name. */
  readonly log: Logger;
  /** Aborted when the request times out or the server stops. */
  readonly signal: AbortSignal;
}

/** Sets defaults by mutating `object`; the server sends the difference as a JSON patch. */
export interface Defaulter<T extends KubeObject> {
  default(object: T, ctx: AdmissionContext): void | Promise<void>;
}

/** Warnings shown to the user (kubectl prints them); the request is still admitted. */
export type Warnings = string[] | void;

/**
 * Admits or denies by throwing a `ValidationError` (field paths and messages). A method left out
 * admits. Any other throw is answered as an internal error (the request is denied).
 */
export interface Validator<T extends KubeObject> {
  validateCreate?(object: T, ctx: AdmissionContext): Warnings | Promise<Warnings>;
  validateUpdate?(oldObject: T, newObject: T, ctx: AdmissionContext): Warnings | Promise<Warnings>;
  validateDelete?(object: T, ctx: AdmissionContext): Warnings | Promise<Warnings>;
}

/**
 * Converts one (spoke) version of a kind to and from the hub (storage) version. Only `spec`,
 * `status` and other data fields matter: the runtime keeps `metadata` and sets `apiVersion`/`kind`.
 */
export interface SpokeConverter<Spoke extends KubeObject, Hub extends KubeObject> {
  convertTo(spoke: Spoke): Hub | Promise<Hub>;
  convertFrom(hub: Hub): Spoke | Promise<Spoke>;
}
