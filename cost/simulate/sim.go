// Package simulate drives a load profile through an architecture's load
// balancer and Auto Scaling group, step by step: CloudWatch datapoints,
// target tracking alarms, launch, boot and health check delays, warm-up,
// scheduled actions and warm pools, a bounded queue, failed requests partly
// retried, and per-second billing. It answers what a traffic spike costs,
// what it loses, and which change would have served it.
package simulate

import (
	"math"
	"strings"

	"github.com/shopspring/decimal"
)

// Point is one step of the timeline.
type Point struct {
	T int `json:"t"` // seconds from the start of the run
	// Rates in requests a second over the step.
	OfferedRPS  float64 `json:"offered_rps"`
	ServedRPS   float64 `json:"served_rps"`
	FailedRPS   float64 `json:"failed_rps"`
	CapacityRPS float64 `json:"capacity_rps"`
	// Queued requests waiting at the end of the step.
	Queued    float64 `json:"queued"`
	InService int     `json:"in_service"`
	// Pending instances: launched, not yet in service.
	Pending int `json:"pending"`
	Desired int `json:"desired"`
}

// Totals are the counts of a run.
type Totals struct {
	// Demand is the requests the users sent the first time (baseline and
	// phases); Offered adds their retries.
	Demand  float64
	Offered float64
	Served  float64
	// Failed counts failed attempts; Abandoned those not retried.
	Failed    float64
	Abandoned float64
	// QueuedAtEnd and RetriesAtEnd are still in flight when the run ends.
	QueuedAtEnd  float64
	RetriesAtEnd float64
	// InstanceSeconds billed (per second, 60 s minimum per instance).
	InstanceSeconds int64
	LCUHours        float64
	NATGB           float64
	PeakOfferedRPS  float64
	PeakInService   int
	// FirstScaleOut is the time the first instance launched by scaling
	// came into service (-1: never).
	FirstScaleOut int
	// DemandStart is the first time base demand exceeded the capacity in
	// service (-1: never); CapacityMet the first time after it that the
	// capacity in service reached the peak base demand (-1: never).
	DemandStart   int
	CapacityMet   int
	PeakDemandRPS float64
}

// Costs are the money of a run, in the catalog's currency.
type Costs struct {
	Instances decimal.Decimal
	ALBHours  decimal.Decimal
	LCU       decimal.Decimal
	NAT       decimal.Decimal
	Total     decimal.Decimal
}

// Run is the outcome of one simulation.
type Run struct {
	Timeline []Point
	Totals   Totals
	Costs    Costs
}

type instance struct {
	start     int // billing start (running)
	inService int // time it serves traffic
	pool      bool
}

// demandAt returns the base demand rate at time t.
func (c *Config) demandAt(t int) float64 {
	r := c.Scenario.Load.BaselineRPS
	for _, p := range c.Scenario.Load.Phases {
		if t < p.Start || t >= p.Start+p.Duration {
			continue
		}
		switch {
		case p.Tickets > 0:
			r += p.Tickets * c.Scenario.Load.PageLoadsPerTicket / float64(p.Duration)
		case p.RPSEnd > 0:
			f := float64(t-p.Start) / float64(p.Duration)
			r += p.RPS + (p.RPSEnd-p.RPS)*f
		default:
			r += p.RPS
		}
	}
	return r
}

// PeakDemand returns the highest base demand rate of the scenario.
func (c *Config) PeakDemand() float64 {
	peak := c.demandAt(0)
	for _, p := range c.Scenario.Load.Phases {
		for _, t := range []int{p.Start, p.Start + p.Duration - 1} {
			if d := c.demandAt(t); d > peak {
				peak = d
			}
		}
	}
	return peak
}

