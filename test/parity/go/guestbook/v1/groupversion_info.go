// Package v1 is the Go twin of fixtures/crd/guestbook.types.ts.
// +kubebuilder:object:generate=false
// +groupName=webapp.example.com
package v1
