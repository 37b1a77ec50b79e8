package simulate

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/cost/prices"
)

// Defaults of the model where neither the architecture nor the scenario
// says.
const (
	DefaultRPSPerInstance     = 5
	DefaultQueueSeconds       = 5
	DefaultCPUTarget          = 50
	DefaultScaleOutDatapoints = 3
	DefaultScaleInDatapoints  = 15
	DefaultLaunchSeconds      = 40  // pending → running
	DefaultBootSeconds        = 90  // running → application listening
	DefaultHealthCheckSeconds = 150 // ALB default: 5 healthy checks 30 s apart
	DefaultWarmupSeconds      = 300
	DefaultWarmPoolReady      = 30
	DetailedPeriod            = 60
	BasicPeriod               = 300
)

// Config is a scenario resolved against an architecture and a price
// catalog: every value the run uses, and where it came from.
type Config struct {
	Scenario Scenario
	// Group is the Auto Scaling group's id in the graph ("" when the graph
	// has none and the defaults apply).
	Group              string
	LoadBalancer       string
	Min, Max, Desired  int
	InstanceType       string
	Metric             string // cpu or requests
	TargetValue        float64
	Period             int // seconds per metric datapoint
	ScaleOutDatapoints int
	ScaleInDatapoints  int
	LaunchSeconds      int
	BootSeconds        int
	HealthCheckSeconds int
	WarmupSeconds      int
	ScheduledActions   []ScheduledAction
	WarmPool           *WarmPool
	// Prices (currency per unit).
	Region       string
	Currency     string
	InstanceHour decimal.Decimal
	ALBHour      decimal.Decimal
	LCUHour      decimal.Decimal
	NATGB        decimal.Decimal
	HasALB       bool
	HasNAT       bool
	// Estimates is set when a price used is an estimate.
	Estimates bool
	// Notes say which defaults were assumed.
	Notes []string
}