// Simulate runs the configuration. keepTimeline false skips the timeline
// (the recommendation search runs many simulations).
func Simulate(c *Config, keepTimeline bool) *Run {
	s := c.Scenario
	dt := s.Step
	steps := s.Duration / dt
	run := &Run{}
	if keepTimeline {
		run.Timeline = make([]Point, 0, steps)
	}
	tot := &run.Totals
	tot.FirstScaleOut, tot.DemandStart, tot.CapacityMet = -1, -1, -1
	tot.PeakDemandRPS = c.PeakDemand()

	rps := s.Capacity.RPSPerInstance
	fdt := float64(dt)
	retryDelay := (s.Load.RetryDelay + dt - 1) / dt
	if retryDelay < 1 {
		retryDelay = 1
	}
	retries := make([]float64, retryDelay+1) // ring buffer of retries due
	minSize, maxSize, desired := c.Min, c.Max, c.Desired
	coldDelay := c.LaunchSeconds + c.BootSeconds + c.HealthCheckSeconds
	poolDelay := coldDelay
	pool := 0
	poolRunning := false
	if c.WarmPool != nil {
		pool = c.WarmPool.Size
		poolRunning = strings.EqualFold(c.WarmPool.State, "Running")
		poolDelay = c.WarmPool.ReadySeconds + c.HealthCheckSeconds
	}
	// Instances in service at the start (desired), then those launched.
	var live []instance
	for i := 0; i < desired; i++ {
		live = append(live, instance{start: 0, inService: 0})
	}
	inService := desired
	// The instance counts change only at launches, terminations and the
	// instants recorded in nextChange; between them they are reused.
	dirty := true
	nextChange := 0
	pending, warming, running := 0, 0, 0
	var queue float64
	sched := 0
	// Metric accumulation over a period.
	var periodSum float64
	periodN := 0
	high, low := 0, 0
	// LCU accumulation over an hour.
	var hourConn, hourBytes, hourRules float64
	hourStart := 0

	launch := func(t, n int) {
		for i := 0; i < n; i++ {
			d, fromPool := coldDelay, false
			if pool > 0 {
				pool--
				d, fromPool = poolDelay, true
			}
			start := t + c.LaunchSeconds
			if fromPool {
				start = t // a stopped pooled instance starts billing at once
			}
			live = append(live, instance{start: start, inService: t + d, pool: fromPool})
		}
		dirty = true
	}
	terminate := func(t, n int) {
		for i := 0; i < n && len(live) > 0; i++ {
			// Newest first: pending instances go before serving ones.
			last := live[len(live)-1]
			live = live[:len(live)-1]
			// Billed per second with a 60-second minimum; an instance
			// still pending (never running) is not billed.
			if ran := int64(t - last.start); ran > 0 && ran < 60 {
				tot.InstanceSeconds += 60 - ran
			}
		}
		dirty = true
	}
	flushLCU := func(end int) {
		secs := float64(end - hourStart)
		if secs <= 0 {
			return
		}
		newConn := hourConn / secs
		lcu := math.Max(math.Max(newConn/25, newConn*s.Traffic.ConnectionSeconds/3000),
			math.Max(hourBytes/1e9/(secs/3600), hourRules/secs/1000))
		tot.LCUHours += lcu * secs / 3600
		hourConn, hourBytes, hourRules = 0, 0, 0
		hourStart = end
	}

	for step := 0; step < steps; step++ {
		t := step * dt
		// Scheduled actions.
		for sched < len(c.ScheduledActions) && c.ScheduledActions[sched].At <= t {
			a := c.ScheduledActions[sched]
			if a.Min != nil {
				minSize = *a.Min
			}
			if a.Max != nil {
				maxSize = *a.Max
			}
			if maxSize < minSize {
				maxSize = minSize
			}
			if a.Desired != nil {
				desired = *a.Desired
			}
			desired = clamp(desired, minSize, maxSize)
			sched++
		}
		// Reconcile the group with desired.
		if n := len(live); desired > n {
			launch(t, desired-n)
		} else if desired < n {
			terminate(t, n-desired)
		}
		// Instances coming into service, warming up, running (billed).
		if dirty || t >= nextChange {
			inService, pending, warming, running = 0, 0, 0, 0
			nextChange = math.MaxInt
			later := func(v int) {
				if v > t && v < nextChange {
					nextChange = v
				}
			}
			for _, in := range live {
				if in.inService <= t {
					inService++
					if in.inService > 0 && in.inService+c.WarmupSeconds > t {
						warming++
						later(in.inService + c.WarmupSeconds)
					}
					if in.inService > 0 && tot.FirstScaleOut < 0 {
						tot.FirstScaleOut = in.inService
					}
				} else {
					pending++
					later(in.inService)
				}
				if in.start <= t {
					running++
				} else {
					later(in.start)
				}
			}
			dirty = false
		}
		tot.InstanceSeconds += int64(running * dt)
		if poolRunning {
			tot.InstanceSeconds += int64(pool * dt) // a Running pool is billed while it waits
		}
		if inService > tot.PeakInService {
			tot.PeakInService = inService
		}
		// Requests.
		demand := c.demandAt(t) * fdt
		slot := step % len(retries)
		retried := retries[slot]
		retries[slot] = 0
		offered := demand + retried
		capacity := float64(inService) * rps * fdt
		avail := queue + offered
		served := math.Min(avail, capacity)
		rest := avail - served
		limit := float64(inService) * rps * s.Capacity.QueueSeconds
		queue = math.Min(rest, limit)
		failed := rest - queue
		again := failed * s.Load.RetryShare
		if again > 0 {
			retries[(step+retryDelay)%len(retries)] += again
		}
		tot.Demand += demand
		tot.Offered += offered
		tot.Served += served
		tot.Failed += failed
		tot.Abandoned += failed - again
		if r := offered / fdt; r > tot.PeakOfferedRPS {
			tot.PeakOfferedRPS = r
		}
		rate := demand / fdt
		if tot.DemandStart < 0 && rate > float64(inService)*rps {
			tot.DemandStart = t
		}
		if tot.DemandStart >= 0 && tot.CapacityMet < 0 && float64(inService)*rps >= tot.PeakDemandRPS {
			tot.CapacityMet = t
		}
		// Load balancer and NAT usage.
		hourConn += offered * s.Traffic.NewConnectionsPerRequest
		hourBytes += offered * s.Traffic.BytesPerRequest
		hourRules += offered * math.Max(0, s.Traffic.RuleEvaluationsPerRequest-10)
		tot.NATGB += served * s.Traffic.NATBytesPerRequest / 1e9
		if (t+dt)-hourStart >= 3600 {
			flushLCU(t + dt)
		}
		// Metric of the step: CPU of the instances past warm-up (all carry
		// the same share), or requests per target a minute.
		var metric float64
		switch c.Metric {
		case "requests":
			n := inService
			if n == 0 {
				n = 1
			}
			metric = offered / float64(n) * 60 / fdt
		default:
			if capacity > 0 {
				metric = served / capacity * 100
			} else {
				metric = 100
			}
		}
		periodSum += metric
		periodN++
		if (t+dt)%c.Period == 0 {
			dp := periodSum / float64(periodN)
			periodSum, periodN = 0, 0
			if dp > c.TargetValue {
				high++
			} else {
				high = 0
			}
			if dp < 0.9*c.TargetValue {
				low++
			} else {
				low = 0
			}
			counted := inService - warming
			if counted < 1 {
				counted = 1
			}
			want := int(math.Ceil(float64(counted) * dp / c.TargetValue))
			switch {
			case high >= c.ScaleOutDatapoints:
				if w := clamp(want, minSize, maxSize); w > desired {
					desired = w
				}
			case low >= c.ScaleInDatapoints && warming == 0:
				if w := clamp(want, minSize, maxSize); w < desired {
					desired = w
				}
				low = 0
			}
		}
		if keepTimeline {
			run.Timeline = append(run.Timeline, Point{T: t, OfferedRPS: offered / fdt, ServedRPS: served / fdt, FailedRPS: failed / fdt,
				CapacityRPS: capacity / fdt, Queued: queue, InService: inService, Pending: pending, Desired: desired})
		}
	}
	flushLCU(steps * dt)
	tot.QueuedAtEnd = queue
	for _, r := range retries {
		tot.RetriesAtEnd += r
	}
	run.Costs = c.costs(tot, steps*dt)
	return run
}

// costs prices a run: instance-seconds × the hourly price / 3600 plus the
// fixed parts (load balancer hours) and usage (LCU-hours, NAT GB).
func (c *Config) costs(tot *Totals, seconds int) Costs {
	var k Costs
	k.Instances = decimal.NewFromInt(tot.InstanceSeconds).Mul(c.InstanceHour).Div(decimal.NewFromInt(3600))
	if c.HasALB {
		k.ALBHours = decimal.NewFromInt(int64(seconds)).Mul(c.ALBHour).Div(decimal.NewFromInt(3600))
		k.LCU = decimal.NewFromFloat(tot.LCUHours).Mul(c.LCUHour)
	}
	if c.HasNAT {
		k.NAT = decimal.NewFromFloat(tot.NATGB).Mul(c.NATGB)
	}
	k.Total = k.Instances.Add(k.ALBHours).Add(k.LCU).Add(k.NAT)
	return k
}
