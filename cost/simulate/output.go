package simulate

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/vpcgate/vpcgate/cost"
)

// Output formats.
const (
	FormatTable = "table"
	FormatJSON  = "json"
	FormatCSV   = "csv"
)

// Formats lists the output formats of Write.
func Formats() []string { return []string{FormatTable, FormatJSON, FormatCSV} }

type jsonSummary struct {
	PeakOfferedRPS         float64 `json:"peak_offered_rps"`
	PeakDemandRPS          float64 `json:"peak_demand_rps"`
	PeakInService          int     `json:"peak_in_service"`
	SecondsToCapacity      *int    `json:"seconds_to_capacity"`
	SecondsToFirstScaleOut *int    `json:"seconds_to_first_scale_out"`
	Offered                float64 `json:"offered"`
	Served                 float64 `json:"served"`
	Failed                 float64 `json:"failed"`
	Abandoned              float64 `json:"abandoned"`
	Tickets                float64 `json:"tickets"`
	TicketsLost            float64 `json:"tickets_lost"`
	InstanceSeconds        int64   `json:"instance_seconds"`
	LCUHours               float64 `json:"lcu_hours"`
	NATGB                  float64 `json:"nat_gb"`
	Currency               string  `json:"currency"`
	RunCost                string  `json:"run_cost"`
	SpikeCost              string  `json:"spike_cost"`
	BaselineMonthly        string  `json:"baseline_monthly"`
	SpikesPerMonth         int     `json:"spikes_per_month"`
	MonthlyWithSpikes      string  `json:"monthly_with_spikes"`
	CostPerTicket          string  `json:"cost_per_ticket"`
}

type jsonGroup struct {
	ID                 string            `json:"id"`
	LoadBalancer       string            `json:"load_balancer,omitempty"`
	Min                int               `json:"min"`
	Max                int               `json:"max"`
	Desired            int               `json:"desired"`
	InstanceType       string            `json:"instance_type"`
	InstanceHour       string            `json:"instance_hour"`
	Metric             string            `json:"metric"`
	TargetValue        float64           `json:"target_value"`
	PeriodSeconds      int               `json:"period_seconds"`
	ScaleOutDatapoints int               `json:"scale_out_datapoints"`
	ScaleInDatapoints  int               `json:"scale_in_datapoints"`
	LaunchSeconds      int               `json:"launch_seconds"`
	BootSeconds        int               `json:"boot_seconds"`
	HealthCheckSeconds int               `json:"health_check_seconds"`
	WarmupSeconds      int               `json:"warmup_seconds"`
	WarmPool           *WarmPool         `json:"warm_pool,omitempty"`
	ScheduledActions   []ScheduledAction `json:"scheduled_actions,omitempty"`
}

type jsonOption struct {
	Kind              string  `json:"kind"`
	Description       string  `json:"description"`
	Group             Group   `json:"group"`
	Serves            bool    `json:"serves"`
	Failed            float64 `json:"failed"`
	TicketsLost       float64 `json:"tickets_lost"`
	SpikeCost         string  `json:"spike_cost"`
	BaselineMonthly   string  `json:"baseline_monthly"`
	MonthlyWithSpikes string  `json:"monthly_with_spikes"`
}

type jsonRecommendation struct {
	Best    *jsonOption  `json:"best"`
	Options []jsonOption `json:"options"`
}

type jsonResult struct {
	Scenario string `json:"scenario"`
	Region   string `json:"region"`
	// Estimate is set when a price the run uses is an estimate (its
	// amounts then are too); Footnotes then carries the estimate note.
	Estimate       bool                `json:"estimate"`
	Footnotes      []string            `json:"footnotes"`
	Group          jsonGroup           `json:"group"`
	Notes          []string            `json:"notes"`
	Summary        jsonSummary         `json:"summary"`
	Timeline       []Point             `json:"timeline"`
	Recommendation *jsonRecommendation `json:"recommendation"`
}

func toJSONOption(o Option) jsonOption {
	return jsonOption{Kind: o.Kind, Description: o.Description, Group: o.Group, Serves: o.Serves, Failed: o.Failed, TicketsLost: o.TicketsLost,
		SpikeCost: o.SpikeCost.StringFixed(2), BaselineMonthly: o.BaselineMonthly.StringFixed(2), MonthlyWithSpikes: o.MonthlyWithSpikes.StringFixed(2)}
}

