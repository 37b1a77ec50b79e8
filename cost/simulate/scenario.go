package simulate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"

	"gopkg.in/yaml.v3"

	"github.com/vpcgate/vpcgate/internal/docpos"
)

// MaxScenarioSize bounds a scenario file.
const MaxScenarioSize = 1 << 20

// ScenarioVersion is the version of the scenario format this package reads.
const ScenarioVersion = "1"

// Phase is a period of extra demand on top of the baseline: a constant
// rate, a linear ramp (RPS to RPSEnd), or a number of tickets sold over the
// phase (Tickets × PageLoadsPerTicket / Duration requests a second).
type Phase struct {
	Name     string  `yaml:"name" json:"name,omitempty"`
	Start    int     `yaml:"start" json:"start"`       // seconds from the start of the run
	Duration int     `yaml:"duration" json:"duration"` // seconds
	RPS      float64 `yaml:"rps" json:"rps,omitempty"`
	RPSEnd   float64 `yaml:"rps_end" json:"rps_end,omitempty"`
	Tickets  float64 `yaml:"tickets" json:"tickets,omitempty"`
}

// Load is the demand profile.
type Load struct {
	// BaselineRPS is the steady demand in requests a second.
	BaselineRPS float64 `yaml:"baseline_rps" json:"baseline_rps"`
	// PageLoadsPerTicket converts tickets into requests (default 5).
	PageLoadsPerTicket float64 `yaml:"page_loads_per_ticket" json:"page_loads_per_ticket"`
	Phases             []Phase `yaml:"phases" json:"phases"`
	// RetryShare of failed requests are sent again (users pressing
	// refresh) after RetryDelay seconds; retries can fail and be retried
	// in turn.
	RetryShare float64 `yaml:"retry_share" json:"retry_share"`
	RetryDelay int     `yaml:"retry_delay" json:"retry_delay"`
}

// Capacity is what one instance serves and how long requests may wait.
type Capacity struct {
	// RPSPerInstance is the requests a second one instance serves at 100%
	// CPU (default 5).
	RPSPerInstance float64 `yaml:"rps_per_instance" json:"rps_per_instance"`
	// QueueSeconds bounds the queue: requests that would wait longer than
	// this for the capacity in service fail (default 5).
	QueueSeconds float64 `yaml:"queue_seconds" json:"queue_seconds"`
}

// ScheduledAction changes the group's bounds at a time of the run.
type ScheduledAction struct {
	At      int  `yaml:"at" json:"at"` // seconds from the start of the run
	Min     *int `yaml:"min" json:"min,omitempty"`
	Max     *int `yaml:"max" json:"max,omitempty"`
	Desired *int `yaml:"desired" json:"desired,omitempty"`
}

// WarmPool holds pre-initialized instances that join faster.
type WarmPool struct {
	Size int `yaml:"size" json:"size"`
	// State is Stopped (default; pays storage only, not modelled) or
	// Running (pays the instance).
	State string `yaml:"state" json:"state,omitempty"`
	// ReadySeconds from a scale-out to in service for a pooled instance
	// (default 30 plus the health check).
	ReadySeconds int `yaml:"ready_seconds" json:"ready_seconds,omitempty"`
}

