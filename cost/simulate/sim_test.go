package simulate

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/cost/prices"
)

func catalog(t testing.TB) *prices.Catalog {
	t.Helper()
	c, err := prices.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// productionGraph mirrors the production fixture's group: 2 to 8 t3.medium
// behind an ALB, CPU target tracking at 50 % with a 300 s warm-up.
func productionGraph(t testing.TB) *graph.Graph {
	t.Helper()
	g := graph.New()
	for _, n := range []graph.Node{
		&graph.Subnet{Base: graph.Base{ID: "subnet-a", Kind: graph.KindSubnet}, AvailabilityZone: "us-east-1a"},
		&graph.LaunchTemplate{Base: graph.Base{ID: "lt-1", Kind: graph.KindLaunchTemplate}, InstanceType: "t3.medium", DetailedMonitoring: ptrTrue()},
		&graph.TargetGroup{Base: graph.Base{ID: "tg-arn", Kind: graph.KindTargetGroup}, LoadBalancerARNs: []string{"alb-arn"}},
		&graph.LoadBalancer{Base: graph.Base{ID: "alb-arn", Kind: graph.KindLoadBalancer}, Type: "application", Scheme: "internet-facing"},
		&graph.NATGateway{Base: graph.Base{ID: "nat-1", Kind: graph.KindNATGateway}, SubnetID: "subnet-a"},
		&graph.AutoScalingGroup{Base: graph.Base{ID: "prod-app-asg", Kind: graph.KindAutoScalingGroup}, MinSize: 2, MaxSize: 8, DesiredCapacity: 2,
			LaunchTemplateID: "lt-1", TargetGroupARNs: []string{"tg-arn"}, HealthCheckType: "ELB", HealthCheckGrace: 300,
			Policies: []graph.ScalingPolicy{{Name: "cpu-target-50", PolicyType: "TargetTrackingScaling", MetricType: "ASGAverageCPUUtilization", TargetValue: 50, EstimatedInstanceWarmup: 300, Enabled: true}}},
	} {
		if d := g.Add(n); d != nil {
			t.Fatal(d)
		}
	}
	return g
}

func ticketing(t testing.TB, g *graph.Graph, mutate func(*Scenario)) *Config {
	t.Helper()
	s, err := Preset("ticketing-spike")
	if err != nil {
		t.Fatal(err)
	}
	if mutate != nil {
		mutate(s)
	}
	c, err := Resolve(g, s, catalog(t), "")
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestResolveFromGraph(t *testing.T) {
	t.Parallel()
	c := ticketing(t, productionGraph(t), nil)
	got := []any{c.Group, c.Min, c.Max, c.Desired, c.InstanceType, c.Metric, c.TargetValue, c.WarmupSeconds, c.Period, c.LoadBalancer, c.InstanceHour.String()}
	want := []any{"prod-app-asg", 2, 8, 2, "t3.medium", "cpu", 50.0, 300, DetailedPeriod, "alb-arn", "0.0416"}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("field %d = %v, want %v", i, got[i], want[i])
		}
	}
	// Scenario overrides win.
	c = ticketing(t, productionGraph(t), func(s *Scenario) {
		s.Group.Max = ip(20)
		s.Group.DetailedMonitoring = new(bool) // basic
		s.Group.InstanceType = "m5.large"
	})
	if c.Max != 20 || c.Period != BasicPeriod || c.InstanceType != "m5.large" {
		t.Errorf("overrides: max %d period %d type %s", c.Max, c.Period, c.InstanceType)
	}
	// Without a group in the graph: the design documents' 1 to 6 m3.xlarge.
	c = ticketing(t, graph.New(), nil)
	if c.Min != 1 || c.Max != 6 || c.InstanceType != "m3.xlarge" || len(c.Notes) == 0 {
		t.Errorf("defaults: %d-%d %s %v", c.Min, c.Max, c.InstanceType, c.Notes)
	}
}