func (r *Result) toJSON() jsonResult {
	c, s := r.Config, r.Summary
	out := jsonResult{
		Scenario: c.Scenario.Name, Region: c.Region, Notes: append([]string{}, c.Notes...), Estimate: c.Estimates, Footnotes: footnotes(c.Estimates),
		Group: jsonGroup{ID: c.Group, LoadBalancer: c.LoadBalancer, Min: c.Min, Max: c.Max, Desired: c.Desired, InstanceType: c.InstanceType,
			InstanceHour: c.InstanceHour.String(), Metric: c.Metric, TargetValue: c.TargetValue, PeriodSeconds: c.Period,
			ScaleOutDatapoints: c.ScaleOutDatapoints, ScaleInDatapoints: c.ScaleInDatapoints, LaunchSeconds: c.LaunchSeconds,
			BootSeconds: c.BootSeconds, HealthCheckSeconds: c.HealthCheckSeconds, WarmupSeconds: c.WarmupSeconds,
			WarmPool: c.WarmPool, ScheduledActions: c.ScheduledActions},
		Summary: jsonSummary{PeakOfferedRPS: s.PeakOfferedRPS, PeakDemandRPS: s.PeakDemandRPS, PeakInService: s.PeakInService,
			SecondsToCapacity: s.SecondsToCapacity, SecondsToFirstScaleOut: s.SecondsToFirstScaleOut, Offered: s.Offered,
			Served: s.Served, Failed: s.Failed, Abandoned: s.Abandoned, Tickets: s.Tickets, TicketsLost: s.TicketsLost,
			InstanceSeconds: s.InstanceSeconds, LCUHours: s.LCUHours, NATGB: s.NATGB, Currency: s.Currency,
			RunCost: s.RunCost.StringFixed(2), SpikeCost: s.SpikeCost.StringFixed(2), BaselineMonthly: s.BaselineMonthly.StringFixed(2),
			SpikesPerMonth: s.SpikesPerMonth, MonthlyWithSpikes: s.MonthlyWithSpikes.StringFixed(2), CostPerTicket: s.CostPerTicket.StringFixed(6)},
		Timeline: []Point{},
	}
	for _, p := range r.Run.Timeline {
		out.Timeline = append(out.Timeline, roundPoint(p))
	}
	if rec := r.Recommendation; rec != nil {
		jr := &jsonRecommendation{Options: []jsonOption{}}
		if rec.Best != nil {
			b := toJSONOption(*rec.Best)
			jr.Best = &b
		}
		for _, o := range rec.Options {
			jr.Options = append(jr.Options, toJSONOption(o))
		}
		out.Recommendation = jr
	}
	return out
}

// roundPoint rounds rates to 3 decimals so output stays readable and
// byte-stable.
func roundPoint(p Point) Point {
	p.OfferedRPS = round(p.OfferedRPS, 3)
	p.ServedRPS = round(p.ServedRPS, 3)
	p.FailedRPS = round(p.FailedRPS, 3)
	p.CapacityRPS = round(p.CapacityRPS, 3)
	p.Queued = round(p.Queued, 3)
	return p
}

func f3(v float64) string { return strconv.FormatFloat(round(v, 3), 'f', -1, 64) }

// Write writes the result: table (summary, recommendation), json (DESIGN
// section 7: scenario, summary, timeline, recommendation) or csv (the
// timeline).
func Write(w io.Writer, r *Result, format string) error {
	var buf bytes.Buffer
	switch format {
	case FormatJSON:
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(r.toJSON()); err != nil {
			return fmt.Errorf("write simulation json: %w", err)
		}
	case FormatCSV:
		cw := csv.NewWriter(&buf)
		_ = cw.Write([]string{"t", "offered_rps", "served_rps", "failed_rps", "capacity_rps", "queued", "in_service", "pending", "desired"})
		for _, p := range r.Run.Timeline {
			_ = cw.Write([]string{strconv.Itoa(p.T), f3(p.OfferedRPS), f3(p.ServedRPS), f3(p.FailedRPS), f3(p.CapacityRPS), f3(p.Queued),
				strconv.Itoa(p.InService), strconv.Itoa(p.Pending), strconv.Itoa(p.Desired)})
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("write simulation csv: %w", err)
		}
	case FormatTable, "", "text":
		writeTable(&buf, r)
	default:
		return fmt.Errorf("unknown simulation format %q (want %s)", format, strings.Join(Formats(), ", "))
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write simulation: %w", err)
	}
	return nil
}

func secs(p *int) string {
	if p == nil {
		return "never"
	}
	return fmt.Sprintf("%d s", *p)
}