// Resolve combines the scenario with the architecture: the Auto Scaling
// group (bounds, instance type from its launch template, target tracking
// policy, warm-up, scheduled actions, warm pool) and the load balancer in
// front of it come from g; the scenario's group settings override them;
// prices come from cat in region ("" = detected from g).
func Resolve(g *graph.Graph, s *Scenario, cat *prices.Catalog, region string) (*Config, error) {
	if s == nil || cat == nil {
		return nil, fmt.Errorf("resolve scenario: scenario and catalog are required")
	}
	sc := *s
	if err := sc.validate(); err != nil {
		return nil, fmt.Errorf("resolve scenario: %w", err)
	}
	if g == nil {
		g = graph.New()
	}
	c := &Config{Scenario: sc, Metric: "cpu", TargetValue: DefaultCPUTarget, Period: BasicPeriod,
		ScaleOutDatapoints: DefaultScaleOutDatapoints, ScaleInDatapoints: DefaultScaleInDatapoints,
		LaunchSeconds: DefaultLaunchSeconds, BootSeconds: DefaultBootSeconds, HealthCheckSeconds: DefaultHealthCheckSeconds,
		WarmupSeconds: DefaultWarmupSeconds}
	if c.Scenario.Capacity.RPSPerInstance == 0 {
		c.Scenario.Capacity.RPSPerInstance = DefaultRPSPerInstance
	}
	if c.Scenario.Capacity.QueueSeconds == 0 {
		c.Scenario.Capacity.QueueSeconds = DefaultQueueSeconds
	}
	if c.Scenario.Load.PageLoadsPerTicket == 0 {
		c.Scenario.Load.PageLoadsPerTicket = 5
	}
	if c.Scenario.SpikesPerMonth == 0 {
		c.Scenario.SpikesPerMonth = 1
	}
	asg, err := pickGroup(g, sc.Group.Name)
	if err != nil {
		return nil, err
	}
	if asg != nil {
		c.Group = asg.ID
		c.Min, c.Max, c.Desired = asg.MinSize, asg.MaxSize, asg.DesiredCapacity
		var from string
		c.InstanceType, from = cost.ASGInstanceTypeFrom(g, asg)
		if from != "" && !strings.HasPrefix(from, "launch template") {
			c.Notes = append(c.Notes, fmt.Sprintf("instance type %s from %s", c.InstanceType, from))
		}
		if lt, ok := graph.Get[*graph.LaunchTemplate](g, asg.LaunchTemplateID); ok && lt.DetailedMonitoring != nil && *lt.DetailedMonitoring {
			c.Period = DetailedPeriod
		}
		if asg.DefaultInstanceWarmup > 0 {
			c.WarmupSeconds = asg.DefaultInstanceWarmup
		}
		if asg.HealthCheckGrace > 0 && asg.HealthCheckType == "ELB" && asg.HealthCheckGrace < c.HealthCheckSeconds {
			c.Notes = append(c.Notes, fmt.Sprintf("health check grace %d s kept below the load balancer's %d s to healthy", asg.HealthCheckGrace, c.HealthCheckSeconds))
		}
		for _, p := range asg.Policies {
			if p.PolicyType != "TargetTrackingScaling" || (!p.Enabled && p.Name != "") {
				continue
			}
			switch p.MetricType {
			case "ASGAverageCPUUtilization":
				c.Metric = "cpu"
			case "ALBRequestCountPerTarget":
				c.Metric = "requests"
			default:
				c.Notes = append(c.Notes, fmt.Sprintf("policy %s tracks %s; modelled as CPU", p.Name, p.MetricType))
			}
			if p.TargetValue > 0 {
				c.TargetValue = p.TargetValue
			}
			if p.EstimatedInstanceWarmup > 0 {
				c.WarmupSeconds = p.EstimatedInstanceWarmup
			}
			break
		}
		if asg.WarmPool != nil {
			c.WarmPool = &WarmPool{Size: asg.WarmPool.MinSize, State: asg.WarmPool.PoolState, ReadySeconds: DefaultWarmPoolReady}
		}
		c.LoadBalancer = loadBalancerOf(g, asg)
	} else {
		c.Min, c.Max, c.Desired, c.InstanceType = 1, 6, 1, "m3.xlarge"
		c.Notes = append(c.Notes, "no Auto Scaling group in the architecture: the design documents' 1 to 6 m3.xlarge")
		c.LoadBalancer = "assumed"
	}
	o := sc.Group
	setInt := func(dst *int, v *int) {
		if v != nil {
			*dst = *v
		}
	}
	setInt(&c.Min, o.Min)
	setInt(&c.Max, o.Max)
	setInt(&c.Desired, o.Desired)
	setInt(&c.LaunchSeconds, o.LaunchSeconds)
	setInt(&c.BootSeconds, o.BootSeconds)
	setInt(&c.HealthCheckSeconds, o.HealthCheckSeconds)
	setInt(&c.WarmupSeconds, o.WarmupSeconds)
	if o.InstanceType != "" {
		c.InstanceType = o.InstanceType
	}
	if o.Metric != "" {
		c.Metric = o.Metric
		if o.TargetValue == 0 && o.Metric == "requests" {
			c.TargetValue = 0.7 * c.Scenario.Capacity.RPSPerInstance * 60
		}
	}
	if o.TargetValue > 0 {
		c.TargetValue = o.TargetValue
	}
	if o.DetailedMonitoring != nil {
		c.Period = BasicPeriod
		if *o.DetailedMonitoring {
			c.Period = DetailedPeriod
		}
	}
	if c.Metric == "requests" {
		c.Period = DetailedPeriod // ALB metrics are one-minute
	}
	if o.ScaleOutDatapoints > 0 {
		c.ScaleOutDatapoints = o.ScaleOutDatapoints
	}
	if o.ScaleInDatapoints > 0 {
		c.ScaleInDatapoints = o.ScaleInDatapoints
	}
	if len(o.ScheduledActions) > 0 {
		c.ScheduledActions = append([]ScheduledAction(nil), o.ScheduledActions...)
	}
	sort.SliceStable(c.ScheduledActions, func(i, j int) bool { return c.ScheduledActions[i].At < c.ScheduledActions[j].At })
	if o.WarmPool != nil {
		wp := *o.WarmPool
		if wp.ReadySeconds == 0 {
			wp.ReadySeconds = DefaultWarmPoolReady
		}
		c.WarmPool = &wp
	}
	if c.InstanceType == "" {
		return nil, &NoInstanceTypeError{Group: c.Group}
	}
	if c.Max < c.Min {
		return nil, fmt.Errorf("resolve scenario: max %d below min %d", c.Max, c.Min)
	}
	c.Desired = clamp(c.Desired, c.Min, c.Max)
	if c.TargetValue <= 0 {
		return nil, fmt.Errorf("resolve scenario: target value must be positive")
	}
	// Prices.
	// The group's own region (its provider, stack, zones), --region
	// filling what the input leaves open.
	c.Region = cost.DetectRegion(g)
	if asg != nil {
		c.Region = cost.NodeRegion(g, asg, region)
	} else if region != "" {
		c.Region = region
	}
	c.Currency = cat.Currency
	lookup := func(key string) (prices.Entry, bool) {
		e, ok := cat.Lookup(c.Region, key)
		if !ok && c.Region != prices.DefaultRegion {
			if e, ok = cat.Lookup(prices.DefaultRegion, key); ok {
				c.Notes = append(c.Notes, fmt.Sprintf("warning: no %s price in %s: the %s price is used (an estimate)", key, c.Region, prices.DefaultRegion))
			}
		}
		if ok && e.Estimate {
			c.Estimates = true
		}
		return e, ok
	}
	e, ok := lookup(prices.EC2Key(c.InstanceType))
	if !ok {
		return nil, fmt.Errorf("resolve scenario: instance type %q has no price in %s", c.InstanceType, c.Region)
	}
	c.InstanceHour = e.Price
	c.HasALB = c.LoadBalancer != ""
	if c.HasALB {
		hk, lk := prices.KeyALBHour, prices.KeyALBLCUHour
		if lb, ok := graph.Get[*graph.LoadBalancer](g, c.LoadBalancer); ok && lb.Type == "network" {
			hk, lk = prices.KeyNLBHour, prices.KeyNLBLCUHour
			c.Notes = append(c.Notes, "network load balancer: NLCUs counted with the ALB's dimensions")
		}
		if e, ok := lookup(hk); ok {
			c.ALBHour = e.Price
		}
		if e, ok := lookup(lk); ok {
			c.LCUHour = e.Price
		}
	}
	c.HasNAT = len(g.NATGateways()) > 0 || asg == nil
	if c.HasNAT {
		if e, ok := lookup(prices.KeyNATGB); ok {
			c.NATGB = e.Price
		}
	}
	return c, nil
}

