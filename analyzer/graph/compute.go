package graph

// Instance is an EC2 instance.
type Instance struct {
	Base
	State            string   `json:"state"` // running, stopped, pending…
	InstanceType     string   `json:"instance_type"`
	ImageID          string   `json:"image_id,omitempty"`
	VPCID            string   `json:"vpc_id"`
	SubnetID         string   `json:"subnet_id"`
	AvailabilityZone string   `json:"availability_zone,omitempty"`
	PrivateIP        string   `json:"private_ip,omitempty"`
	PublicIP         string   `json:"public_ip,omitempty"`
	IPv6Addresses    []string `json:"ipv6_addresses,omitempty"`
	SecurityGroups   []string `json:"security_groups"`
	// NetworkInterfaces are the ids of the attached ENIs, primary first.
	NetworkInterfaces []string `json:"network_interfaces,omitempty"`
	KeyName           string   `json:"key_name,omitempty"`
	// AssociatePublicIP is the IaC request for a public address; nil when
	// the subnet default applies.
	AssociatePublicIP *bool  `json:"associate_public_ip,omitempty"`
	LaunchTemplateID  string `json:"launch_template_id,omitempty"`
	// AutoScalingGroup is the name of the group that launched the instance.
	AutoScalingGroup string `json:"autoscaling_group,omitempty"`
	// Count is how many identical instances this node stands for (IaC
	// count); 1 for describe input.
	Count int `json:"count,omitempty"`
	// BlockDevices are the EBS volumes the instance defines.
	BlockDevices []BlockDevice `json:"block_devices,omitempty"`
	// Tenancy is default, dedicated or host ("" = default).
	Tenancy string `json:"tenancy,omitempty"`
	// EBSOptimized is the instance's ebs_optimized request.
	EBSOptimized bool `json:"ebs_optimized,omitempty"`
	// DetailedMonitoring is one-minute CloudWatch monitoring.
	DetailedMonitoring bool `json:"detailed_monitoring,omitempty"`
	// Platform is the operating system when the input says ("windows").
	Platform string `json:"platform,omitempty"`
}

// Refs implements Node.
func (i *Instance) Refs() []Ref {
	var r refs
	r.add(EdgeInSubnet, i.SubnetID)
	r.add(EdgeUsesSG, i.SecurityGroups...)
	r.add(EdgeHasNetworkIF, i.NetworkInterfaces...)
	r.add(EdgeLaunchesFrom, i.LaunchTemplateID)
	r.add(EdgeMemberOf, i.AutoScalingGroup)
	return r
}

// NetworkInterface is an elastic network interface.
type NetworkInterface struct {
	Base
	VPCID            string   `json:"vpc_id"`
	SubnetID         string   `json:"subnet_id"`
	AvailabilityZone string   `json:"availability_zone,omitempty"`
	InterfaceType    string   `json:"interface_type,omitempty"` // interface, nat_gateway, network_load_balancer…
	Status           string   `json:"status,omitempty"`
	PrivateIP        string   `json:"private_ip,omitempty"`
	PublicIP         string   `json:"public_ip,omitempty"`
	IPv6Addresses    []string `json:"ipv6_addresses,omitempty"`
	SecurityGroups   []string `json:"security_groups"`
	// InstanceID is the instance the interface is attached to.
	InstanceID string `json:"instance_id,omitempty"`
	// RequesterID names the service that manages the interface (amazon-elb,
	// amazon-rds…), when requester-managed.
	RequesterID      string `json:"requester_id,omitempty"`
	RequesterManaged bool   `json:"requester_managed"`
	Description      string `json:"description,omitempty"`
	// AllocationID is the EIP associated with the primary address.
	AllocationID string `json:"allocation_id,omitempty"`
	// SourceDestCheck is false on NAT instances and appliances.
	SourceDestCheck bool `json:"source_dest_check"`
}

// Refs implements Node.
func (n *NetworkInterface) Refs() []Ref {
	var r refs
	r.add(EdgeInSubnet, n.SubnetID)
	r.add(EdgeUsesSG, n.SecurityGroups...)
	r.add(EdgeAttachedTo, n.InstanceID)
	r.add(EdgeUsesEIP, n.AllocationID)
	return r
}

