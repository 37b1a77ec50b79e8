package report

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/policies"
)

type jsonPos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

type jsonLocation struct {
	File  string  `json:"file"`
	Start jsonPos `json:"start"`
	End   jsonPos `json:"end"`
}

func location(r graph.Range) *jsonLocation {
	if r.IsZero() {
		return nil
	}
	return &jsonLocation{File: r.File, Start: jsonPos{r.Start.Line, r.Start.Column}, End: jsonPos{r.End.Line, r.End.Column}}
}

type jsonRelated struct {
	ID       string        `json:"id"`
	Kind     graph.Kind    `json:"kind"`
	Role     string        `json:"role"`
	Location *jsonLocation `json:"location"`
}

type jsonSuppression struct {
	Reason string `json:"reason"`
	Source string `json:"source"`
}

type jsonFinding struct {
	RuleID       string            `json:"rule_id"`
	Severity     policies.Severity `json:"severity"`
	Title        string            `json:"title"`
	Message      string            `json:"message"`
	Resource     policies.Resource `json:"resource"`
	Location     *jsonLocation     `json:"location"`
	Related      []jsonRelated     `json:"related"`
	Undetermined bool              `json:"undetermined,omitempty"`
	Suppressed   bool              `json:"suppressed"`
	Suppression  *jsonSuppression  `json:"suppression"`
	Fingerprint  string            `json:"fingerprint"`
}

type jsonDiagnostic struct {
	Severity graph.Severity `json:"severity"`
	Message  string         `json:"message"`
	Location *jsonLocation  `json:"location"`
}

type jsonScan struct {
	Version     string           `json:"version"`
	Inputs      []Input          `json:"inputs"`
	Findings    []jsonFinding    `json:"findings"`
	Diagnostics []jsonDiagnostic `json:"diagnostics"`
	Summary     Summary          `json:"summary"`
}

// JSON writes the scan in the shape of DESIGN section 7: version, inputs,
// findings, diagnostics and summary. Lists are never null; a finding
// without a position has a null location; undetermined findings carry
// "undetermined": true.
func JSON(w io.Writer, s *Scan) error {
	out := jsonScan{
		Version:     Version,
		Inputs:      append([]Input{}, s.Inputs...),
		Findings:    []jsonFinding{},
		Diagnostics: []jsonDiagnostic{},
		Summary:     Summarize(s.Findings),
	}
	for _, f := range s.Findings {
		jf := jsonFinding{
			RuleID: f.RuleID, Severity: f.Severity, Title: f.Title, Message: f.Message,
			Resource: f.Resource, Location: location(f.Location()), Related: []jsonRelated{},
			Undetermined: f.Undetermined, Suppressed: f.Suppressed, Fingerprint: f.Fingerprint,
		}
		for _, r := range f.Related {
			jf.Related = append(jf.Related, jsonRelated{ID: r.ID, Kind: r.Kind, Role: r.Role, Location: location(r.Range)})
		}
		if f.Suppression != nil {
			jf.Suppression = &jsonSuppression{Reason: f.Suppression.Reason, Source: f.Suppression.Source}
		}
		out.Findings = append(out.Findings, jf)
	}
	for _, d := range s.Diagnostics {
		msg := d.Summary
		if d.Detail != "" {
			msg += ": " + d.Detail
		}
		out.Diagnostics = append(out.Diagnostics, jsonDiagnostic{Severity: d.Severity, Message: msg, Location: location(d.Range)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}
