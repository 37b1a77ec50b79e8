package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/policies"
)

func severityIcon(s policies.Severity) string {
	switch s {
	case policies.SeverityCritical:
		return "🟣"
	case policies.SeverityHigh:
		return "🔴"
	case policies.SeverityMedium:
		return "🟠"
	}
	return "🔵"
}

// Markdown writes a pull request comment: a headline with the counts, a
// table of the active findings, then folded sections for undetermined and
// suppressed findings and for diagnostics.
func Markdown(w io.Writer, s *Scan) error {
	sum := Summarize(s.Findings)
	var b strings.Builder
	if sum.Active() == 0 {
		b.WriteString("### ✅ vpcgate: no findings\n\n")
	} else {
		fmt.Fprintf(&b, "### ❌ vpcgate: %s (%s)\n\n", plural(sum.Active(), "finding", "findings"), severityCounts(sum))
	}
	var active, undetermined, suppressed []policies.Finding
	for _, f := range s.Findings {
		switch {
		case f.Suppressed:
			suppressed = append(suppressed, f)
		case f.Undetermined:
			undetermined = append(undetermined, f)
		default:
			active = append(active, f)
		}
	}
	if len(active) > 0 {
		b.WriteString("| Severity | Rule | Resource | Location | Message |\n|---|---|---|---|---|\n")
		for _, f := range active {
			fmt.Fprintf(&b, "| %s %s | `%s` | `%s` | %s | %s |\n", severityIcon(f.Severity), f.Severity, f.RuleID, cell(f.Resource.ID), mdLocation(f.Location()), cell(f.Message))
		}
		b.WriteString("\n")
	}
	if len(undetermined) > 0 {
		fmt.Fprintf(&b, "<details><summary>%s undetermined (the input leaves a value unknown)</summary>\n\n| Rule | Resource | Location | Message |\n|---|---|---|---|\n", plural(len(undetermined), "finding", "findings"))
		for _, f := range undetermined {
			fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s |\n", f.RuleID, cell(f.Resource.ID), mdLocation(f.Location()), cell(f.Message))
		}
		b.WriteString("\n</details>\n\n")
	}
	if len(suppressed) > 0 {
		fmt.Fprintf(&b, "<details><summary>%s suppressed</summary>\n\n| Rule | Resource | Source | Reason |\n|---|---|---|---|\n", plural(len(suppressed), "finding", "findings"))
		for _, f := range suppressed {
			fmt.Fprintf(&b, "| `%s` | `%s` | %s | %s |\n", f.RuleID, cell(f.Resource.ID), f.Suppression.Source, cell(f.Suppression.Reason))
		}
		b.WriteString("\n</details>\n\n")
	}
	if len(s.Diagnostics) > 0 {
		fmt.Fprintf(&b, "<details><summary>%s</summary>\n\n", plural(len(s.Diagnostics), "diagnostic", "diagnostics"))
		for _, d := range s.Diagnostics {
			fmt.Fprintf(&b, "- %s\n", cell(diagnosticText(d)))
		}
		b.WriteString("\n</details>\n\n")
	}
	fmt.Fprintf(&b, "<sub>%s evaluated over %s.</sub>\n", plural(len(s.Rules), "rule", "rules"), plural(len(s.Inputs), "input", "inputs"))
	_, err := io.WriteString(w, b.String())
	return err
}

func mdLocation(r graph.Range) string {
	if r.File == "" {
		return ""
	}
	if r.Start.Line == 0 {
		return "`" + cell(r.File) + "`"
	}
	return fmt.Sprintf("`%s:%d`", cell(r.File), r.Start.Line)
}

// cell escapes text for a Markdown table cell.
func cell(s string) string {
	s = strings.ReplaceAll(s, "\r", "")
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "|", "\\|")
	s = strings.ReplaceAll(s, "<", "&lt;")
	return s
}
