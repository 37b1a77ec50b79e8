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

	"github.com/shopspring/decimal"

	"github.com/vpcgate/vpcgate/cost"
)

// Side is one configuration of a comparison.
type Side struct {
	// Label names the side ("current", "recommended", a scenario file).
	Label  string
	Result *Result
}

// Comparison is two configurations of the group run side by side on the
// same load.
type Comparison struct {
	Current, Alternative Side
	// Recommendation is the search the alternative came from, if any.
	Recommendation *Recommendation
}

// CompareRecommended runs the current configuration and the recommended
// change on the same load. It fails when no change tried serves the load.
func CompareRecommended(c *Config) (*Comparison, error) {
	rec := Recommend(c)
	if rec.Best == nil || rec.Best.Config() == nil {
		return nil, fmt.Errorf("compare: no change tried serves the load without failed requests (%d options tried)", len(rec.Options))
	}
	cur := Execute(c, true)
	cur.Recommendation = rec
	alt := Execute(rec.Best.Config(), true)
	return &Comparison{
		Current:        Side{Label: "current", Result: cur},
		Alternative:    Side{Label: "recommended: " + rec.Best.Description, Result: alt},
		Recommendation: rec,
	}, nil
}

// CompareConfigs runs two configurations side by side. They must run the
// same window in the same steps (the same load).
func CompareConfigs(a *Config, labelA string, b *Config, labelB string) (*Comparison, error) {
	if a.Scenario.Duration != b.Scenario.Duration || a.Scenario.Step != b.Scenario.Step {
		return nil, fmt.Errorf("compare: the runs differ in length or step (%d s in %d-s steps, %d s in %d-s steps)", a.Scenario.Duration, a.Scenario.Step, b.Scenario.Duration, b.Scenario.Step)
	}
	return &Comparison{Current: Side{Label: labelA, Result: Execute(a, true)}, Alternative: Side{Label: labelB, Result: Execute(b, true)}}, nil
}

// WithGroup returns the scenario with another group: the load, traffic
// and capacity stay, so a second scenario file's group is compared on the
// first one's load.
func (s Scenario) WithGroup(g Group) *Scenario {
	s.Group = g
	return &s
}

type jsonSide struct {
	Label string     `json:"label"`
	Run   jsonResult `json:"run"`
}

type jsonComparison struct {
	Current     jsonSide `json:"current"`
	Alternative jsonSide `json:"alternative"`
	// Difference is alternative minus current.
	Difference jsonDifference `json:"difference"`
}

type jsonDifference struct {
	Failed            float64 `json:"failed"`
	TicketsLost       float64 `json:"tickets_lost"`
	SpikeCost         string  `json:"spike_cost"`
	BaselineMonthly   string  `json:"baseline_monthly"`
	MonthlyWithSpikes string  `json:"monthly_with_spikes"`
}

func signed(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + d.StringFixed(2)
	}
	return d.StringFixed(2)
}

// Difference returns alternative − current of the month with spikes.
func (c *Comparison) Difference() decimal.Decimal {
	return c.Alternative.Result.Summary.MonthlyWithSpikes.Sub(c.Current.Result.Summary.MonthlyWithSpikes)
}

// WriteComparison writes a comparison: table (the two summaries side by
// side), json (both runs with their timelines) or csv (one row a step,
// both timelines).
func WriteComparison(w io.Writer, c *Comparison, format string) error {
	a, b := c.Current.Result, c.Alternative.Result
	var buf bytes.Buffer
	switch format {
	case FormatJSON:
		sa, sb := a.Summary, b.Summary
		out := jsonComparison{
			Current:     jsonSide{Label: c.Current.Label, Run: a.toJSON()},
			Alternative: jsonSide{Label: c.Alternative.Label, Run: b.toJSON()},
			Difference: jsonDifference{Failed: sb.Failed - sa.Failed, TicketsLost: sb.TicketsLost - sa.TicketsLost,
				SpikeCost: signed(sb.SpikeCost.Sub(sa.SpikeCost)), BaselineMonthly: signed(sb.BaselineMonthly.Sub(sa.BaselineMonthly)),
				MonthlyWithSpikes: signed(c.Difference())},
		}
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(out); err != nil {
			return fmt.Errorf("write comparison json: %w", err)
		}
	case FormatCSV:
		cw := csv.NewWriter(&buf)
		cols := []string{"offered_rps", "served_rps", "failed_rps", "capacity_rps", "queued", "in_service", "pending", "desired"}
		head := []string{"t"}
		for _, side := range []string{"current", "alternative"} {
			for _, col := range cols {
				head = append(head, side+"_"+col)
			}
		}
		_ = cw.Write(head)
		pa, pb := a.Run.Timeline, b.Run.Timeline
		for i := 0; i < len(pa) && i < len(pb); i++ {
			row := []string{strconv.Itoa(pa[i].T)}
			for _, p := range []Point{pa[i], pb[i]} {
				row = append(row, f3(p.OfferedRPS), f3(p.ServedRPS), f3(p.FailedRPS), f3(p.CapacityRPS), f3(p.Queued),
					strconv.Itoa(p.InService), strconv.Itoa(p.Pending), strconv.Itoa(p.Desired))
			}
			_ = cw.Write(row)
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return fmt.Errorf("write comparison csv: %w", err)
		}
	case FormatTable, "", "text":
		writeComparisonTable(&buf, c)
	default:
		return fmt.Errorf("unknown simulation format %q (want %s)", format, strings.Join(Formats(), ", "))
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write comparison: %w", err)
	}
	return nil
}