func writeTable(w io.Writer, r *Result) {
	c, s := r.Config, r.Summary
	grp := c.Group
	if grp == "" {
		grp = "(default group)"
	}
	fmt.Fprintf(w, "Scenario %s: %d s in %d-second steps, %s\n", c.Scenario.Name, c.Scenario.Duration, c.Scenario.Step, c.Region)
	fmt.Fprintf(w, "Group %s: %d–%d (desired %d) × %s at %s %s/h; target tracking %s %.0f, %d-s datapoints, %d to scale out, %d to scale in;\n",
		grp, c.Min, c.Max, c.Desired, c.InstanceType, c.approx(c.InstanceHour.String()), c.Currency, c.Metric, c.TargetValue, c.Period, c.ScaleOutDatapoints, c.ScaleInDatapoints)
	fmt.Fprintf(w, "  new instance serves after %d s launch + %d s boot + %d s health check; warm-up %d s; %.4g req/s per instance\n",
		c.LaunchSeconds, c.BootSeconds, c.HealthCheckSeconds, c.WarmupSeconds, c.Scenario.Capacity.RPSPerInstance)
	for _, n := range c.Notes {
		fmt.Fprintf(w, "  note: %s\n", n)
	}
	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	row := func(k, v string) { fmt.Fprintf(tw, "%s\t%s\n", k, v) }
	row("peak demand", f3(s.PeakDemandRPS)+" req/s")
	row("peak offered (with retries)", f3(s.PeakOfferedRPS)+" req/s")
	row("peak in service", fmt.Sprintf("%s (%.4g req/s)", Instances(s.PeakInService), float64(s.PeakInService)*c.Scenario.Capacity.RPSPerInstance))
	if r.Run.Totals.DemandStart < 0 {
		row("first added instance serving", "n/a: demand never outgrew the capacity in service")
		row("capacity met", "throughout")
	} else {
		row("first added instance serving", secs(s.SecondsToFirstScaleOut)+fmt.Sprintf(" after demand outgrew capacity (t=%d)", r.Run.Totals.DemandStart))
		row("capacity met", secs(s.SecondsToCapacity))
	}
	row("requests offered", fmt.Sprintf("%.0f", s.Offered))
	row("served", fmt.Sprintf("%.0f", s.Served))
	row("failed attempts", fmt.Sprintf("%.0f (%.0f abandoned, the rest retried)", s.Failed, s.Abandoned))
	row("tickets lost", fmt.Sprintf("%.0f of %.0f", s.TicketsLost, s.Tickets))
	row("instance-seconds", strconv.FormatInt(s.InstanceSeconds, 10))
	row("cost of the run", c.approx(s.RunCost.StringFixed(2))+" "+s.Currency)
	row("cost of the spike", c.approx(s.SpikeCost.StringFixed(2))+" "+s.Currency)
	row("monthly baseline", c.approx(s.BaselineMonthly.StringFixed(2))+" "+s.Currency)
	row(fmt.Sprintf("monthly with %d spike(s)", s.SpikesPerMonth), c.approx(s.MonthlyWithSpikes.StringFixed(2))+" "+s.Currency)
	row("cost per ticket sold", c.approx(s.CostPerTicket.StringFixed(6))+" "+s.Currency)
	tw.Flush()
	if rec := r.Recommendation; rec != nil {
		fmt.Fprintln(w, "\nChanges tried (cheapest that serves with no failed request wins):")
		tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "  OPTION\tSERVES\tFAILED\tSPIKE COST\tMONTHLY WITH SPIKES\tCHANGE")
		for _, o := range rec.Options {
			fmt.Fprintf(tw, "  %s\t%v\t%.0f\t%s\t%s\t%s\n", o.Kind, o.Serves, o.Failed, c.approx(o.SpikeCost.StringFixed(2)), c.approx(o.MonthlyWithSpikes.StringFixed(2)), o.Description)
		}
		tw.Flush()
		if rec.Best != nil {
			fmt.Fprintf(w, "\nRecommended: %s — %s %s a month with %d spike(s).\n", rec.Best.Description, c.approx(rec.Best.MonthlyWithSpikes.StringFixed(2)), c.Currency, s.SpikesPerMonth)
		} else {
			fmt.Fprintln(w, "\nNo change tried serves the spike without failed requests.")
		}
	}
	if c.Estimates {
		fmt.Fprintf(w, "\n%s\n", cost.EstimateNote)
	}
}

// approx puts "~" before a figure computed from an estimated price.
func (c *Config) approx(s string) string {
	if c.Estimates {
		return "~" + s
	}
	return s
}

// footnotes are the notes of the JSON outputs: the estimate note when a
// price used is an estimate.
func footnotes(estimate bool) []string {
	if estimate {
		return []string{cost.EstimateNote}
	}
	return []string{}
}