// TestInvariants checks, for several configurations, that at every step the
// requests offered so far equal those served plus failed plus still queued,
// that in-service never exceeds max, and that the cost is instance-seconds
// × price plus the fixed parts.
func TestInvariants(t *testing.T) {
	t.Parallel()
	cases := map[string]func(*Scenario){
		"preset": nil,
		"basic monitoring": func(s *Scenario) {
			b := false
			s.Group.DetailedMonitoring = &b
		},
		"warm pool":         func(s *Scenario) { s.Group.WarmPool = &WarmPool{Size: 4} },
		"running warm pool": func(s *Scenario) { s.Group.WarmPool = &WarmPool{Size: 3, State: "Running"} },
		"requests metric, step 10": func(s *Scenario) {
			s.Group.Metric = "requests"
			s.Step = 10
		},
		"scheduled": func(s *Scenario) {
			s.Group.ScheduledActions = []ScheduledAction{{At: 100, Min: ip(6), Max: ip(8), Desired: ip(6)}, {At: 2000, Min: ip(2)}}
		},
		"ramp, no retries": func(s *Scenario) {
			s.Load.Phases = []Phase{{Start: 300, Duration: 1200, RPS: 0, RPSEnd: 60}}
			s.Load.RetryShare = 0
		},
	}
	for name, mutate := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c := ticketing(t, productionGraph(t), mutate)
			run := Simulate(c, true)
			var offered, served, failed float64
			for _, p := range run.Timeline {
				dt := float64(c.Scenario.Step)
				offered += p.OfferedRPS * dt
				served += p.ServedRPS * dt
				failed += p.FailedRPS * dt
				if d := offered - (served + failed + p.Queued); math.Abs(d) > 1e-6*math.Max(1, offered) {
					t.Fatalf("t=%d: offered %.3f != served %.3f + failed %.3f + queued %.3f", p.T, offered, served, failed, p.Queued)
				}
				if p.InService > c.Max && len(c.ScheduledActions) == 0 {
					t.Fatalf("t=%d: %d in service above max %d", p.T, p.InService, c.Max)
				}
				if p.InService > 8 {
					t.Fatalf("t=%d: %d in service above every max", p.T, p.InService)
				}
				if p.ServedRPS > p.CapacityRPS+1e-9 {
					t.Fatalf("t=%d: served %.2f above capacity %.2f", p.T, p.ServedRPS, p.CapacityRPS)
				}
			}
			tot := run.Totals
			if math.Abs(tot.Offered-(tot.Served+tot.Failed+tot.QueuedAtEnd)) > 1e-6*tot.Offered {
				t.Errorf("totals do not balance: %+v", tot)
			}
			if math.Abs(tot.Offered-(tot.Demand+(tot.Failed-tot.Abandoned)-tot.RetriesAtEnd)) > 1e-6*tot.Offered {
				t.Errorf("offered %.1f != demand %.1f + retried %.1f - retries pending %.1f", tot.Offered, tot.Demand, tot.Failed-tot.Abandoned, tot.RetriesAtEnd)
			}
			// Billing: at least the instance-seconds of the timeline.
			var inServiceSeconds int64
			for _, p := range run.Timeline {
				inServiceSeconds += int64(p.InService * c.Scenario.Step)
			}
			if tot.InstanceSeconds < inServiceSeconds {
				t.Errorf("billed %d instance-seconds, fewer than the %d in service", tot.InstanceSeconds, inServiceSeconds)
			}
			hour := decimal.NewFromInt(3600)
			want := decimal.NewFromInt(tot.InstanceSeconds).Mul(c.InstanceHour).Div(hour).
				Add(decimal.NewFromInt(int64(c.Scenario.Duration)).Mul(c.ALBHour).Div(hour)).
				Add(decimal.NewFromFloat(tot.LCUHours).Mul(c.LCUHour)).
				Add(decimal.NewFromFloat(tot.NATGB).Mul(c.NATGB))
			if !run.Costs.Total.Equal(want) {
				t.Errorf("cost %s, want %s", run.Costs.Total, want)
			}
		})
	}
}

// TestBillingMinimum: an instance launched and removed within a minute is
// billed 60 seconds.
func TestBillingMinimum(t *testing.T) {
	t.Parallel()
	c := ticketing(t, productionGraph(t), func(s *Scenario) {
		s.Load.Phases = nil
		s.Duration = 600
		s.Group.LaunchSeconds = ip(0)
		s.Group.ScheduledActions = []ScheduledAction{{At: 100, Desired: ip(3)}, {At: 110, Desired: ip(2)}}
	})
	run := Simulate(c, false)
	// 2 instances × 600 s, plus the third: 10 s run, billed 60.
	if got, want := run.Totals.InstanceSeconds, int64(2*600+60); got != want {
		t.Errorf("instance-seconds = %d, want %d", got, want)
	}
	// 1260 s × 0.0416 / 3600 = 0.01456.
	if got := run.Costs.Instances.StringFixed(5); got != "0.01456" {
		t.Errorf("instance cost = %s", got)
	}
}

