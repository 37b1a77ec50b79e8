package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/policies"
)

// SARIF 2.1.0, following GitHub code scanning's conventions.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool    sarifTool     `json:"tool"`
	Results []sarifResult `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version,omitempty"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string         `json:"id"`
	Name                 string         `json:"name"`
	ShortDescription     sarifText      `json:"shortDescription"`
	FullDescription      sarifText      `json:"fullDescription"`
	Help                 sarifText      `json:"help"`
	HelpURI              string         `json:"helpUri,omitempty"`
	DefaultConfiguration sarifConfig    `json:"defaultConfiguration"`
	Properties           sarifRuleProps `json:"properties"`
}

type sarifConfig struct {
	Level string `json:"level"`
}

type sarifRuleProps struct {
	SecuritySeverity string   `json:"security-severity"`
	Precision        string   `json:"precision"`
	Tags             []string `json:"tags"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	RelatedLocations    []sarifLocation   `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Suppressions        []sarifSupp       `json:"suppressions,omitempty"`
	Properties          *sarifResultProps `json:"properties,omitempty"`
}

type sarifResultProps struct {
	Undetermined bool `json:"undetermined"`
}

type sarifLocation struct {
	ID               *int                   `json:"id,omitempty"`
	PhysicalLocation *sarifPhysical         `json:"physicalLocation,omitempty"`
	LogicalLocations []sarifLogicalLocation `json:"logicalLocations,omitempty"`
	Message          *sarifText             `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

type sarifLogicalLocation struct {
	Name               string `json:"name"`
	FullyQualifiedName string `json:"fullyQualifiedName,omitempty"`
	Kind               string `json:"kind,omitempty"`
}

type sarifSupp struct {
	Kind          string `json:"kind"`
	Status        string `json:"status"`
	Justification string `json:"justification"`
}

// securitySeverity maps a severity to GitHub's 0.0–10.0 scale (critical
// above 9.0, high 7.0–8.9, medium 4.0–6.9, low below 4.0).
func securitySeverity(s policies.Severity) string {
	switch s {
	case policies.SeverityCritical:
		return "9.5"
	case policies.SeverityHigh:
		return "8.0"
	case policies.SeverityMedium:
		return "5.5"
	}
	return "3.0"
}

func sarifLevel(sev policies.Severity) string {
	switch sev {
	case policies.SeverityCritical, policies.SeverityHigh:
		return "error"
	case policies.SeverityMedium:
		return "warning"
	}
	return "note"
}

// SARIF writes a SARIF 2.1.0 log: one run, every evaluated rule with its
// help, security-severity and tags; results with regions (start and end
// line and column), related locations, partial fingerprints and
// suppressions. Undetermined results have level "note".
func SARIF(w io.Writer, s *Scan, o Options) error {
	rules := append([]policies.Rule(nil), s.Rules...)
	index := map[string]int{}
	for i, r := range rules {
		index[r.ID] = i
	}
	// A finding of a rule not listed (should not happen) still gets one.
	for _, f := range s.Findings {
		if _, ok := index[f.RuleID]; !ok {
			index[f.RuleID] = len(rules)
			rules = append(rules, policies.Rule{ID: f.RuleID, Title: f.Title, Description: f.Title, Severity: f.Severity, Remediation: f.Detail})
		}
	}
	driver := sarifDriver{Name: "vpcgate", Version: o.ToolVersion, InformationURI: "https://github.com/vpcgate/vpcgate", Rules: []sarifRule{}}
	for _, r := range rules {
		tags := []string{"security", "aws", "network"}
		if r.Category != "" && r.Category != "network" {
			tags = append(tags, r.Category)
		}
		help := r.Description
		if r.Remediation != "" {
			help += "\n\nRemediation: " + r.Remediation
		}
		md := fmt.Sprintf("**%s** (`%s`, %s)\n\n%s", r.Title, r.ID, r.Severity, r.Description)
		if r.Remediation != "" {
			md += "\n\n**Remediation:** " + r.Remediation
		}
		for _, rr := range r.RelatedResources {
			md += fmt.Sprintf("\n\n- [%s](%s)", orText(rr.Description, rr.URL), rr.URL)
		}
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   r.ID,
			Name:                 ruleName(r.ID),
			ShortDescription:     sarifText{Text: r.Title},
			FullDescription:      sarifText{Text: orText(r.Description, r.Title)},
			Help:                 sarifText{Text: orText(help, r.Title), Markdown: md},
			HelpURI:              r.HelpURI(),
			DefaultConfiguration: sarifConfig{Level: sarifLevel(r.Severity)},
			Properties:           sarifRuleProps{SecuritySeverity: securitySeverity(r.Severity), Precision: "high", Tags: tags},
		})
	}
	run := sarifRun{Tool: sarifTool{Driver: driver}, Results: []sarifResult{}}
	for _, f := range s.Findings {
		res := sarifResult{
			RuleID:              f.RuleID,
			RuleIndex:           index[f.RuleID],
			Level:               sarifLevel(f.Severity),
			Message:             sarifText{Text: f.Message},
			PartialFingerprints: map[string]string{"vpcgateFingerprint/v1": f.Fingerprint},
		}
		if f.Undetermined {
			res.Level = "note"
			res.Properties = &sarifResultProps{Undetermined: true}
		}
		loc := sarifLocation{
			PhysicalLocation: physical(f.Location(), o.BaseDir),
			LogicalLocations: []sarifLogicalLocation{{Name: f.Resource.ID, FullyQualifiedName: string(f.Resource.Kind) + "/" + f.Resource.ID, Kind: "resource"}},
		}
		res.Locations = []sarifLocation{loc}
		for i, r := range f.Related {
			id := i + 1
			res.RelatedLocations = append(res.RelatedLocations, sarifLocation{
				ID:               &id,
				PhysicalLocation: physical(r.Range, o.BaseDir),
				Message:          &sarifText{Text: fmt.Sprintf("%s %s: %s", r.Kind, r.ID, r.Role)},
			})
		}
		if f.Suppressed && f.Suppression != nil {
			kind := "external"
			if f.Suppression.Source == "inline" {
				kind = "inSource"
			}
			res.Suppressions = []sarifSupp{{Kind: kind, Status: "accepted", Justification: f.Suppression.Source + ": " + f.Suppression.Reason}}
		}
		run.Results = append(run.Results, res)
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	return nil
}

func physical(r graph.Range, base string) *sarifPhysical {
	if r.File == "" {
		return nil
	}
	p := &sarifPhysical{ArtifactLocation: sarifArtifact{URI: relPath(base, r.File)}}
	if !strings.HasPrefix(p.ArtifactLocation.URI, "/") {
		p.ArtifactLocation.URIBaseID = "%SRCROOT%"
	}
	if r.Start.Line > 0 {
		reg := &sarifRegion{StartLine: r.Start.Line, StartColumn: r.Start.Column}
		if r.End.Line >= r.Start.Line && r.End.Line > 0 {
			reg.EndLine, reg.EndColumn = r.End.Line, r.End.Column
		}
		p.Region = reg
	}
	return p
}

// ruleName turns "only-lb-public" into "OnlyLbPublic", SARIF's
// reportingDescriptor name convention.
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '_' }) {
		b.WriteString(strings.ToUpper(part[:1]) + part[1:])
	}
	return b.String()
}

func orText(s, fallback string) string {
	if strings.TrimSpace(s) == "" {
		return fallback
	}
	return s
}