// LaunchTemplateNetworkInterface is a network interface specification of a
// launch template.
type LaunchTemplateNetworkInterface struct {
	DeviceIndex       int      `json:"device_index"`
	SubnetID          string   `json:"subnet_id,omitempty"`
	SecurityGroups    []string `json:"security_groups,omitempty"`
	AssociatePublicIP *bool    `json:"associate_public_ip,omitempty"`
}

// LaunchTemplate is a launch template (or launch configuration) as of its
// default version.
type LaunchTemplate struct {
	Base
	TemplateName      string                           `json:"template_name"`
	DefaultVersion    int64                            `json:"default_version,omitempty"`
	LatestVersion     int64                            `json:"latest_version,omitempty"`
	InstanceType      string                           `json:"instance_type,omitempty"`
	ImageID           string                           `json:"image_id,omitempty"`
	KeyName           string                           `json:"key_name,omitempty"`
	SecurityGroups    []string                         `json:"security_groups,omitempty"`
	NetworkInterfaces []LaunchTemplateNetworkInterface `json:"network_interfaces,omitempty"`
	// AssociatePublicIP is the request for a public address (from the
	// primary interface, or a launch configuration); nil when unset.
	AssociatePublicIP *bool `json:"associate_public_ip,omitempty"`
	// IsLaunchConfiguration marks an older launch configuration.
	IsLaunchConfiguration bool `json:"is_launch_configuration,omitempty"`
	// DetailedMonitoring is the template's Monitoring.Enabled (one-minute
	// CloudWatch metrics instead of five); nil when unset (basic).
	DetailedMonitoring *bool `json:"detailed_monitoring,omitempty"`
	// BlockDevices are the template's block device mappings.
	BlockDevices []BlockDevice `json:"block_devices,omitempty"`
	// Tenancy is the placement tenancy (default, dedicated, host).
	Tenancy      string `json:"tenancy,omitempty"`
	EBSOptimized bool   `json:"ebs_optimized,omitempty"`
}

// AllSecurityGroups returns the template's groups, from the top level and
// from its interfaces.
func (t *LaunchTemplate) AllSecurityGroups() []string {
	out := append([]string(nil), t.SecurityGroups...)
	for _, ni := range t.NetworkInterfaces {
		out = append(out, ni.SecurityGroups...)
	}
	return out
}

// Refs implements Node.
func (t *LaunchTemplate) Refs() []Ref {
	var r refs
	r.add(EdgeUsesSG, t.AllSecurityGroups()...)
	return r
}

// ScalingPolicy is an Auto Scaling policy.
type ScalingPolicy struct {
	Name string `json:"name"`
	// PolicyType is TargetTrackingScaling, StepScaling, SimpleScaling or
	// PredictiveScaling.
	PolicyType string `json:"policy_type"`
	// MetricType is the predefined metric of a target tracking policy
	// (ASGAverageCPUUtilization, ALBRequestCountPerTarget…), or "custom".
	MetricType              string  `json:"metric_type,omitempty"`
	ResourceLabel           string  `json:"resource_label,omitempty"`
	TargetValue             float64 `json:"target_value,omitempty"`
	DisableScaleIn          bool    `json:"disable_scale_in,omitempty"`
	EstimatedInstanceWarmup int     `json:"estimated_instance_warmup,omitempty"` // seconds
	Cooldown                int     `json:"cooldown,omitempty"`                  // seconds
	Enabled                 bool    `json:"enabled"`
	Range                   Range   `json:"-"`
}

// ScheduledAction is a scheduled change of capacity.
type ScheduledAction struct {
	Name       string `json:"name"`
	Recurrence string `json:"recurrence,omitempty"` // cron
	StartTime  string `json:"start_time,omitempty"` // RFC 3339
	MinSize    *int   `json:"min_size,omitempty"`
	MaxSize    *int   `json:"max_size,omitempty"`
	Desired    *int   `json:"desired_capacity,omitempty"`
}

// WarmPool is an Auto Scaling warm pool.
type WarmPool struct {
	MinSize                  int    `json:"min_size"`
	MaxGroupPreparedCapacity *int   `json:"max_group_prepared_capacity,omitempty"`
	PoolState                string `json:"pool_state,omitempty"` // Stopped, Running, Hibernated
}