// TestRunningWarmPoolBilled: a Running pool is billed while it waits, a
// Stopped one is not.
func TestRunningWarmPoolBilled(t *testing.T) {
	t.Parallel()
	at := func(state string) int64 {
		c := ticketing(t, productionGraph(t), func(s *Scenario) {
			s.Load.Phases = nil
			s.Duration = 1000
			s.Group.WarmPool = &WarmPool{Size: 3, State: state}
		})
		return Simulate(c, false).Totals.InstanceSeconds
	}
	if stopped, running := at("Stopped"), at("Running"); stopped != 2*1000 || running != 2*1000+3*1000 {
		t.Errorf("instance-seconds: stopped pool %d, running pool %d", stopped, running)
	}
}

// TestTicketingProduction: with the production group (2 to 8 t3.medium),
// the first added instance serves only after the 5-minute sale is over,
// capacity never meets the demand and most requests fail; the recommended
// pre-warm serves the spike.
func TestTicketingProduction(t *testing.T) {
	t.Parallel()
	c := ticketing(t, productionGraph(t), nil)
	res := Execute(c, true)
	s := res.Summary
	if s.PeakDemandRPS < 1333 || s.PeakDemandRPS > 1334 {
		t.Errorf("peak demand = %.2f, want 1,333.33", s.PeakDemandRPS)
	}
	if s.SecondsToFirstScaleOut == nil || *s.SecondsToFirstScaleOut <= 300 {
		t.Errorf("first scale-out after %v s, want after the 300 s sale", s.SecondsToFirstScaleOut)
	}
	if s.SecondsToCapacity != nil {
		t.Errorf("capacity met after %d s; 8 × 5 req/s cannot meet 1,333", *s.SecondsToCapacity)
	}
	if s.PeakInService > 8 {
		t.Errorf("peak in service %d above max 8", s.PeakInService)
	}
	if s.Served >= s.Failed {
		t.Errorf("served %.0f, failed %.0f: want most requests failing", s.Served, s.Failed)
	}
	if s.TicketsLost < 0.9*s.Tickets {
		t.Errorf("tickets lost %.0f of %.0f", s.TicketsLost, s.Tickets)
	}
	if s.PeakOfferedRPS <= s.PeakDemandRPS {
		t.Errorf("peak offered %.0f not above demand %.0f: retries missing", s.PeakOfferedRPS, s.PeakDemandRPS)
	}
	rec := Recommend(c)
	if rec.Best == nil {
		t.Fatalf("no recommendation serves the spike: %+v", rec.Options)
	}
	if rec.Best.Kind != "scheduled-prewarm" || rec.Best.Failed != 0 {
		t.Errorf("best = %+v, want a scheduled pre-warm with no failures", rec.Best)
	}
	// Check it by running the recommended overrides through the scenario.
	fixed := ticketing(t, productionGraph(t), func(s *Scenario) { s.Group.ScheduledActions = rec.Best.Group.ScheduledActions })
	again := Execute(fixed, false)
	if again.Run.Totals.Failed != 0 {
		t.Errorf("recommended scenario fails %.0f requests", again.Run.Totals.Failed)
	}
	for _, o := range rec.Options {
		if o.Kind == "raise-max" && o.Serves {
			t.Errorf("raising max alone should not serve a spike shorter than the scaling delay: %+v", o)
		}
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	a := Execute(ticketing(t, productionGraph(t), nil), true)
	b := Execute(ticketing(t, productionGraph(t), nil), true)
	if a.Summary.RunCost.String() != b.Summary.RunCost.String() || len(a.Run.Timeline) != len(b.Run.Timeline) {
		t.Fatal("runs differ")
	}
	for i := range a.Run.Timeline {
		if a.Run.Timeline[i] != b.Run.Timeline[i] {
			t.Fatalf("step %d differs", i)
		}
	}
}

// BenchmarkSimulate24h runs 24 hours at one-second steps with the
// production group and a daily spike.
func BenchmarkSimulate24h(b *testing.B) {
	c := ticketing(b, productionGraph(b), func(s *Scenario) {
		s.Duration = 24 * 3600
		s.Load.Phases = []Phase{{Start: 9 * 3600, Duration: 300, Tickets: 80000}, {Start: 12 * 3600, Duration: 3 * 3600, RPS: 5, RPSEnd: 30}}
	})
	b.ReportAllocs()
	for b.Loop() {
		run := Simulate(c, true)
		if len(run.Timeline) != 24*3600 {
			b.Fatal(len(run.Timeline))
		}
	}
}

func ptrTrue() *bool { b := true; return &b }

func catalogFor() (*prices.Catalog, error) { return prices.Default() }
