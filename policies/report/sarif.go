package report

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"unicode/utf16"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/policies"
)

// GitHub code scanning's limits (docs: "SARIF support for code scanning",
// "SARIF results exceed limit").
const (
	// MaxSARIFResults is the most results GitHub accepts in one run.
	MaxSARIFResults = 25000
	// maxSARIFText is the most characters GitHub keeps of a rule's short
	// and full description; result messages are held to it too.
	maxSARIFText = 1024
	// maxSARIFRelated bounds the related locations of one result (GitHub
	// rejects more than 1,000 and shows 100).
	maxSARIFRelated = 100
)

// srcRoot is the uriBaseId of artifact URIs relative to the repository.
const srcRoot = "%SRCROOT%"

// SARIF 2.1.0, following GitHub code scanning's conventions.
type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                `json:"tool"`
	Invocations        []sarifInvocation        `json:"invocations"`
	OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult            `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	Version         string      `json:"version,omitempty"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifInvocation struct {
	ExecutionSuccessful bool                `json:"executionSuccessful"`
	Notifications       []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
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
	CodeFlows           []sarifCodeFlow   `json:"codeFlows,omitempty"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Suppressions        []sarifSupp       `json:"suppressions,omitempty"`
	Properties          *sarifResultProps `json:"properties,omitempty"`
}

type sarifResultProps struct {
	Undetermined bool `json:"undetermined"`
}

type sarifCodeFlow struct {
	Message     sarifText         `json:"message"`
	ThreadFlows []sarifThreadFlow `json:"threadFlows"`
}

type sarifThreadFlow struct {
	Locations []sarifThreadFlowLocation `json:"locations"`
}

type sarifThreadFlowLocation struct {
	Location       sarifLocation `json:"location"`
	ExecutionOrder int           `json:"executionOrder"`
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

// SARIF writes a SARIF 2.1.0 log for GitHub code scanning: one run, every
// evaluated rule with its help, security-severity and tags; results with
// regions, artifact URIs relative to the repository root (%SRCROOT%, with
// originalUriBaseIds), related locations linked from the message, the
// reachability path of an exposure as a code flow, and partial
// fingerprints. Suppressed and baselined findings are left out unless
// o.IncludeSuppressed (then they carry suppressions); undetermined
// results have level "note". Input diagnostics are
// toolExecutionNotifications. Descriptions and messages are cut to 1,024
// characters, and a scan with more than 25,000 results keeps the most
// severe ones and says so in a notification and on o.Warnings.
func SARIF(w io.Writer, s *Scan, o Options) error {
	p := newPaths(o)
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
	driver := sarifDriver{
		Name: "vpcgate", Version: o.ToolVersion, SemanticVersion: semanticVersion(o.ToolVersion),
		InformationURI: "https://github.com/vpcgate/vpcgate", Rules: []sarifRule{},
	}
	for _, r := range rules {
		driver.Rules = append(driver.Rules, sarifRuleOf(r))
	}

	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, d := range s.Diagnostics {
		n := sarifNotification{Level: notificationLevel(d.Severity), Message: sarifText{Text: limitText(diagnosticMessage(d), maxSARIFText)}}
		if pl := p.physical(d.Range); pl != nil {
			n.Locations = []sarifLocation{{PhysicalLocation: pl}}
		}
		if d.Severity == graph.SeverityError {
			inv.ExecutionSuccessful = false
		}
		inv.Notifications = append(inv.Notifications, n)
	}

	findings := make([]policies.Finding, 0, len(s.Findings))
	suppressed := 0
	for _, f := range s.Findings {
		if f.Suppressed && !o.IncludeSuppressed {
			suppressed++
			continue
		}
		findings = append(findings, f)
	}
	if suppressed > 0 {
		inv.Notifications = append(inv.Notifications, sarifNotification{Level: "note", Message: sarifText{Text: fmt.Sprintf(
			"%s left out: GitHub code scanning shows a suppressed result as an open alert (include them with --include-suppressed)",
			plural(suppressed, "suppressed or baselined finding", "suppressed or baselined findings"))}})
	}
	if len(findings) > MaxSARIFResults {
		total := len(findings)
		findings = mostSevere(findings, MaxSARIFResults)
		note := fmt.Sprintf("%d of %d results left out: GitHub code scanning accepts at most %d results in a run; the most severe are kept. Narrow the scan (--rule, --severity, fewer paths) to see the rest",
			total-len(findings), total, MaxSARIFResults)
		inv.Notifications = append(inv.Notifications, sarifNotification{Level: "warning", Message: sarifText{Text: note}})
		if o.Warnings != nil {
			fmt.Fprintf(o.Warnings, "vpcgate: sarif: %s\n", note)
		}
	}

	run := sarifRun{Tool: sarifTool{Driver: driver}, Invocations: []sarifInvocation{inv}, Results: []sarifResult{}}
	if p.root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifact{srcRoot: {URI: strings.TrimSuffix(fileURI(filepath.ToSlash(p.root)), "/") + "/"}}
	}
	for _, f := range findings {
		run.Results = append(run.Results, p.result(f, index[f.RuleID]))
	}
	log := sarifLog{Schema: "https://json.schemastore.org/sarif-2.1.0.json", Version: "2.1.0", Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	return nil
}

func sarifRuleOf(r policies.Rule) sarifRule {
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
	return sarifRule{
		ID:                   r.ID,
		Name:                 ruleName(r.ID),
		ShortDescription:     sarifText{Text: limitText(orText(r.Title, r.ID), maxSARIFText)},
		FullDescription:      sarifText{Text: limitText(orText(r.Description, orText(r.Title, r.ID)), maxSARIFText)},
		Help:                 sarifText{Text: orText(help, orText(r.Title, r.ID)), Markdown: md},
		HelpURI:              r.HelpURI(),
		DefaultConfiguration: sarifConfig{Level: sarifLevel(r.Severity)},
		Properties:           sarifRuleProps{SecuritySeverity: securitySeverity(r.Severity), Precision: "high", Tags: tags},
	}
}

// result converts one finding.
func (p paths) result(f policies.Finding, ruleIndex int) sarifResult {
	res := sarifResult{
		RuleID:              f.RuleID,
		RuleIndex:           ruleIndex,
		Level:               sarifLevel(f.Severity),
		PartialFingerprints: map[string]string{"vpcgateFingerprint/v1": f.Fingerprint},
	}
	if f.Undetermined {
		res.Level = "note"
		res.Properties = &sarifResultProps{Undetermined: true}
	}
	res.Locations = []sarifLocation{{
		PhysicalLocation: p.physical(f.Location()),
		LogicalLocations: []sarifLogicalLocation{{Name: f.Resource.ID, FullyQualifiedName: string(f.Resource.Kind) + "/" + f.Resource.ID, Kind: "resource"}},
	}}

	// Related locations, each linked from the message by its id.
	var links []string
	for _, r := range f.Related {
		label := kindWords(r.Kind) + " " + r.ID
		pl := p.physical(r.Range)
		if pl == nil || len(res.RelatedLocations) == maxSARIFRelated {
			links = append(links, escapeMessage(label))
			continue
		}
		id := len(res.RelatedLocations) + 1
		msg := label
		if r.Role != "" {
			msg += ": " + r.Role
		}
		res.RelatedLocations = append(res.RelatedLocations, sarifLocation{ID: &id, PhysicalLocation: pl, Message: &sarifText{Text: limitText(msg, maxSARIFText)}})
		links = append(links, fmt.Sprintf("[%s](%d)", escapeMessage(label), id))
	}
	res.Message = sarifText{Text: messageWithLinks(f.Message, links)}

	if flow := p.codeFlow(f); flow != nil {
		res.CodeFlows = []sarifCodeFlow{*flow}
	}
	if f.Suppressed && f.Suppression != nil {
		kind := "external"
		if f.Suppression.Source == "inline" {
			kind = "inSource"
		}
		res.Suppressions = []sarifSupp{{Kind: kind, Status: "accepted", Justification: f.Suppression.Source + ": " + f.Suppression.Reason}}
	}
	return res
}

// codeFlow turns the reachability path of an exposure into a code flow:
// one thread flow location per hop with a position, in order from the
// internet to the resource. Hops without a position (the internet itself,
// live nodes) are told in the message of the next located hop, so that
// every step code scanning shows opens a file; nil when no hop has one.
func (p paths) codeFlow(f policies.Finding) *sarifCodeFlow {
	if len(f.Path) == 0 {
		return nil
	}
	var steps []sarifThreadFlowLocation
	var pending []string
	for _, h := range f.Path {
		text := kindWords(h.Kind)
		if h.Kind != "internet" {
			text += " " + h.ID
		}
		if h.Role != "" {
			text += ": " + h.Role
		}
		pl := p.physical(h.Range)
		if pl == nil {
			pending = append(pending, text)
			continue
		}
		if len(pending) > 0 {
			text = strings.Join(pending, " → ") + " → " + text
			pending = nil
		}
		steps = append(steps, sarifThreadFlowLocation{
			Location:       sarifLocation{PhysicalLocation: pl, Message: &sarifText{Text: limitText(text, maxSARIFText)}},
			ExecutionOrder: len(steps) + 1,
		})
	}
	if len(steps) == 0 {
		return nil
	}
	return &sarifCodeFlow{
		Message:     sarifText{Text: limitText("path from the internet to "+kindWords(f.Resource.Kind)+" "+f.Resource.ID, maxSARIFText)},
		ThreadFlows: []sarifThreadFlow{{Locations: steps}},
	}
}

// physical returns the physical location of r, nil when it has no file.
// A file under the repository root gets a relative, percent-encoded URI
// with uriBaseId %SRCROOT%; one outside it an absolute file URI.
func (p paths) physical(r graph.Range) *sarifPhysical {
	if r.File == "" {
		return nil
	}
	uri, in := p.uri(r.File)
	pl := &sarifPhysical{ArtifactLocation: sarifArtifact{URI: uri}}
	if in {
		pl.ArtifactLocation.URIBaseID = srcRoot
	}
	if r.Start.Line > 0 {
		reg := &sarifRegion{StartLine: r.Start.Line, StartColumn: r.Start.Column}
		if r.End.Line >= r.Start.Line && r.End.Line > 0 {
			reg.EndLine, reg.EndColumn = r.End.Line, r.End.Column
		}
		pl.Region = reg
	}
	return pl
}

// messageWithLinks appends the related nodes to a result message, as
// SARIF embedded links to the related locations; the message's own
// brackets are escaped when there are links. Links that do not fit in
// 1,024 characters are counted instead.
func messageWithLinks(msg string, links []string) string {
	if len(links) == 0 {
		return limitText(msg, maxSARIFText)
	}
	base := limitText(escapeMessage(msg), maxSARIFText/2)
	base = strings.TrimSuffix(base, ".") + ". Related: "
	used := textLen(base)
	var kept []string
	for i, l := range links {
		more := ""
		if rest := len(links) - i - 1; rest > 0 {
			more = fmt.Sprintf(" and %d more", rest)
		}
		if used+textLen(l)+2+textLen(more) > maxSARIFText-1 {
			return base + strings.Join(kept, ", ") + fmt.Sprintf(" and %d more.", len(links)-i)
		}
		kept = append(kept, l)
		used += textLen(l) + 2
	}
	return base + strings.Join(kept, ", ") + "."
}

// escapeMessage escapes what SARIF message text would read as an embedded
// link: backslashes and square brackets.
func escapeMessage(s string) string {
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`).Replace(s)
}

