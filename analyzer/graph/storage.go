package graph

// BlockDevice is an EBS volume an instance or a launch template defines
// (Terraform root_block_device and ebs_block_device, block device
// mappings). Zero fields are unset (the AWS default applies).
type BlockDevice struct {
	DeviceName string `json:"device_name,omitempty"`
	// VolumeType is gp2, gp3, io1, io2, st1, sc1 or standard.
	VolumeType string `json:"volume_type,omitempty"`
	SizeGB     int    `json:"size_gb,omitempty"`
	IOPS       int    `json:"iops,omitempty"`
	// Throughput is the provisioned throughput of a gp3 volume, MiB/s.
	Throughput int  `json:"throughput,omitempty"`
	Root       bool `json:"root,omitempty"`
	// VolumeID names the volume when the input says (describe): the
	// volume is then a Volume node of its own.
	VolumeID string `json:"volume_id,omitempty"`
}

// Volume is an EBS volume that is a resource of its own (aws_ebs_volume,
// AWS::EC2::Volume, describe-volumes).
type Volume struct {
	Base
	VolumeType       string `json:"volume_type,omitempty"`
	SizeGB           int    `json:"size_gb,omitempty"`
	IOPS             int    `json:"iops,omitempty"`
	Throughput       int    `json:"throughput,omitempty"` // MiB/s, gp3
	AvailabilityZone string `json:"availability_zone,omitempty"`
	State            string `json:"state,omitempty"` // available, in-use…
	// Instances the volume is attached to.
	Instances []string `json:"instances,omitempty"`
}

// Refs implements Node.
func (v *Volume) Refs() []Ref {
	var r refs
	r.add(EdgeAttachedTo, v.Instances...)
	return r
}

// InstanceOverride is an instance type a mixed-instances policy may
// launch, with its weight (the capacity units one instance counts for;
// 0 means 1).
type InstanceOverride struct {
	InstanceType string `json:"instance_type"`
	Weight       int    `json:"weight,omitempty"`
}

// MixedInstancesPolicy is an Auto Scaling group's mix of instance types
// and purchase options.
type MixedInstancesPolicy struct {
	// OnDemandBase is the capacity served by On-Demand instances first.
	OnDemandBase int `json:"on_demand_base_capacity"`
	// OnDemandPercentAboveBase is the On-Demand share of the capacity
	// above the base; nil means 100.
	OnDemandPercentAboveBase *int               `json:"on_demand_percentage_above_base_capacity,omitempty"`
	SpotAllocationStrategy   string             `json:"spot_allocation_strategy,omitempty"`
	Overrides                []InstanceOverride `json:"overrides,omitempty"`
}