// Group overrides the Auto Scaling group read from the architecture.
// Zero values keep the graph's (or the default's) setting.
type Group struct {
	// Name selects the group in the graph (default: the one behind the
	// load balancer, else the only one).
	Name         string `yaml:"name" json:"name,omitempty"`
	Min          *int   `yaml:"min" json:"min,omitempty"`
	Max          *int   `yaml:"max" json:"max,omitempty"`
	Desired      *int   `yaml:"desired" json:"desired,omitempty"`
	InstanceType string `yaml:"instance_type" json:"instance_type,omitempty"`
	// Metric is cpu (ASGAverageCPUUtilization) or requests
	// (ALBRequestCountPerTarget, a minute).
	Metric      string  `yaml:"metric" json:"metric,omitempty"`
	TargetValue float64 `yaml:"target_value" json:"target_value,omitempty"`
	// DetailedMonitoring gives 60-second metrics; basic is 300 seconds.
	DetailedMonitoring *bool `yaml:"detailed_monitoring" json:"detailed_monitoring,omitempty"`
	// ScaleOutDatapoints and ScaleInDatapoints are the alarm evaluation
	// periods (target tracking: 3 and 15).
	ScaleOutDatapoints int `yaml:"scale_out_datapoints" json:"scale_out_datapoints,omitempty"`
	ScaleInDatapoints  int `yaml:"scale_in_datapoints" json:"scale_in_datapoints,omitempty"`
	// LaunchSeconds (pending until running), BootSeconds (running until
	// the application listens) and HealthCheckSeconds (until the load
	// balancer marks the target healthy) delay new capacity.
	LaunchSeconds      *int `yaml:"launch_seconds" json:"launch_seconds,omitempty"`
	BootSeconds        *int `yaml:"boot_seconds" json:"boot_seconds,omitempty"`
	HealthCheckSeconds *int `yaml:"health_check_seconds" json:"health_check_seconds,omitempty"`
	// WarmupSeconds: new instances' metrics are left out of the group's
	// for this long after they come into service.
	WarmupSeconds    *int              `yaml:"warmup_seconds" json:"warmup_seconds,omitempty"`
	ScheduledActions []ScheduledAction `yaml:"scheduled_actions" json:"scheduled_actions,omitempty"`
	WarmPool         *WarmPool         `yaml:"warm_pool" json:"warm_pool,omitempty"`
}

// Traffic sizes load balancer and NAT usage per request.
type Traffic struct {
	// BytesPerRequest through the load balancer (request and response).
	BytesPerRequest float64 `yaml:"bytes_per_request" json:"bytes_per_request"`
	// NewConnectionsPerRequest (keep-alive makes it below 1).
	NewConnectionsPerRequest float64 `yaml:"new_connections_per_request" json:"new_connections_per_request"`
	// ConnectionSeconds a connection stays open.
	ConnectionSeconds float64 `yaml:"connection_seconds" json:"connection_seconds"`
	// RuleEvaluationsPerRequest of the listener rules (the first 10 are
	// free).
	RuleEvaluationsPerRequest float64 `yaml:"rule_evaluations_per_request" json:"rule_evaluations_per_request"`
	// NATBytesPerRequest sent out through a NAT gateway (calls to payment
	// providers, say).
	NATBytesPerRequest float64 `yaml:"nat_bytes_per_request" json:"nat_bytes_per_request"`
}

// Scenario is a versioned scenario file.
type Scenario struct {
	Version string `yaml:"version" json:"version"`
	Name    string `yaml:"name" json:"name"`
	// Duration of the run in seconds and Step, the seconds per step
	// (default 1).
	Duration int      `yaml:"duration" json:"duration"`
	Step     int      `yaml:"step" json:"step"`
	Load     Load     `yaml:"load" json:"load"`
	Capacity Capacity `yaml:"capacity" json:"capacity"`
	Group    Group    `yaml:"group" json:"group"`
	Traffic  Traffic  `yaml:"traffic" json:"traffic"`
	// SpikesPerMonth prices "the month with N spikes" (default 1).
	SpikesPerMonth int `yaml:"spikes_per_month" json:"spikes_per_month"`
}

// PresetNames lists the built-in scenarios.
func PresetNames() []string { return []string{"ticketing-spike"} }

