package diff

import (
	"fmt"

	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/policies"
)

// Gate decides whether a change fails a check.
type Gate struct {
	// FailOnNew fails on a new (or no longer suppressed) determined
	// finding at or above its level; the zero value never fails.
	FailOnNew policies.FailOn
	// FailOnExposure fails on any new internet exposure: a port range
	// opened, or a reachable range admitting sources it did not.
	FailOnExposure bool
	// FailOnIncrease fails when the monthly cost rises by more than it.
	FailOnIncrease *cost.Threshold
}

// Check returns why d fails the gate (nil when it passes). A cost gate on
// a comparison without costs is an error.
func (g Gate) Check(d *Diff) ([]string, error) {
	var why []string
	if g.FailOnNew.Min != "" {
		var added []policies.Finding
		for _, f := range d.Findings {
			if f.Status == New || f.Status == Unsuppressed {
				added = append(added, f.Finding)
			}
		}
		n := 0
		for _, f := range added {
			if g.FailOnNew.Fails([]policies.Finding{f}) {
				n++
			}
		}
		if n > 0 {
			why = append(why, fmt.Sprintf("%s at or above %s (--fail-on-new)", plural(n, "new finding", "new findings"), g.FailOnNew.Min))
		}
	}
	if g.FailOnExposure {
		n := 0
		for _, e := range d.Exposure {
			if e.Change == Opened || (e.Change == SourcesChanged && widened(e.BaseSources, e.Sources)) {
				n++
			}
		}
		if n > 0 {
			why = append(why, fmt.Sprintf("%s newly reachable from the internet (--fail-on-exposure)", plural(n, "port range", "port ranges")))
		}
	}
	if g.FailOnIncrease != nil {
		if d.Cost == nil {
			if d.CostErr != nil {
				return why, fmt.Errorf("--fail-on-increase: cost not compared: %w", d.CostErr)
			}
			return why, fmt.Errorf("--fail-on-increase: cost not compared")
		}
		if g.FailOnIncrease.Exceeded(d.Cost.Diff) {
			why = append(why, fmt.Sprintf("monthly cost rises by %s %s (%s), over --fail-on-increase", money(d.Cost.Delta), d.Cost.Currency, percentText(d.Cost)))
		}
	}
	return why, nil
}

// widened reports whether head admits a source base did not.
func widened(base, head []string) bool {
	had := map[string]bool{}
	for _, s := range base {
		had[s] = true
	}
	for _, s := range head {
		if !had[s] {
			return true
		}
	}
	return false
}
