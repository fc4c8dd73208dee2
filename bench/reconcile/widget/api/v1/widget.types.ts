import type { V1Condition, V1ObjectMeta } from '@kubernetes/client-node';
import type { int32 } from 'kubeforge/api';
import { defineKind } from 'kubeforge/runtime';

/** WidgetSpec is what a Widget asks for: a size and data copied into its ConfigMap. */
export interface WidgetSpec {
  /** size is copied into the ConfigMap as `size`. */
  // +kubebuilder:validation:Minimum=0
  size?: int32;
  /** data is copied into the ConfigMap. */
  data?: Record<string, string>;
}

/** WidgetStatus records which generation was applied. */
export interface WidgetStatus {
  /** observedGeneration is the generation whose ConfigMap was applied. */
  observedGeneration?: number;
  /** conditions: Ready once the ConfigMap of the observed generation is applied. */
  // +listType=map
  // +listMapKey=type
  conditions?: V1Condition[];
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status
/** Widget is the benchmark kind: one ConfigMap per Widget. */
export interface Widget {
  apiVersion?: string;
  kind?: string;
  metadata?: V1ObjectMeta;
  spec?: WidgetSpec;
  status?: WidgetStatus;
}

export const WidgetKind = defineKind<Widget>({
  group: 'bench.example.com',
  version: 'v1',
  kind: 'Widget',
  plural: 'widgets',
  namespaced: true,
});