// AutoScalingGroup is an EC2 Auto Scaling group. Its id is its name.
type AutoScalingGroup struct {
	Base
	ARN               string   `json:"arn,omitempty"`
	MinSize           int      `json:"min_size"`
	MaxSize           int      `json:"max_size"`
	DesiredCapacity   int      `json:"desired_capacity"`
	SubnetIDs         []string `json:"subnet_ids"`
	AvailabilityZones []string `json:"availability_zones,omitempty"`
	// LaunchTemplateID is the node id of the launch template (or launch
	// configuration) the group launches from.
	LaunchTemplateID      string   `json:"launch_template_id,omitempty"`
	LaunchTemplateVersion string   `json:"launch_template_version,omitempty"`
	InstanceTypes         []string `json:"instance_types,omitempty"` // mixed instances overrides
	// MixedInstances is the mixed-instances policy, when the group has one
	// (InstanceTypes lists its overrides' types too).
	MixedInstances    *MixedInstancesPolicy `json:"mixed_instances_policy,omitempty"`
	TargetGroupARNs   []string              `json:"target_group_arns,omitempty"`
	LoadBalancerNames []string              `json:"load_balancer_names,omitempty"` // classic
	Instances         []string              `json:"instances,omitempty"`
	// ReportedInstanceTypes is the type of each of Instances, as the
	// group reports them (describe-auto-scaling-groups); "" when unknown.
	ReportedInstanceTypes []string          `json:"reported_instance_types,omitempty"`
	HealthCheckType       string            `json:"health_check_type,omitempty"`
	HealthCheckGrace      int               `json:"health_check_grace_period,omitempty"` // seconds
	DefaultCooldown       int               `json:"default_cooldown,omitempty"`          // seconds
	DefaultInstanceWarmup int               `json:"default_instance_warmup,omitempty"`   // seconds
	Policies              []ScalingPolicy   `json:"policies,omitempty"`
	ScheduledActions      []ScheduledAction `json:"scheduled_actions,omitempty"`
	WarmPool              *WarmPool         `json:"warm_pool,omitempty"`
}

// Refs implements Node.
func (a *AutoScalingGroup) Refs() []Ref {
	var r refs
	r.add(EdgeInSubnet, a.SubnetIDs...)
	r.add(EdgeLaunchesFrom, a.LaunchTemplateID)
	r.add(EdgeTargets, a.TargetGroupARNs...)
	return r
}

// ECSLoadBalancer attaches an ECS service to a target group.
type ECSLoadBalancer struct {
	TargetGroupARN   string `json:"target_group_arn,omitempty"`
	LoadBalancerName string `json:"load_balancer_name,omitempty"`
	ContainerName    string `json:"container_name,omitempty"`
	ContainerPort    int    `json:"container_port,omitempty"`
}

// ECSService is an ECS service with awsvpc networking.
type ECSService struct {
	Base
	Cluster        string            `json:"cluster,omitempty"`
	LaunchType     string            `json:"launch_type,omitempty"` // FARGATE, EC2
	DesiredCount   int               `json:"desired_count"`
	MinCount       int               `json:"min_count,omitempty"` // from Application Auto Scaling
	MaxCount       int               `json:"max_count,omitempty"`
	SubnetIDs      []string          `json:"subnet_ids,omitempty"`
	SecurityGroups []string          `json:"security_groups,omitempty"`
	AssignPublicIP bool              `json:"assign_public_ip"`
	LoadBalancers  []ECSLoadBalancer `json:"load_balancers,omitempty"`
	CPU            int               `json:"cpu,omitempty"`    // CPU units (1024 = 1 vCPU) per task
	Memory         int               `json:"memory,omitempty"` // MiB per task
	Policies       []ScalingPolicy   `json:"policies,omitempty"`
}

// Refs implements Node.
func (s *ECSService) Refs() []Ref {
	var r refs
	r.add(EdgeInSubnet, s.SubnetIDs...)
	r.add(EdgeUsesSG, s.SecurityGroups...)
	for _, lb := range s.LoadBalancers {
		r.add(EdgeTargets, lb.TargetGroupARN)
	}
	return r
}
