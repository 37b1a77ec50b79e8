package describe

import (
	"strconv"

	astypes "github.com/aws/aws-sdk-go-v2/service/autoscaling/types"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

func decodeASG(c *chunk, el elem) {
	var v astypes.AutoScalingGroup
	if !decodeInto(c, el, &v) {
		return
	}
	name := str(v.AutoScalingGroupName)
	tags := tagMap(v.Tags, func(t astypes.TagDescription) (*string, *string) { return t.Key, t.Value })
	n := &graph.AutoScalingGroup{
		Base:                  c.base(graph.KindAutoScalingGroup, name, el, tags, name),
		ARN:                   str(v.AutoScalingGroupARN),
		MinSize:               intv(v.MinSize),
		MaxSize:               intv(v.MaxSize),
		DesiredCapacity:       intv(v.DesiredCapacity),
		SubnetIDs:             splitList(str(v.VPCZoneIdentifier)),
		AvailabilityZones:     v.AvailabilityZones,
		TargetGroupARNs:       v.TargetGroupARNs,
		LoadBalancerNames:     v.LoadBalancerNames,
		HealthCheckType:       str(v.HealthCheckType),
		HealthCheckGrace:      intv(v.HealthCheckGracePeriod),
		DefaultCooldown:       intv(v.DefaultCooldown),
		DefaultInstanceWarmup: intv(v.DefaultInstanceWarmup),
	}
	if n.ARN != "" {
		n.Aliases = append(n.Aliases, n.ARN)
	}
	spec := v.LaunchTemplate
	if mip := v.MixedInstancesPolicy; mip != nil {
		pol := &graph.MixedInstancesPolicy{}
		if d := mip.InstancesDistribution; d != nil {
			pol.OnDemandBase = intv(d.OnDemandBaseCapacity)
			if d.OnDemandPercentageAboveBaseCapacity != nil {
				p := int(*d.OnDemandPercentageAboveBaseCapacity)
				pol.OnDemandPercentAboveBase = &p
			}
			pol.SpotAllocationStrategy = str(d.SpotAllocationStrategy)
		}
		if mip.LaunchTemplate != nil {
			if spec == nil {
				spec = mip.LaunchTemplate.LaunchTemplateSpecification
			}
			for _, o := range mip.LaunchTemplate.Overrides {
				t := str(o.InstanceType)
				if t == "" {
					continue
				}
				if !contains(n.InstanceTypes, t) {
					n.InstanceTypes = append(n.InstanceTypes, t)
				}
				w, _ := strconv.Atoi(str(o.WeightedCapacity))
				pol.Overrides = append(pol.Overrides, graph.InstanceOverride{InstanceType: t, Weight: w})
			}
		}
		n.MixedInstances = pol
	}
	switch {
	case spec != nil && str(spec.LaunchTemplateId) != "":
		n.LaunchTemplateID = *spec.LaunchTemplateId
		n.LaunchTemplateVersion = str(spec.Version)
	case spec != nil && str(spec.LaunchTemplateName) != "":
		// Resolved to the template's id once every file is read.
		n.LaunchTemplateID = *spec.LaunchTemplateName
		n.LaunchTemplateVersion = str(spec.Version)
		c.out.asgLTNames = append(c.out.asgLTNames, asgLTName{asg: name, name: *spec.LaunchTemplateName})
	case str(v.LaunchConfigurationName) != "":
		n.LaunchTemplateID = *v.LaunchConfigurationName
	}
	for _, i := range v.Instances {
		if id := str(i.InstanceId); id != "" {
			n.Instances = append(n.Instances, id)
			n.ReportedInstanceTypes = append(n.ReportedInstanceTypes, str(i.InstanceType))
		}
	}
	if w := v.WarmPoolConfiguration; w != nil {
		n.WarmPool = &graph.WarmPool{MinSize: intv(w.MinSize), PoolState: string(w.PoolState)}
		if w.MaxGroupPreparedCapacity != nil {
			m := int(*w.MaxGroupPreparedCapacity)
			n.WarmPool.MaxGroupPreparedCapacity = &m
		}
	}
	c.add(n)
}

func decodePolicy(c *chunk, el elem) {
	var v astypes.ScalingPolicy
	if !decodeInto(c, el, &v) {
		return
	}
	p := graph.ScalingPolicy{
		Name:                    str(v.PolicyName),
		PolicyType:              str(v.PolicyType),
		EstimatedInstanceWarmup: intv(v.EstimatedInstanceWarmup),
		Cooldown:                intv(v.Cooldown),
		Enabled:                 v.Enabled == nil || *v.Enabled,
		Range:                   c.f.rng(el.start, el.end),
	}
	if t := v.TargetTrackingConfiguration; t != nil {
		if t.TargetValue != nil {
			p.TargetValue = *t.TargetValue
		}
		p.DisableScaleIn = boolv(t.DisableScaleIn)
		switch {
		case t.PredefinedMetricSpecification != nil:
			p.MetricType = string(t.PredefinedMetricSpecification.PredefinedMetricType)
			p.ResourceLabel = str(t.PredefinedMetricSpecification.ResourceLabel)
		case t.CustomizedMetricSpecification != nil:
			p.MetricType = "custom"
		}
	}
	c.out.policies = append(c.out.policies, policyIn{asg: str(v.AutoScalingGroupName), policy: p, src: c.source(el)})
}
