package simulate

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"
)

// Option is one change the recommendation tried.
type Option struct {
	// Kind is raise-max, warm-pool, scheduled-prewarm or raise-min.
	Kind        string `json:"kind"`
	Description string `json:"description"`
	// Group holds the scenario group overrides that make the change.
	Group             Group           `json:"group"`
	Failed            float64         `json:"failed"`
	TicketsLost       float64         `json:"tickets_lost"`
	SpikeCost         decimal.Decimal `json:"spike_cost"`
	BaselineMonthly   decimal.Decimal `json:"baseline_monthly"`
	MonthlyWithSpikes decimal.Decimal `json:"monthly_with_spikes"`
	// Serves is true when the change serves the run with no failed
	// request.
	Serves bool `json:"serves"`
	// cfg is the configuration with the change made (nil when nothing was
	// simulated).
	cfg *Config
}

// Config returns the configuration with the option's change made, nil
// when the option was not simulated.
func (o *Option) Config() *Config { return o.cfg }

// Recommendation is the cheapest change that serves the spike with no
// failed requests (by the month with spikes), and every option tried.
type Recommendation struct {
	Best    *Option  `json:"best"`
	Options []Option `json:"options"`
}

func ip(v int) *int { return &v }

// MaxRecommendInstances bounds the group sizes Recommend simulates.
const MaxRecommendInstances = 5000

// Recommend searches for the smallest change to the group that serves the
// scenario without a failed request: a larger max alone, a warm pool, a
// scheduled pre-warm before the first phase (the latest start that works,
// searched in 30-second steps), or a larger min. The cheapest option that
// serves wins.
func Recommend(c *Config) *Recommendation {
	rps := c.Scenario.Capacity.RPSPerInstance
	need := int(math.Ceil(c.PeakDemand()/rps - 1e-9))
	if need < c.Min {
		need = c.Min
	}
	maxTo := need
	if c.Max > maxTo {
		maxTo = c.Max
	}
	rec := &Recommendation{}
	if need > MaxRecommendInstances {
		rec.Options = append(rec.Options, Option{Kind: "none", Description: fmt.Sprintf("the peak needs %d instances of %s, more than the %d the search tries", need, c.InstanceType, MaxRecommendInstances)})
		return rec
	}
	try := func(kind, desc string, g Group, mutate func(*Config)) Option {
		cc := *c
		cc.ScheduledActions = append([]ScheduledAction(nil), c.ScheduledActions...)
		mutate(&cc)
		r := Execute(&cc, false)
		return Option{Kind: kind, Description: desc, Group: g, Failed: r.Summary.Failed, TicketsLost: r.Summary.TicketsLost,
			SpikeCost: r.Summary.SpikeCost, BaselineMonthly: r.Summary.BaselineMonthly, MonthlyWithSpikes: r.Summary.MonthlyWithSpikes,
			Serves: r.Run.Totals.Failed < 0.5, cfg: &cc}
	}
	rec.Options = append(rec.Options, try("raise-max",
		fmt.Sprintf("max %d → %d (target tracking as configured)", c.Max, maxTo),
		Group{Max: ip(maxTo)}, func(cc *Config) { cc.Max = maxTo }))
	pool := maxTo - c.Min
	rec.Options = append(rec.Options, try("warm-pool",
		fmt.Sprintf("max %d → %d with a warm pool of %d stopped instances", c.Max, maxTo, pool),
		Group{Max: ip(maxTo), WarmPool: &WarmPool{Size: pool, State: "Stopped", ReadySeconds: DefaultWarmPoolReady}},
		func(cc *Config) {
			cc.Max = maxTo
			cc.WarmPool = &WarmPool{Size: pool, State: "Stopped", ReadySeconds: DefaultWarmPoolReady}
		}))
	// Scheduled pre-warm: min = desired = need from start-lead to the end
	// of the last phase plus the scale-in period, then back to min.
	if start, end, ok := c.phaseSpan(); ok {
		var found *Option
		for lead := 0; lead <= start && lead <= 3600; lead += 30 {
			at := start - lead
			back := end + 300 // retries have died down; target tracking scales in from there
			acts := []ScheduledAction{{At: at, Min: ip(need), Max: ip(maxTo), Desired: ip(need)}, {At: back, Min: ip(c.Min), Max: ip(c.Max)}}
			o := try("scheduled-prewarm",
				fmt.Sprintf("scheduled action %d s before the spike (t=%d): min = desired = %d, max %d; back to min %d at t=%d", lead, at, need, maxTo, c.Min, back),
				Group{ScheduledActions: acts}, func(cc *Config) {
					cc.ScheduledActions = append(cc.ScheduledActions, acts...)
					sortActions(cc.ScheduledActions)
				})
			if o.Serves {
				found = &o
				break
			}
		}
		if found != nil {
			rec.Options = append(rec.Options, *found)
		} else {
			rec.Options = append(rec.Options, Option{Kind: "scheduled-prewarm", Description: "no pre-warm up to an hour ahead serves the spike"})
		}
	}
	rec.Options = append(rec.Options, try("raise-min",
		fmt.Sprintf("min = desired = %d all month", need),
		Group{Min: ip(need), Desired: ip(need), Max: ip(maxTo)},
		func(cc *Config) { cc.Min, cc.Desired, cc.Max = need, need, maxTo }))
	for i := range rec.Options {
		o := &rec.Options[i]
		if o.Serves && (rec.Best == nil || o.MonthlyWithSpikes.LessThan(rec.Best.MonthlyWithSpikes)) {
			rec.Best = o
		}
	}
	if rec.Best != nil {
		b := *rec.Best
		rec.Best = &b
	}
	return rec
}

// phaseSpan returns the start of the first phase and the end of the last.
func (c *Config) phaseSpan() (start, end int, ok bool) {
	for i, p := range c.Scenario.Load.Phases {
		if i == 0 || p.Start < start {
			start = p.Start
		}
		if e := p.Start + p.Duration; e > end {
			end = e
		}
		ok = true
	}
	return start, end, ok
}

func sortActions(a []ScheduledAction) {
	for i := 1; i < len(a); i++ {
		for j := i; j > 0 && a[j].At < a[j-1].At; j-- {
			a[j], a[j-1] = a[j-1], a[j]
		}
	}
}