// NoInstanceTypeError says that nothing in the input or the scenario
// names the instance type of the group to simulate.
type NoInstanceTypeError struct{ Group string }

func (e *NoInstanceTypeError) Error() string {
	g := e.Group
	if g == "" {
		g = "to simulate"
	}
	return fmt.Sprintf("Auto Scaling group %s states no instance type (no launch template version or launch configuration with one, no mixed-instances override, no instance it reports — a dump without describe-launch-template-versions often lacks it): give one with --instance-type TYPE, or group.instance_type in a scenario file", g)
}

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}

// pickGroup finds the Auto Scaling group to simulate: by name, else the
// one behind a load balancer target group, else the only one.
func pickGroup(g *graph.Graph, name string) (*graph.AutoScalingGroup, error) {
	groups := g.AutoScalingGroups()
	if name != "" {
		ns := g.Resolve(name)
		for _, n := range ns {
			if a, ok := n.(*graph.AutoScalingGroup); ok {
				return a, nil
			}
		}
		return nil, fmt.Errorf("resolve scenario: no Auto Scaling group %q", name)
	}
	var behind []*graph.AutoScalingGroup
	for _, a := range groups {
		if len(a.TargetGroupARNs) > 0 || len(a.LoadBalancerNames) > 0 {
			behind = append(behind, a)
		}
	}
	switch {
	case len(behind) >= 1:
		return behind[0], nil
	case len(groups) >= 1:
		return groups[0], nil
	}
	return nil, nil
}

// loadBalancerOf returns the load balancer in front of the group.
func loadBalancerOf(g *graph.Graph, a *graph.AutoScalingGroup) string {
	for _, arn := range a.TargetGroupARNs {
		if tg, ok := graph.Get[*graph.TargetGroup](g, arn); ok && len(tg.LoadBalancerARNs) > 0 {
			return tg.LoadBalancerARNs[0]
		}
		for _, l := range g.Listeners() {
			for _, t := range l.TargetGroupARNs() {
				if t == arn {
					return l.LoadBalancerARN
				}
			}
		}
	}
	if len(a.LoadBalancerNames) > 0 {
		return a.LoadBalancerNames[0]
	}
	return ""
}
