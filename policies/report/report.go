// Package report writes the result of a scan in the formats of `vpcgate
// scan --format`: text, json, sarif, junit, gitlab (Code Quality) and
// markdown. Every format is deterministic: the same scan gives the same
// bytes.
package report

import (
	"fmt"
	"io"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/policies"
)

// Version is the version of the JSON output ("version" field).
const Version = "1"

// Formats lists the output formats.
func Formats() []string {
	return []string{"text", "json", "sarif", "junit", "gitlab", "markdown"}
}

// Input is one input the scan read.
type Input struct {
	Path string     `json:"path"`
	Form graph.Form `json:"form"`
}

// Scan is everything a report shows.
type Scan struct {
	Inputs      []Input
	Findings    []policies.Finding
	Diagnostics []graph.Diagnostic
	// Rules are the rules evaluated (SARIF rule metadata, JUnit test cases).
	Rules []policies.Rule
}

// Options tune the output.
type Options struct {
	// Color turns on ANSI colours in the text format (on a terminal).
	Color bool
	// ToolVersion is the vpcgate version written into SARIF.
	ToolVersion string
	// BaseDir is the directory the relative file names of the scan are
	// relative to (the working directory). SARIF and GitLab paths are made
	// relative to Root.
	BaseDir string
	// Root is the repository root; "" = the git top level found upward
	// from BaseDir (RepoRoot), else BaseDir.
	Root string
	// IncludeSuppressed keeps suppressed and baselined findings in SARIF
	// and GitLab output. By default they are left out: GitHub code
	// scanning shows a result with suppressions as an open alert.
	IncludeSuppressed bool
	// Warnings receives notes about what an output format had to leave
	// out (results over GitHub's limit), one a line; nil discards them.
	Warnings io.Writer
}

// Write writes s in format.
func Write(w io.Writer, format string, s *Scan, o Options) error {
	switch format {
	case "text", "":
		return Text(w, s, o)
	case "json":
		return JSON(w, s)
	case "sarif":
		return SARIF(w, s, o)
	case "junit":
		return JUnit(w, s)
	case "gitlab":
		return GitLab(w, s, o)
	case "markdown", "md":
		return Markdown(w, s)
	}
	return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats(), ", "))
}

// Summary counts findings.
type Summary struct {
	// Findings counts every finding, suppressed or not.
	Findings int `json:"findings"`
	// Suppressed counts the suppressed ones.
	Suppressed int `json:"suppressed"`
	// BySeverity counts the unsuppressed, determined findings per severity.
	BySeverity map[policies.Severity]int `json:"by_severity"`
	// Undetermined counts the unsuppressed findings the input left
	// undecided.
	Undetermined int `json:"-"`
}

// Summarize counts the findings of s.
func Summarize(fs []policies.Finding) Summary {
	sum := Summary{Findings: len(fs), BySeverity: map[policies.Severity]int{}}
	for _, sev := range policies.Severities() {
		sum.BySeverity[sev] = 0
	}
	for _, f := range fs {
		switch {
		case f.Suppressed:
			sum.Suppressed++
		case f.Undetermined:
			sum.Undetermined++
		default:
			sum.BySeverity[f.Severity]++
		}
	}
	return sum
}

// Active returns the findings that are neither suppressed nor undetermined.
func (s Summary) Active() int { return s.Findings - s.Suppressed - s.Undetermined }

// severityCounts formats "1 critical, 2 high" (highest first, zeros left out).
func severityCounts(sum Summary) string {
	var parts []string
	sevs := policies.Severities()
	for i := len(sevs) - 1; i >= 0; i-- {
		sev := sevs[i]
		if n := sum.BySeverity[sev]; n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, sev))
		}
	}
	return strings.Join(parts, ", ")
}

func plural(n int, one, many string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, one)
	}
	return fmt.Sprintf("%d %s", n, many)
}