// Preset returns a built-in scenario by name.
func Preset(name string) (*Scenario, error) {
	switch name {
	case "ticketing-spike":
		return &Scenario{
			Version:  ScenarioVersion,
			Name:     "ticketing-spike",
			Duration: 3600,
			Step:     1,
			Load: Load{
				// 1,000,000 tickets a year × 5 page loads / 31,536,000 s.
				BaselineRPS:        0.16,
				PageLoadsPerTicket: 5,
				// 80,000 tickets in 5 minutes: 400,000 page loads / 300 s
				// = 1,333 requests a second, from 09:00 (t = 600 s).
				Phases:     []Phase{{Name: "on sale", Start: 600, Duration: 300, Tickets: 80000}},
				RetryShare: 0.5,
				RetryDelay: 5,
			},
			Capacity:       Capacity{RPSPerInstance: 5, QueueSeconds: 5},
			Traffic:        Traffic{BytesPerRequest: 100_000, NewConnectionsPerRequest: 0.2, ConnectionSeconds: 30, RuleEvaluationsPerRequest: 1, NATBytesPerRequest: 2_000},
			SpikesPerMonth: 4,
		}, nil
	}
	return nil, fmt.Errorf("no preset %q (have %v)", name, PresetNames())
}

// ParseScenario reads a scenario file (YAML); name is used in errors.
func ParseScenario(r io.Reader, name string) (*Scenario, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxScenarioSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxScenarioSize {
		return nil, fmt.Errorf("%s: scenario larger than %d bytes", name, MaxScenarioSize)
	}
	if err := docpos.CheckText(name, data); err != nil {
		return nil, err
	}
	var s Scenario
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, fmt.Errorf("%s: empty scenario", name)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if s.Version != ScenarioVersion {
		return nil, fmt.Errorf("%s: version %q: want %q", name, s.Version, ScenarioVersion)
	}
	if err := s.validate(); err != nil {
		return nil, docpos.Parse(name, data).Locate(err)
	}
	return &s, nil
}

// MaxSteps bounds a run (31 days at one-second steps).
const MaxSteps = 31 * 24 * 3600

// maxValue bounds every rate, count and size of a scenario: beyond it a
// value is absurd (and would overflow the arithmetic of the run).
const maxValue = 1e12

