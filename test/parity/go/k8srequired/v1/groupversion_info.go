// Package v1 is the Go twin of fixtures/crd/k8srequired.types.ts, whose CRDs differ from
// controller-gen's only as docs/manifests.md documents (test/parity/parity.test.ts).
// +kubebuilder:object:generate=false
// +groupName=k8srequired.example.com
package v1