// Instances says "1 instance", "3 instances".
func Instances(n int) string {
	if n == 1 {
		return "1 instance"
	}
	return fmt.Sprintf("%d instances", n)
}

func groupText(c *Config) string {
	s := fmt.Sprintf("%d–%d (desired %d) × %s", c.Min, c.Max, c.Desired, c.InstanceType)
	if c.WarmPool != nil && c.WarmPool.Size > 0 {
		s += fmt.Sprintf(", warm pool %d", c.WarmPool.Size)
	}
	for _, a := range c.ScheduledActions {
		s += fmt.Sprintf(", at t=%d", a.At)
		if a.Desired != nil {
			s += fmt.Sprintf(" desired %d", *a.Desired)
		}
		if a.Min != nil {
			s += fmt.Sprintf(" min %d", *a.Min)
		}
	}
	return s
}

func writeComparisonTable(w io.Writer, c *Comparison) {
	a, b := c.Current.Result, c.Alternative.Result
	sa, sb := a.Summary, b.Summary
	cfg := a.Config
	fmt.Fprintf(w, "Scenario %s: %d s in %d-second steps, %s; the same load on both\n", cfg.Scenario.Name, cfg.Scenario.Duration, cfg.Scenario.Step, cfg.Region)
	fmt.Fprintf(w, "  %s: %s\n", c.Current.Label, groupText(a.Config))
	fmt.Fprintf(w, "  %s: %s\n\n", c.Alternative.Label, groupText(b.Config))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "\t%s\t%s\n", strings.ToUpper(c.Current.Label), strings.ToUpper(firstWord(c.Alternative.Label)))
	row := func(k, x, y string) { fmt.Fprintf(tw, "%s\t%s\t%s\n", k, x, y) }
	cur := sa.Currency
	row("peak in service", Instances(sa.PeakInService), Instances(sb.PeakInService))
	row("capacity met", secsAfter(a), secsAfter(b))
	row("failed attempts", fmt.Sprintf("%.0f", sa.Failed), fmt.Sprintf("%.0f", sb.Failed))
	row("tickets lost", fmt.Sprintf("%.0f of %.0f", sa.TicketsLost, sa.Tickets), fmt.Sprintf("%.0f of %.0f", sb.TicketsLost, sb.Tickets))
	ca, cb := a.Config, b.Config
	row("cost of the spike", ca.approx(sa.SpikeCost.StringFixed(2))+" "+cur, cb.approx(sb.SpikeCost.StringFixed(2))+" "+cur)
	row("monthly baseline", ca.approx(sa.BaselineMonthly.StringFixed(2))+" "+cur, cb.approx(sb.BaselineMonthly.StringFixed(2))+" "+cur)
	row(fmt.Sprintf("monthly with %d spike(s)", sa.SpikesPerMonth), ca.approx(sa.MonthlyWithSpikes.StringFixed(2))+" "+cur, cb.approx(sb.MonthlyWithSpikes.StringFixed(2))+" "+cur)
	row("cost per ticket sold", ca.approx(sa.CostPerTicket.StringFixed(6))+" "+cur, cb.approx(sb.CostPerTicket.StringFixed(6))+" "+cur)
	tw.Flush()
	est := ca.Estimates || cb.Estimates
	diff := signed(c.Difference())
	if est {
		diff = "~" + diff
	}
	fmt.Fprintf(w, "\n%s costs %s %s a month (with %d spike(s)) and loses %.0f tickets a spike instead of %.0f.\n",
		firstWord(c.Alternative.Label), diff, cur, sa.SpikesPerMonth, sb.TicketsLost, sa.TicketsLost)
	if est {
		fmt.Fprintf(w, "\n%s\n", cost.EstimateNote)
	}
}

func firstWord(s string) string {
	if i := strings.IndexAny(s, ":"); i > 0 {
		return s[:i]
	}
	return s
}

func secsAfter(r *Result) string {
	if r.Run.Totals.DemandStart < 0 {
		return "throughout"
	}
	return secs(r.Summary.SecondsToCapacity)
}
