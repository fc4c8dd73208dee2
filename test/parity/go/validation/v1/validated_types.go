package v1

import (
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/util/intstr"
)

// Color is a type-level enum: its markers apply wherever it is used.
// +kubebuilder:validation:Enum=red;green;blue
type Color string

// Port is a port number with its range checked.
// +kubebuilder:validation:Minimum=1
// +kubebuilder:validation:Maximum=65535
type Port int32

// Endpoint is a host and a port.
type Endpoint struct {
	// host name.
	// +kubebuilder:validation:MinLength=1
	Host string `json:"host"`
	// port number.
	Port Port `json:"port"`
}

// Mode selects how replicas are spread.
// +kubebuilder:validation:Enum=Spread;Pack
type Mode string

// RangesSpec holds numeric limits.
// +kubebuilder:validation:XValidation:rule="self.low <= self.high",message="low must not exceed high"
type RangesSpec struct {
	// low end.
	Low int32 `json:"low"`
	// high end.
	High int32 `json:"high"`
}

// StorageSpec picks exactly one backend.
// +kubebuilder:validation:ExactlyOneOf=bucket;volume
// +kubebuilder:validation:AtMostOneOf=bucket;secret
type StorageSpec struct {
	// bucket name.
	Bucket *string `json:"bucket,omitempty"`
	// volume name.
	Volume *string `json:"volume,omitempty"`
	// secret name.
	Secret *string `json:"secret,omitempty"`
}

// ValidatedSpec exercises every field validation marker.
type ValidatedSpec struct {
	// replicas is bounded.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10
	// +kubebuilder:default=3
	Replicas *int32 `json:"replicas,omitempty"`

	// ratio is a number strictly between 0 and 1.
	// +kubebuilder:validation:Minimum=0
	// +kubebuilder:validation:ExclusiveMinimum=true
	// +kubebuilder:validation:Maximum=1
	// +kubebuilder:validation:ExclusiveMaximum=true
	Ratio *float64 `json:"ratio,omitempty"`

	// step is a multiple of 5.
	// +kubebuilder:validation:MultipleOf=5
	Step *int64 `json:"step,omitempty"`

	// name is a DNS label.
	// +kubebuilder:validation:MinLength=3
	// +kubebuilder:validation:MaxLength=63
	// +kubebuilder:validation:Pattern=`^[a-z][a-z0-9-]*$`
	Name string `json:"name"`

	// tags holds between 1 and 3 unique tags.
	// +kubebuilder:validation:MinItems=1
	// +kubebuilder:validation:MaxItems=3
	// +kubebuilder:validation:UniqueItems=false
	// +kubebuilder:validation:items:MaxLength=10
	// +listType=atomic
	Tags []string `json:"tags,omitempty"`

	// labels holds 1 to 2 entries.
	// +kubebuilder:validation:MinProperties=1
	// +kubebuilder:validation:MaxProperties=2
	// +mapType=granular
	Labels map[string]string `json:"labels,omitempty"`

	// tier is an explicit enum.
	// +kubebuilder:validation:Enum=gold;silver;bronze
	// +kubebuilder:default=bronze
	Tier *string `json:"tier,omitempty"`

	// mode is a string-literal union.
	// +kubebuilder:default="Spread"
	Mode *Mode `json:"mode,omitempty"`

	// color uses a type-level enum.
	Color *Color `json:"color,omitempty"`

	// email has a format.
	// +kubebuilder:validation:Format=email
	Email *string `json:"email,omitempty"`

	// count is declared as a string but typed integer by marker.
	// +kubebuilder:validation:Type=integer
	Count *string `json:"count,omitempty"`

	// port uses the type-level range of Port.
	Port *Port `json:"port,omitempty"`

	// target is a port number or name.
	// +kubebuilder:validation:XIntOrString
	Target *intstr.IntOrString `json:"target,omitempty"`

	// portOrName is an IntOrString.
	PortOrName *intstr.IntOrString `json:"portOrName,omitempty"`

	// memory is a resource quantity.
	Memory *resource.Quantity `json:"memory,omitempty"`

	// startedAt is a timestamp.
	StartedAt *metav1.Time `json:"startedAt,omitempty"`

	// timeout is a duration.
	// +kubebuilder:default="30s"
	Timeout *metav1.Duration `json:"timeout,omitempty"`

	// endpoints is a map-list keyed by host.
	// +listType=map
	// +listMapKey=host
	Endpoints []Endpoint `json:"endpoints,omitempty"`

	// scores holds positive numbers.
	// +kubebuilder:validation:items:Minimum=0
	// +listType=set
	Scores []int32 `json:"scores,omitempty"`

	// ranges must be ordered.
	Ranges *RangesSpec `json:"ranges,omitempty"`

	// storage picks one backend.
	Storage *StorageSpec `json:"storage,omitempty"`

	// immutableId cannot change once set.
	// +kubebuilder:validation:XValidation:rule="self == oldSelf",message="immutableId is immutable"
	ImmutableID *string `json:"immutableId,omitempty"`

	// even must be even.
	// +kubebuilder:validation:XValidation:rule="self % 2 == 0",message="must be even",reason="FieldValueInvalid"
	Even *int32 `json:"even,omitempty"`

	// nickname may be null.
	// +nullable
	Nickname *string `json:"nickname,omitempty"`

	// description has an example and a title.
	// +kubebuilder:example="a short text"
	// +kubebuilder:title="Description"
	Note *string `json:"note,omitempty"`

	// raw keeps any JSON.
	// +kubebuilder:pruning:PreserveUnknownFields
	// +kubebuilder:validation:Schemaless
	Raw *runtime.RawExtension `json:"raw,omitempty"`

	// extra keeps unknown fields of an object.
	// +kubebuilder:pruning:PreserveUnknownFields
	Extra *runtime.RawExtension `json:"extra,omitempty"`

	// template is an embedded Kubernetes object.
	// +kubebuilder:validation:EmbeddedResource
	// +kubebuilder:pruning:PreserveUnknownFields
	Template *runtime.RawExtension `json:"template,omitempty"`

	// settings is atomic.
	// +structType=atomic
	Settings *Endpoint `json:"settings,omitempty"`

	// defaults shows object and list defaults.
	// +kubebuilder:default={host: "localhost", port: 8080}
	DefaultEndpoint *Endpoint `json:"defaultEndpoint,omitempty"`

	// aliases defaults to a list.
	// +kubebuilder:default={"main"}
	Aliases []string `json:"aliases,omitempty"`
}

// ValidatedStatus is observed state.
type ValidatedStatus struct {
	// ready reports readiness.
	Ready *bool `json:"ready,omitempty"`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status

// Validated exercises validation markers.
type Validated struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`

	Spec   ValidatedSpec    `json:"spec"`
	Status *ValidatedStatus `json:"status,omitempty"`
}
