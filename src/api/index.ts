/**
 * `kubeforge/api`: the scalar vocabulary of API types. These are type aliases only (nothing runs):
 * at compile time they are plain `number`/`string`, and `kubeforge manifests` recognises them by
 * name to emit the schema Kubernetes expects, as controller-gen does for the Go types they mirror.
 */

/**
 * An integer of no declared width: `type: integer` without a format (Go `int`). Prefer `int32` or
 * `int64`, as the Kubernetes API conventions do; `number` is `type: number` (Go `float64`).
 */
export type int = number;

/** A 32-bit integer: `type: integer, format: int32` (Go `int32`). */
export type int32 = number;

/** A 64-bit integer: `type: integer, format: int64` (Go `int64`). */
export type int64 = number;

/** An RFC 3339 timestamp: `type: string, format: date-time` (`metav1.Time`). */
export type Time = string;

/** An RFC 3339 timestamp with microseconds: `type: string, format: date-time` (`metav1.MicroTime`). */
export type MicroTime = string;

/** A Go duration such as `1h30m`: `type: string` (`metav1.Duration`). */
export type Duration = string;

/** A resource quantity such as `500m` or `2Gi`: int-or-string with the quantity pattern. */
export type Quantity = string | number;

/** A port number or name: `x-kubernetes-int-or-string` (`intstr.IntOrString`). */
export type IntOrString = number | string;

/**
 * Any JSON object, kept as sent: `type: object, x-kubernetes-preserve-unknown-fields: true`
 * (`runtime.RawExtension`). Add `+kubebuilder:validation:EmbeddedResource` for a whole Kubernetes
 * object (apiVersion, kind, metadata validated by the apiserver).
 */
export type RawExtension = { [key: string]: unknown };
