package analyzer

import (
	"fmt"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// maxRepeats is how many diagnostics of one cause one file may give
// before they are grouped.
const maxRepeats = 10

// groupRepeats groups the diagnostics of an input that repeat one cause
// (the same severity, summary and detail) in one file more than maxRepeats times:
// the first is kept, saying how many more there are, so that two thousand
// resources naming the same undeclared variable are one line, not six
// thousand. Other diagnostics are left as they are, in order.
func groupRepeats(diags []graph.Diagnostic) []graph.Diagnostic {
	type cause struct {
		file            string
		sev             graph.Severity
		summary, detail string
	}
	count := make(map[cause]int, len(diags))
	over := false
	for _, d := range diags {
		k := cause{d.Range.File, d.Severity, d.Summary, d.Detail}
		count[k]++
		over = over || count[k] > maxRepeats
	}
	if !over {
		return diags
	}
	out := make([]graph.Diagnostic, 0, len(count))
	kept := map[cause]bool{}
	for _, d := range diags {
		k := cause{d.Range.File, d.Severity, d.Summary, d.Detail}
		n := count[k]
		if n <= maxRepeats {
			out = append(out, d)
			continue
		}
		if kept[k] {
			continue
		}
		kept[k] = true
		d.Summary += fmt.Sprintf(" (and %d more in this file)", n-1)
		out = append(out, d)
	}
	return out
}