// textLen counts characters the way GitHub does (UTF-16 code units).
func textLen(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// limitText cuts s to at most max characters (UTF-16 code units), ending
// in "…" when cut; a backslash escape is never split.
func limitText(s string, max int) string {
	if textLen(s) <= max {
		return s
	}
	n := 0
	for i, r := range s {
		if n+utf16.RuneLen(r) > max-1 {
			cut := s[:i]
			// An odd run of trailing backslashes would escape the "…".
			if k := len(cut) - len(strings.TrimRight(cut, `\`)); k%2 == 1 {
				cut = cut[:len(cut)-1]
			}
			return cut + "…"
		}
		n += utf16.RuneLen(r)
	}
	return s
}

// mostSevere keeps the n most severe findings (determined before
// undetermined, then critical to low), in their original order.
func mostSevere(fs []policies.Finding, n int) []policies.Finding {
	idx := make([]int, len(fs))
	for i := range idx {
		idx[i] = i
	}
	rank := func(f policies.Finding) int {
		r := f.Severity.Rank()
		if f.Undetermined {
			r -= 100
		}
		return r
	}
	sort.SliceStable(idx, func(a, b int) bool { return rank(fs[idx[a]]) > rank(fs[idx[b]]) })
	keep := idx[:n]
	sort.Ints(keep)
	out := make([]policies.Finding, 0, n)
	for _, i := range keep {
		out = append(out, fs[i])
	}
	return out
}

func notificationLevel(s graph.Severity) string {
	switch s {
	case graph.SeverityError:
		return "error"
	case graph.SeverityWarning:
		return "warning"
	}
	return "note"
}

func diagnosticMessage(d graph.Diagnostic) string {
	msg := d.Summary
	if d.Detail != "" {
		msg += ": " + d.Detail
	}
	return msg
}

// kindWords turns "route_table" into "route table".
func kindWords(k graph.Kind) string { return strings.ReplaceAll(string(k), "_", " ") }

// semverRE is the grammar of semver.org 2.0.0 with an optional leading v.
var semverRE = regexp.MustCompile(`^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

// semanticVersion returns v without its leading "v" when it is a semantic
// version (driver.semanticVersion), else "" ("devel").
func semanticVersion(v string) string {
	if semverRE.MatchString(v) {
		return strings.TrimPrefix(v, "v")
	}
	return ""
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
