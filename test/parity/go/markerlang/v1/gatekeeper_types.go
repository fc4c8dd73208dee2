package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// Policy says what happens to a request.
// +k8s:enum
type Policy string

const (
	PolicyDeny  Policy = "Deny"
	PolicyAllow Policy = "Allow"
	PolicyAudit Policy = "Audit"
)

// DefaultFallback is the fallback +default=ref names.
const DefaultFallback = "none"

// Name is a short lower-case name.
// +kubebuilder:validation:MaxLength=10
// +kubebuilder:validation:Pattern=`^[a-z]+$`
// +kubebuilder:validation:XValidation:rule="self != 'admin'",message="not admin"
type Name string

// Port is a port number.
// +kubebuilder:validation:Minimum=1
type Port int32

// Tags label a thing.
// +listType=set
type Tags []string

// Range is an interval.
// +kubebuilder:validation:XValidation:rule="self.min <= self.max",message="min <= max"
// +kubebuilder:externalDocs:url="https://example.com/ranges",description="about ranges"
type Range struct {
	// min is the lower end.
	Min int32 `json:"min"`
	// max is the upper end.
	Max int32 `json:"max"`
}

// PortSpec names a port.
type PortSpec struct {
	// name of the port.
	Name string `json:"name"`
	// port number.
	Port *int32 `json:"port,omitempty"`
}

// Options are optional settings.
type Options struct {
	// verbose logging.
	Verbose *bool `json:"verbose,omitempty"`
}

// PolicySpec is the desired state.
type PolicySpec struct {
	// policy, defaulted with the anonymous-value form.
	// +kubebuilder:default:=Allow
	Policy *Policy `json:"policy,omitempty"`
	// options default to an empty object.
	// +kubebuilder:default:={}
	Options *Options `json:"options,omitempty"`
	// hosts default to an empty list: {} on an array means [].
	// +kubebuilder:default:={}
	Hosts []string `json:"hosts,omitempty"`
	// replicas has a bound written with :=.
	// +kubebuilder:validation:Minimum:=1
	Replicas *int32 `json:"replicas,omitempty"`
	// mode has both defaults: +kubebuilder:default wins.
	// +default="fromDefault"
	// +kubebuilder:default=fromKubebuilder
	Mode *string `json:"mode,omitempty"`
	// zones take a JSON default.
	// +default=["a","b"]
	Zones []string `json:"zones,omitempty"`
	// fallback names a Go constant, which controller-gen skips.
	// +default=ref(DefaultFallback)
	Fallback *string `json:"fallback,omitempty"`
	// owner is required and not empty.
	// +k8s:required
	Owner string `json:"owner"`
	// members are required and not empty.
	// +k8s:required
	Members []string `json:"members"`
	// labels are required and not empty.
	// +k8s:required
	Labels map[string]string `json:"labels"`
	// range is required and not empty.
	// +k8s:required
	// +kubebuilder:validation:XValidation:rule="self.max <= 100",message="max <= 100"
	Range Range `json:"range"`
	// note is optional.
	// +k8s:optional
	Note *string `json:"note,omitempty"`
	// ports are a map keyed by name.
	// +k8s:listType=map
	// +k8s:listMapKey=name
	// +k8s:maxItems=16 # a handful
	Ports []PortSpec `json:"ports,omitempty"`
	// weight is bounded.
	// +k8s:minimum=1
	// +k8s:maximum=10 # at most ten
	Weight *int32 `json:"weight,omitempty"`
	// short narrows Name: both bounds apply.
	// +kubebuilder:validation:MaxLength=5
	// +kubebuilder:validation:Pattern=`^[a-z]+$`
	// +kubebuilder:validation:XValidation:rule="self.startsWith('a')",message="starts with a"
	Short *Name `json:"short,omitempty"`
	// port repeats its type's minimum.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=65535
	Port *Port `json:"port,omitempty"`
	// tags are atomic here.
	// +listType=atomic
	Tags Tags `json:"tags,omitempty"`
	// docs point elsewhere.
	// +kubebuilder:externalDocs:url="https://example.com/docs"
	Docs *string `json:"docs,omitempty"`
	// config keeps unknown fields.
	// +kubebuilder:validation:XPreserveUnknownFields
	Config map[string]string `json:"config,omitempty"`
	// template is a whole object.
	// +kubebuilder:validation:XEmbeddedResource
	Template *runtime.RawExtension `json:"template,omitempty"`
	// raw is any JSON object.
	Raw *runtime.RawExtension `json:"raw,omitempty"`
	// lastSeen has microseconds.
	LastSeen *metav1.MicroTime `json:"lastSeen,omitempty"`
	// byName maps names to values.
	ByName map[Name]string `json:"byName,omitempty"`
	// position is a point in space.
	// +kubebuilder:validation:MinItems=3
	// +kubebuilder:validation:MaxItems=3
	Position *[3]int32 `json:"position,omitempty"`
	// count is a Go int.
	Count *int `json:"count,omitempty"`
}

// +kubebuilder:object:root=true

// Gatekeeper exercises controller-gen's marker language.
type Gatekeeper struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec *PolicySpec `json:"spec,omitempty"`
}
