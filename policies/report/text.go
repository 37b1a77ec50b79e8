package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/policies"
)

const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiDim    = "\x1b[2m"
	ansiRed    = "\x1b[31m"
	ansiYellow = "\x1b[33m"
	ansiBlue   = "\x1b[34m"
	ansiPurple = "\x1b[35m"
)

func severityColor(s policies.Severity) string {
	switch s {
	case policies.SeverityCritical:
		return ansiPurple + ansiBold
	case policies.SeverityHigh:
		return ansiRed
	case policies.SeverityMedium:
		return ansiYellow
	}
	return ansiBlue
}

// Text writes findings grouped by file, each with its position, severity,
// rule and message, its related nodes and its suppression, then the
// diagnostics and a summary line. Colours only when o.Color.
func Text(w io.Writer, s *Scan, o Options) error {
	paint := func(code, text string) string {
		if !o.Color || code == "" {
			return text
		}
		return code + text + ansiReset
	}
	var b strings.Builder
	file := "\x00"
	for _, f := range s.Findings {
		loc := f.Location()
		if loc.File != file {
			if file != "\x00" {
				b.WriteString("\n")
			}
			file = loc.File
			name := file
			if name == "" {
				name = "(no file)"
			}
			b.WriteString(paint(ansiBold, name) + "\n")
		}
		sev := string(f.Severity)
		code := severityColor(f.Severity)
		if f.Undetermined {
			sev, code = "undetermined", ansiDim
		}
		line := fmt.Sprintf("  %-8s %s  %s  %s", position(loc), paint(code, fmt.Sprintf("%-12s", sev)), f.RuleID, f.Message)
		if f.Suppressed {
			line = paint(ansiDim, fmt.Sprintf("  %-8s %-12s  %s  %s", position(loc), "suppressed", f.RuleID, f.Message))
		}
		b.WriteString(line + "\n")
		for _, r := range f.Related {
			where := ""
			if !r.Range.IsZero() {
				where = "  " + r.Range.String()
			}
			b.WriteString(paint(ansiDim, fmt.Sprintf("           %s %s: %s%s", r.Kind, r.ID, r.Role, where)) + "\n")
		}
		if f.Suppressed && f.Suppression != nil {
			b.WriteString(paint(ansiDim, fmt.Sprintf("           suppressed (%s): %s", f.Suppression.Source, f.Suppression.Reason)) + "\n")
		}
	}
	if len(s.Diagnostics) > 0 {
		if len(s.Findings) > 0 {
			b.WriteString("\n")
		}
		b.WriteString(paint(ansiBold, "Diagnostics") + "\n")
		for _, d := range s.Diagnostics {
			b.WriteString("  " + diagnosticText(d) + "\n")
		}
	}
	if b.Len() > 0 {
		b.WriteString("\n")
	}
	b.WriteString(summaryLine(Summarize(s.Findings), len(s.Diagnostics), len(s.Rules)) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func position(r graph.Range) string {
	if r.Start.Line == 0 {
		return "-"
	}
	return fmt.Sprintf("%d:%d", r.Start.Line, r.Start.Column)
}

func diagnosticText(d graph.Diagnostic) string {
	s := fmt.Sprintf("%s: %s", d.Severity, d.Summary)
	if d.Detail != "" {
		s += ": " + d.Detail
	}
	if !d.Range.IsZero() {
		s = d.Range.String() + ": " + s
	}
	return s
}

// summaryLine says how many findings there are, by severity.
func summaryLine(sum Summary, diags, rules int) string {
	var b strings.Builder
	active := sum.Active()
	if active == 0 {
		b.WriteString("No findings")
	} else {
		fmt.Fprintf(&b, "%s (%s)", plural(active, "finding", "findings"), severityCounts(sum))
	}
	if sum.Suppressed > 0 {
		fmt.Fprintf(&b, ", %d suppressed", sum.Suppressed)
	}
	if sum.Undetermined > 0 {
		fmt.Fprintf(&b, ", %d undetermined", sum.Undetermined)
	}
	if diags > 0 {
		fmt.Fprintf(&b, ", %s", plural(diags, "diagnostic", "diagnostics"))
	}
	fmt.Fprintf(&b, "; %s evaluated", plural(rules, "rule", "rules"))
	return b.String()
}
