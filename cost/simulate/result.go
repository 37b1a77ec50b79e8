package simulate

import (
	"math"

	"github.com/shopspring/decimal"
)

// Summary is what a person asks of a spike (DESIGN section 7).
type Summary struct {
	PeakOfferedRPS float64 `json:"peak_offered_rps"`
	PeakDemandRPS  float64 `json:"peak_demand_rps"`
	PeakInService  int     `json:"peak_in_service"`
	// SecondsToCapacity from the moment demand outgrew the capacity in
	// service until the capacity in service met the peak demand; nil when
	// it never did.
	SecondsToCapacity *int `json:"seconds_to_capacity"`
	// SecondsToFirstScaleOut from the moment demand outgrew capacity until
	// the first instance added by scaling served; nil when none did.
	SecondsToFirstScaleOut *int    `json:"seconds_to_first_scale_out"`
	Offered                float64 `json:"offered"`
	Served                 float64 `json:"served"`
	Failed                 float64 `json:"failed"`
	Abandoned              float64 `json:"abandoned"`
	// Tickets sold in the phases, and lost: the tickets × the share of the
	// phases' demand that users abandoned.
	Tickets     float64 `json:"tickets"`
	TicketsLost float64 `json:"tickets_lost"`
	// InstanceSeconds billed in the run.
	InstanceSeconds int64   `json:"instance_seconds"`
	LCUHours        float64 `json:"lcu_hours"`
	NATGB           float64 `json:"nat_gb"`
	Currency        string  `json:"currency"`
	// RunCost is the cost of the simulated window; SpikeCost what it costs
	// above the same window without the phases.
	RunCost   decimal.Decimal `json:"run_cost"`
	SpikeCost decimal.Decimal `json:"spike_cost"`
	// BaselineMonthly is the simulated parts (group, load balancer, NAT
	// data) for a 730-hour month of baseline load; MonthlyWithSpikes adds
	// SpikesPerMonth spikes.
	BaselineMonthly   decimal.Decimal `json:"baseline_monthly"`
	SpikesPerMonth    int             `json:"spikes_per_month"`
	MonthlyWithSpikes decimal.Decimal `json:"monthly_with_spikes"`
	// CostPerTicket divides the month with spikes by the tickets sold in it
	// (baseline tickets and the spikes' sold ones).
	CostPerTicket decimal.Decimal `json:"cost_per_ticket"`
}

// Result is a simulation with its baseline and summary.
type Result struct {
	Config   *Config
	Run      *Run
	Baseline *Run
	Summary  Summary
	// Recommendation is set by Recommend.
	Recommendation *Recommendation
}

// Execute simulates the configuration and the same window without its
// phases and scheduled actions (the baseline: the group at rest), and
// summarizes. The spike's cost is the difference, so a scheduled pre-warm
// counts against the spike, not the month.
func Execute(c *Config, keepTimeline bool) *Result {
	run := Simulate(c, keepTimeline)
	bc := *c
	bc.Scenario.Load.Phases = nil
	bc.ScheduledActions = nil // scheduled actions belong to the spike (a pre-warm)
	base := Simulate(&bc, false)
	return &Result{Config: c, Run: run, Baseline: base, Summary: summarize(c, run, base)}
}

func round(f float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(f*p) / p
}

func summarize(c *Config, run, base *Run) Summary {
	t := run.Totals
	s := Summary{
		PeakOfferedRPS: round(t.PeakOfferedRPS, 2), PeakDemandRPS: round(t.PeakDemandRPS, 2), PeakInService: t.PeakInService,
		Offered: round(t.Offered, 0), Served: round(t.Served, 0), Failed: round(t.Failed, 0), Abandoned: round(t.Abandoned, 0),
		InstanceSeconds: t.InstanceSeconds, LCUHours: round(t.LCUHours, 3), NATGB: round(t.NATGB, 3), Currency: c.Currency,
		SpikesPerMonth: c.Scenario.SpikesPerMonth,
	}
	if t.DemandStart >= 0 && t.CapacityMet >= 0 {
		v := t.CapacityMet - t.DemandStart
		s.SecondsToCapacity = &v
	}
	if t.DemandStart >= 0 && t.FirstScaleOut >= 0 {
		v := t.FirstScaleOut - t.DemandStart
		s.SecondsToFirstScaleOut = &v
	}
	// Tickets of the phases, and the share of the phases' demand lost
	// (abandoned requests beyond what the baseline run abandoned).
	var phaseDemand float64
	pl := c.Scenario.Load.PageLoadsPerTicket
	for _, p := range c.Scenario.Load.Phases {
		if p.Tickets > 0 {
			s.Tickets += p.Tickets
		} else {
			avg := p.RPS
			if p.RPSEnd > 0 {
				avg = (p.RPS + p.RPSEnd) / 2
			}
			s.Tickets += avg * float64(p.Duration) / pl
		}
	}
	phaseDemand = t.Demand - base.Totals.Demand
	lost := t.Abandoned - base.Totals.Abandoned
	if phaseDemand > 0 && lost > 0 {
		s.TicketsLost = math.Min(s.Tickets, math.Round(s.Tickets*lost/phaseDemand))
	}
	s.Tickets = math.Round(s.Tickets)
	s.RunCost = run.Costs.Total.Round(2)
	s.SpikeCost = run.Costs.Total.Sub(base.Costs.Total).Round(2)
	// Validation keeps step ≤ duration; a scenario built in code may not.
	secs := decimal.NewFromInt(int64(max(c.Scenario.Duration/max(c.Scenario.Step, 1)*c.Scenario.Step, 1)))
	month := decimal.NewFromInt(730 * 3600)
	baseMonthly := base.Costs.Total.Mul(month).Div(secs)
	s.BaselineMonthly = baseMonthly.Round(2)
	spikes := decimal.NewFromInt(int64(s.SpikesPerMonth))
	withSpikes := baseMonthly.Add(run.Costs.Total.Sub(base.Costs.Total).Mul(spikes))
	s.MonthlyWithSpikes = withSpikes.Round(2)
	baseTickets := c.Scenario.Load.BaselineRPS * 730 * 3600 / pl
	sold := baseTickets + float64(s.SpikesPerMonth)*(s.Tickets-s.TicketsLost)
	if sold >= 1 {
		s.CostPerTicket = withSpikes.Div(decimal.NewFromFloat(math.Round(sold))).Round(6)
	}
	return s
}
