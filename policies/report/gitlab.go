package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/vpcgate/vpcgate/policies"
)

// GitLab Code Quality (a subset of the Code Climate issue format) as
// GitLab's merge request widget and diff view read it.
type gitlabIssue struct {
	Type        string         `json:"type"`
	CheckName   string         `json:"check_name"`
	Description string         `json:"description"`
	Content     *gitlabContent `json:"content,omitempty"`
	Categories  []string       `json:"categories"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabContent struct {
	Body string `json:"body"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
	End   int `json:"end,omitempty"`
}

// gitlabSeverity maps a severity to GitLab's scale (info, minor, major,
// critical, blocker).
func gitlabSeverity(f policies.Finding) string {
	if f.Undetermined {
		return "info"
	}
	switch f.Severity {
	case policies.SeverityCritical:
		return "blocker"
	case policies.SeverityHigh:
		return "critical"
	case policies.SeverityMedium:
		return "major"
	}
	return "minor"
}

// GitLab writes a GitLab Code Quality report: one issue per finding with
// its rule as check_name, the finding's fingerprint (stable across line
// moves), a severity on GitLab's scale and the path relative to the
// repository root (Options.Root or BaseDir as for SARIF), so merge requests
// show findings on the changed lines. Suppressed and baselined findings
// are left out unless o.IncludeSuppressed; findings without a file (live
// input) cannot be placed and are left out, counted on o.Warnings.
func GitLab(w io.Writer, s *Scan, o Options) error {
	p := newPaths(o)
	issues := []gitlabIssue{}
	seen := map[string]int{}
	unplaced := 0
	for _, f := range s.Findings {
		if f.Suppressed && !o.IncludeSuppressed {
			continue
		}
		loc := f.Location()
		if loc.File == "" {
			unplaced++
			continue
		}
		path, _ := p.rel(loc.File)
		fp := f.Fingerprint
		// Fingerprints are unique per report; two findings sharing one
		// (a user policy with a constant key) are told apart by order.
		if n := seen[fp]; n > 0 {
			fp = fmt.Sprintf("%s-%d", fp, n)
		}
		seen[f.Fingerprint]++
		is := gitlabIssue{
			Type:        "issue",
			CheckName:   f.RuleID,
			Description: f.Message,
			Categories:  []string{"Security"},
			Fingerprint: fp,
			Severity:    gitlabSeverity(f),
			Location:    gitlabLocation{Path: path, Lines: gitlabLines{Begin: max(loc.Start.Line, 1)}},
		}
		if loc.End.Line > loc.Start.Line {
			is.Location.Lines.End = loc.End.Line
		}
		if body := gitlabBody(f); body != "" {
			is.Content = &gitlabContent{Body: body}
		}
		issues = append(issues, is)
	}
	if unplaced > 0 && o.Warnings != nil {
		fmt.Fprintf(o.Warnings, "vpcgate: gitlab: %s without a file left out (GitLab places an issue in a file)\n", plural(unplaced, "finding", "findings"))
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(issues); err != nil {
		return fmt.Errorf("write gitlab report: %w", err)
	}
	return nil
}

// gitlabBody is the Markdown detail of an issue: the rule, the related
// nodes and the remediation.
func gitlabBody(f policies.Finding) string {
	body := fmt.Sprintf("**%s** (`%s`, %s)", f.Title, f.RuleID, f.Severity)
	if f.Undetermined {
		body += ", undetermined: the input leaves a value unknown"
	}
	for _, r := range f.Related {
		body += fmt.Sprintf("\n- %s `%s`: %s", kindWords(r.Kind), r.ID, r.Role)
	}
	if f.Detail != "" {
		body += "\n\n**Remediation:** " + f.Detail
	}
	return body
}