// validate checks every value; the error is a *docpos.FieldError naming
// the field.
func (s *Scenario) validate() error {
	if s.Step == 0 {
		s.Step = 1
	}
	switch {
	case s.Duration <= 0:
		return docpos.Field("duration", "must be positive seconds, not %d", s.Duration)
	case s.Step < 0 || s.Step > 300:
		return docpos.Field("step", "must be 1 to 300 seconds, not %d", s.Step)
	case s.Step > s.Duration:
		return docpos.Field("step", "%d seconds is longer than duration (%d)", s.Step, s.Duration)
	case s.Duration/s.Step > MaxSteps:
		return docpos.Field("duration", "duration/step exceeds %d steps", MaxSteps)
	case s.Load.RetryShare < 0 || s.Load.RetryShare >= 1:
		return docpos.Field("load.retry_share", "must be in [0, 1), not %v", s.Load.RetryShare)
	case s.Load.RetryDelay < 0 || s.Load.RetryDelay > 3600:
		return docpos.Field("load.retry_delay", "must be 0 to 3600 seconds, not %d", s.Load.RetryDelay)
	case s.SpikesPerMonth < 0 || s.SpikesPerMonth > 10000:
		return docpos.Field("spikes_per_month", "must be 0 to 10000, not %d", s.SpikesPerMonth)
	}
	floats := []struct {
		field string
		v     float64
	}{
		{"load.baseline_rps", s.Load.BaselineRPS},
		{"load.page_loads_per_ticket", s.Load.PageLoadsPerTicket},
		{"capacity.rps_per_instance", s.Capacity.RPSPerInstance},
		{"capacity.queue_seconds", s.Capacity.QueueSeconds},
		{"group.target_value", s.Group.TargetValue},
		{"traffic.bytes_per_request", s.Traffic.BytesPerRequest},
		{"traffic.new_connections_per_request", s.Traffic.NewConnectionsPerRequest},
		{"traffic.connection_seconds", s.Traffic.ConnectionSeconds},
		{"traffic.rule_evaluations_per_request", s.Traffic.RuleEvaluationsPerRequest},
		{"traffic.nat_bytes_per_request", s.Traffic.NATBytesPerRequest},
	}
	for i, p := range s.Load.Phases {
		at := fmt.Sprintf("load.phases[%d]", i)
		switch {
		case p.Duration <= 0 || p.Duration > MaxSteps:
			return docpos.Field(at+".duration", "must be 1 to %d seconds, not %d", MaxSteps, p.Duration)
		case p.Start < 0 || p.Start > MaxSteps:
			return docpos.Field(at+".start", "must be 0 to %d seconds, not %d", MaxSteps, p.Start)
		}
		floats = append(floats, struct {
			field string
			v     float64
		}{at + ".rps", p.RPS}, struct {
			field string
			v     float64
		}{at + ".rps_end", p.RPSEnd}, struct {
			field string
			v     float64
		}{at + ".tickets", p.Tickets})
	}
	for _, f := range floats {
		if f.v < 0 || f.v > maxValue || math.IsNaN(f.v) {
			return docpos.Field(f.field, "must be 0 to %g, not %v", float64(maxValue), f.v)
		}
	}
	g := s.Group
	for _, v := range []struct {
		field string
		v     *int
	}{{"group.min", g.Min}, {"group.max", g.Max}, {"group.desired", g.Desired}, {"group.launch_seconds", g.LaunchSeconds},
		{"group.boot_seconds", g.BootSeconds}, {"group.health_check_seconds", g.HealthCheckSeconds}, {"group.warmup_seconds", g.WarmupSeconds}} {
		if v.v != nil && (*v.v < 0 || *v.v > 100000) {
			return docpos.Field(v.field, "must be 0 to 100000, not %d", *v.v)
		}
	}
	if g.Min != nil && g.Max != nil && *g.Min > *g.Max {
		return docpos.Field("group.min", "%d is above group.max (%d)", *g.Min, *g.Max)
	}
	if g.ScaleOutDatapoints < 0 || g.ScaleOutDatapoints > 1000 {
		return docpos.Field("group.scale_out_datapoints", "must be 0 to 1000, not %d", g.ScaleOutDatapoints)
	}
	if g.ScaleInDatapoints < 0 || g.ScaleInDatapoints > 1000 {
		return docpos.Field("group.scale_in_datapoints", "must be 0 to 1000, not %d", g.ScaleInDatapoints)
	}
	for i, a := range g.ScheduledActions {
		at := fmt.Sprintf("group.scheduled_actions[%d]", i)
		if a.At < 0 || a.At > MaxSteps {
			return docpos.Field(at+".at", "must be 0 to %d seconds, not %d", MaxSteps, a.At)
		}
		for _, v := range []struct {
			field string
			v     *int
		}{{at + ".min", a.Min}, {at + ".max", a.Max}, {at + ".desired", a.Desired}} {
			if v.v != nil && (*v.v < 0 || *v.v > 100000) {
				return docpos.Field(v.field, "must be 0 to 100000, not %d", *v.v)
			}
		}
	}
	if g.WarmPool != nil {
		if g.WarmPool.Size < 0 || g.WarmPool.Size > 100000 {
			return docpos.Field("group.warm_pool.size", "must be 0 to 100000, not %d", g.WarmPool.Size)
		}
		if g.WarmPool.ReadySeconds < 0 || g.WarmPool.ReadySeconds > 100000 {
			return docpos.Field("group.warm_pool.ready_seconds", "must be 0 to 100000, not %d", g.WarmPool.ReadySeconds)
		}
	}
	switch g.Metric {
	case "", "cpu", "requests":
	default:
		return docpos.Field("group.metric", "%q: want cpu or requests", g.Metric)
	}
	return nil
}
