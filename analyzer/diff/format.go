package diff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/policies"
	"github.com/vpcgate/vpcgate/policies/report"
)

// Version is the version of the JSON contract ("version" field).
const Version = "1"

// GitHubCommentLimit is the largest pull-request comment GitHub accepts,
// in characters.
const GitHubCommentLimit = 65536

// Formats lists the output formats of Write.
func Formats() []string { return []string{"text", "json", "markdown", "sarif"} }

// WriteOptions tune the outputs.
type WriteOptions struct {
	// BaseDir makes file paths relative to it (the repository root) in
	// Markdown and SARIF.
	BaseDir string
	// ToolVersion is written into SARIF.
	ToolVersion string
	// MaxMarkdown bounds the Markdown output in characters (default
	// GitHubCommentLimit).
	MaxMarkdown int
	// HeadInputs and HeadDiagnostics go into SARIF.
	HeadInputs      []report.Input
	HeadDiagnostics []graph.Diagnostic
}

// Write writes d in format (text, json, markdown or sarif).
func Write(w io.Writer, format string, d *Diff, o WriteOptions) error {
	var buf bytes.Buffer
	var err error
	switch format {
	case "text", "":
		Text(&buf, d, o)
	case "json":
		err = JSON(&buf, d)
	case "markdown", "md":
		Markdown(&buf, d, o)
	case "sarif":
		err = SARIF(&buf, d, o)
	default:
		return fmt.Errorf("unknown format %q (want %s)", format, strings.Join(Formats(), ", "))
	}
	if err != nil {
		return err
	}
	_, err = w.Write(buf.Bytes())
	return err
}

// SARIF writes the new findings (new and no longer suppressed) as SARIF
// 2.1.0, through the scan's writer: what a pull request adds, for code
// scanning.
func SARIF(w io.Writer, d *Diff, o WriteOptions) error {
	var fs []policies.Finding
	for _, f := range d.Findings {
		if f.Status == New || f.Status == Unsuppressed {
			fs = append(fs, f.Finding)
		}
	}
	policies.SortFindings(fs)
	s := &report.Scan{Inputs: o.HeadInputs, Findings: fs, Diagnostics: o.HeadDiagnostics, Rules: d.Rules}
	return report.SARIF(w, s, report.Options{ToolVersion: o.ToolVersion, BaseDir: o.BaseDir})
}

// Ports formats an exposure's protocol and range: "tcp/22",
// "tcp/1024-65535", "all traffic", "icmp".
func Ports(protocol string, from, to int) string {
	switch protocol {
	case "-1", "all":
		return "all traffic"
	case "icmp", "icmpv6", "58", "1":
		if from < 0 || (from == 0 && to == 65535) || (from == -1 && to == -1) {
			return protocol
		}
	}
	if from == to {
		return protocol + "/" + strconv.Itoa(from)
	}
	if from <= 0 && to >= 65535 {
		return protocol + "/all ports"
	}
	return fmt.Sprintf("%s/%d-%d", protocol, from, to)
}

func (c ExposureChange) ports() string {
	s := Ports(c.Protocol, c.FromPort, c.ToPort)
	if c.IPv6 {
		s += " (IPv6)"
	}
	return s
}

// PathText joins a path's hops: "internet → igw-1 → rtb-1 → …".
func PathText(hops []graph.Hop) string {
	parts := make([]string, 0, len(hops))
	for _, h := range hops {
		parts = append(parts, h.Node)
	}
	return strings.Join(parts, " → ")
}

// SubnetChangeKind names a subnet change: added, removed, became_public,
// no_longer_public or class_changed.
func (s SubnetChange) SubnetChangeKind() string {
	switch {
	case s.Added:
		return "added"
	case s.Removed:
		return "removed"
	case s.HeadPublic && !s.BasePublic:
		return "became_public"
	case s.BasePublic && !s.HeadPublic:
		return "no_longer_public"
	}
	return "class_changed"
}

func money(d decimal.Decimal) string { return d.StringFixed(2) }

// approx puts "~" before a figure priced from an estimate (cost's
// outputs do the same; the estimate note goes with it).
func approx(s string, estimate bool) string {
	if estimate {
		return "~" + s
	}
	return s
}

func signed(d decimal.Decimal) string {
	if d.IsPositive() {
		return "+" + money(d)
	}
	return money(d)
}

func rangeText(lo, hi *decimal.Decimal, nominal decimal.Decimal) string {
	if lo == nil && hi == nil {
		return money(nominal)
	}
	l, h := nominal, nominal
	if lo != nil {
		l = *lo
	}
	if hi != nil {
		h = *hi
	}
	return money(l) + "–" + money(h)
}

func percentText(c *Cost) string {
	if c.Percent == nil {
		return "n/a"
	}
	if c.Percent.IsPositive() {
		return "+" + c.Percent.StringFixed(2) + "%"
	}
	return c.Percent.StringFixed(2) + "%"
}

// Counts summarizes a diff.
type Counts struct {
	Opened, Closed, SourcesChanged                     int
	TierChanges, SubnetChanges, BecamePublic           int
	New, Fixed, SuppressedNow, UnsuppressedNow, Stayed int
}

// Count returns d's counts.
func (d *Diff) Count() Counts {
	var c Counts
	for _, e := range d.Exposure {
		switch e.Change {
		case Opened:
			c.Opened++
		case Closed:
			c.Closed++
		default:
			c.SourcesChanged++
		}
	}
	c.TierChanges, c.SubnetChanges = len(d.Tiers), len(d.Subnets)
	for _, s := range d.Subnets {
		if s.BecamePublic() {
			c.BecamePublic++
		}
	}
	for _, f := range d.Findings {
		switch f.Status {
		case New:
			c.New++
		case Fixed:
			c.Fixed++
		case Suppressed:
			c.SuppressedNow++
		case Unsuppressed:
			c.UnsuppressedNow++
		}
	}
	c.Stayed = len(d.Unchanged)
	return c
}

// Text writes the comparison for a terminal.
func Text(w io.Writer, d *Diff, o WriteOptions) {
	c := d.Count()
	fmt.Fprintf(w, "vpcgate diff: %s → %s\n", orDash(d.Base), orDash(d.Head))
	if d.Empty() {
		fmt.Fprintf(w, "no change in exposure, findings or cost (%d findings unchanged)\n", c.Stayed)
		return
	}
	fmt.Fprintf(w, "\nInternet exposure: %d opened, %d closed, %d with other sources\n", c.Opened, c.Closed, c.SourcesChanged)
	for _, e := range d.Exposure {
		sign := map[string]string{Opened: "+", Closed: "-", SourcesChanged: "~"}[e.Change]
		fmt.Fprintf(w, "  %s %s %s on %s (%s)", sign, e.Change, e.ports(), e.Resource, e.Kind)
		if e.Via != "" && e.Via != "direct" {
			fmt.Fprintf(w, " via %s", e.Via)
		}
		if len(e.Sources) > 0 {
			fmt.Fprintf(w, " from %s", strings.Join(e.Sources, ", "))
		}
		if e.Change == SourcesChanged {
			fmt.Fprintf(w, " (was %s)", strings.Join(e.BaseSources, ", "))
		}
		fmt.Fprintln(w)
		if !e.Location.IsZero() {
			fmt.Fprintf(w, "      at %s\n", relRange(o.BaseDir, e.Location))
		}
		if len(e.Path) > 0 {
			fmt.Fprintf(w, "      path: %s\n", PathText(e.Path))
		}
	}
	if len(d.Subnets) > 0 {
		fmt.Fprintf(w, "\nSubnets: %d changed, %d became public\n", c.SubnetChanges, c.BecamePublic)
		for _, s := range d.Subnets {
			fmt.Fprintf(w, "  %s %s: %s\n", s.Subnet, strings.ReplaceAll(s.SubnetChangeKind(), "_", " "), subnetText(s))
		}
	}
	if len(d.Tiers) > 0 {
		fmt.Fprintf(w, "\nTiers: %d changed\n", c.TierChanges)
		for _, t := range d.Tiers {
			fmt.Fprintf(w, "  %s (%s): %s → %s", t.Resource, t.Kind, tierName(t.Base), tierName(t.Head))
			if t.HeadReason != "" {
				fmt.Fprintf(w, " (%s)", t.HeadReason)
			}
			fmt.Fprintln(w)
		}
	}
	fmt.Fprintf(w, "\nFindings: %d new, %d fixed, %d newly suppressed, %d no longer suppressed, %d unchanged\n", c.New, c.Fixed, c.SuppressedNow, c.UnsuppressedNow, c.Stayed)
	for _, f := range d.Findings {
		x := f.Finding
		fmt.Fprintf(w, "  %-12s %-8s %s %s", f.Status, x.Severity, x.RuleID, x.Resource.ID)
		if l := x.Location(); !l.IsZero() {
			fmt.Fprintf(w, " %s", sideRange(o.BaseDir, l, f.Status == Fixed))
		}
		fmt.Fprintf(w, "\n      %s\n", x.Message)
	}
	switch {
	case d.CostErr != nil:
		fmt.Fprintf(w, "\nCost: not compared: %v\n", d.CostErr)
	case d.Cost != nil:
		k := d.Cost
		fmt.Fprintf(w, "\nMonthly cost: %s → %s %s (%s %s, %s)", approx(money(k.BaseTotal), k.BaseEstimate), approx(money(k.HeadTotal), k.HeadEstimate), k.Currency, approx(signed(k.Delta), k.Estimate()), k.Currency, percentText(k))
		if !k.BaseMin.Equal(k.BaseMax) || !k.HeadMin.Equal(k.HeadMax) {
			fmt.Fprintf(w, "; range %s–%s → %s–%s", money(k.BaseMin), money(k.BaseMax), money(k.HeadMin), money(k.HeadMax))
		}
		fmt.Fprintln(w)
		for _, r := range k.Resources {
			fmt.Fprintf(w, "  %-9s %s (%s): %s → %s (%s)\n", r.Status, r.ID, r.Kind, approx(rangeText(r.BaseMin, r.BaseMax, r.Base), r.BaseEstimate),
				approx(rangeText(r.HeadMin, r.HeadMax, r.Head), r.HeadEstimate), approx(signed(r.Delta), r.BaseEstimate || r.HeadEstimate))
		}
		for _, u := range k.NewUsageDependent {
			fmt.Fprintf(w, "  new, depends on usage: %s\n", u)
		}
		if k.Estimate() {
			fmt.Fprintf(w, "  %s\n", cost.EstimateNote)
		}
	}
	fmt.Fprintf(w, "\n%d port ranges opened, %d closed; %d new findings, %d fixed", c.Opened, c.Closed, c.New+c.UnsuppressedNow, c.Fixed)
	if d.Cost != nil {
		fmt.Fprintf(w, "; %s %s a month", approx(signed(d.Cost.Delta), d.Cost.Estimate()), d.Cost.Currency)
	}
	fmt.Fprintln(w)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func tierName(t graph.Tier) string {
	if t == graph.TierNone {
		return "(none)"
	}
	return string(t)
}

func subnetText(s SubnetChange) string {
	side := func(public bool, class graph.SubnetClass, egress string) string {
		if class == "" {
			return "absent"
		}
		return fmt.Sprintf("%s (egress %s)", class, egress)
	}
	t := side(s.BasePublic, s.BaseClass, s.BaseEgress) + " → " + side(s.HeadPublic, s.HeadClass, s.HeadEgress)
	if s.HeadNATGateway != "" {
		t += " through " + s.HeadNATGateway
	}
	if s.RouteTable != "" {
		t += ", route table " + s.RouteTable
	}
	return t
}

// relRange formats r with its file relative to base.
func relRange(base string, r graph.Range) string {
	r.File = relPath(base, r.File)
	return r.String()
}

// sideRange is relRange, prefixed "base:" when the range is in the base
// revision (a fixed finding: its line is base's, which head may no
// longer have).
func sideRange(base string, r graph.Range, onBase bool) string {
	if onBase {
		return "base:" + relRange(base, r)
	}
	return relRange(base, r)
}

func relPath(base, p string) string {
	if base == "" || p == "" || !filepath.IsAbs(p) {
		return filepath.ToSlash(p)
	}
	rel, err := filepath.Rel(base, p)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return filepath.ToSlash(p)
	}
	return filepath.ToSlash(rel)
}

// JSON contract (documented in analyzer/diff/README.md).

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
	return &jsonLocation{File: filepath.ToSlash(r.File), Start: jsonPos{r.Start.Line, r.Start.Column}, End: jsonPos{r.End.Line, r.End.Column}}
}

type jsonHop struct {
	Node   string     `json:"node"`
	Kind   graph.Kind `json:"kind"`
	Detail string     `json:"detail"`
}

type jsonExposure struct {
	Change      string        `json:"change"`
	Resource    string        `json:"resource"`
	Kind        graph.Kind    `json:"kind"`
	Name        string        `json:"name"`
	Protocol    string        `json:"protocol"`
	FromPort    int           `json:"from_port"`
	ToPort      int           `json:"to_port"`
	IPv6        bool          `json:"ipv6"`
	Via         string        `json:"via"`
	Sources     []string      `json:"sources"`
	BaseSources []string      `json:"base_sources,omitempty"`
	Path        []jsonHop     `json:"path"`
	Location    *jsonLocation `json:"location"`
}

type jsonTier struct {
	Resource   string        `json:"resource"`
	Kind       graph.Kind    `json:"kind"`
	Name       string        `json:"name"`
	Base       graph.Tier    `json:"base"`
	Head       graph.Tier    `json:"head"`
	HeadReason string        `json:"head_reason"`
	Location   *jsonLocation `json:"location"`
}

type jsonSubnetSide struct {
	Public bool              `json:"public"`
	Class  graph.SubnetClass `json:"class"`
	Egress string            `json:"egress"`
}

type jsonSubnet struct {
	Subnet         string          `json:"subnet"`
	Name           string          `json:"name"`
	Change         string          `json:"change"`
	Base           *jsonSubnetSide `json:"base"`
	Head           *jsonSubnetSide `json:"head"`
	HeadNATGateway string          `json:"head_nat_gateway,omitempty"`
	RouteTable     string          `json:"route_table"`
	Location       *jsonLocation   `json:"location"`
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
	Undetermined bool              `json:"undetermined"`
	Suppressed   bool              `json:"suppressed"`
	Suppression  *jsonSuppression  `json:"suppression"`
	Fingerprint  string            `json:"fingerprint"`
}

type jsonFindings struct {
	New          []jsonFinding `json:"new"`
	Fixed        []jsonFinding `json:"fixed"`
	Suppressed   []jsonFinding `json:"suppressed"`
	Unsuppressed []jsonFinding `json:"unsuppressed"`
	Unchanged    []jsonFinding `json:"unchanged"`
}

type jsonRange struct {
	Min string `json:"min"`
	Max string `json:"max"`
}

type jsonCostResource struct {
	ID        string     `json:"id"`
	Kind      graph.Kind `json:"kind"`
	Name      string     `json:"name"`
	Status    string     `json:"status"`
	Base      string     `json:"base_monthly"`
	Head      string     `json:"head_monthly"`
	Delta     string     `json:"delta_monthly"`
	BaseRange *jsonRange `json:"base_range"`
	HeadRange *jsonRange `json:"head_range"`
	// Estimate is set when a figure of the resource is priced from an
	// estimate.
	Estimate bool `json:"estimate"`
}

type jsonCost struct {
	Currency          string             `json:"currency"`
	BaseTotal         string             `json:"base_total_monthly"`
	HeadTotal         string             `json:"head_total_monthly"`
	Delta             string             `json:"delta_monthly"`
	Percent           *string            `json:"delta_percent"`
	BaseRange         jsonRange          `json:"base_total_range"`
	HeadRange         jsonRange          `json:"head_total_range"`
	DeltaRange        jsonRange          `json:"delta_range"`
	Resources         []jsonCostResource `json:"resources"`
	NewUsageDependent []string           `json:"new_usage_dependent"`
	// Estimate is set when a figure is priced from an estimate; Footnotes
	// then holds the estimate note.
	Estimate  bool     `json:"estimate"`
	Footnotes []string `json:"footnotes"`
}

type jsonSummary struct {
	Empty               bool    `json:"empty"`
	ExposureOpened      int     `json:"exposure_opened"`
	ExposureClosed      int     `json:"exposure_closed"`
	ExposureSources     int     `json:"exposure_sources_changed"`
	TierChanges         int     `json:"tier_changes"`
	SubnetChanges       int     `json:"subnet_changes"`
	SubnetsBecamePublic int     `json:"subnets_became_public"`
	FindingsNew         int     `json:"findings_new"`
	FindingsFixed       int     `json:"findings_fixed"`
	FindingsSuppressed  int     `json:"findings_suppressed"`
	FindingsUnsupp      int     `json:"findings_unsuppressed"`
	FindingsUnchanged   int     `json:"findings_unchanged"`
	CostDelta           *string `json:"cost_delta_monthly"`
}

type jsonDiff struct {
	Version   string         `json:"version"`
	Base      string         `json:"base"`
	Head      string         `json:"head"`
	Summary   jsonSummary    `json:"summary"`
	Exposure  []jsonExposure `json:"exposure"`
	Tiers     []jsonTier     `json:"tiers"`
	Subnets   []jsonSubnet   `json:"subnets"`
	Findings  jsonFindings   `json:"findings"`
	Cost      *jsonCost      `json:"cost"`
	CostError string         `json:"cost_error,omitempty"`
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func findingJSON(f policies.Finding) jsonFinding {
	jf := jsonFinding{RuleID: f.RuleID, Severity: f.Severity, Title: f.Title, Message: f.Message, Resource: f.Resource,
		Location: location(f.Location()), Undetermined: f.Undetermined, Suppressed: f.Suppressed, Fingerprint: f.Fingerprint}
	if f.Suppression != nil {
		jf.Suppression = &jsonSuppression{Reason: f.Suppression.Reason, Source: f.Suppression.Source}
	}
	return jf
}

func optRange(lo, hi *decimal.Decimal, nominal decimal.Decimal) *jsonRange {
	if lo == nil && hi == nil {
		return nil
	}
	l, h := nominal, nominal
	if lo != nil {
		l = *lo
	}
	if hi != nil {
		h = *hi
	}
	return &jsonRange{money(l), money(h)}
}

// JSON writes the comparison as the documented contract: snake_case
// fields, lists never null, no timestamps, deterministic order.
func JSON(w io.Writer, d *Diff) error {
	c := d.Count()
	out := jsonDiff{Version: Version, Base: d.Base, Head: d.Head,
		Summary: jsonSummary{Empty: d.Empty(), ExposureOpened: c.Opened, ExposureClosed: c.Closed, ExposureSources: c.SourcesChanged,
			TierChanges: c.TierChanges, SubnetChanges: c.SubnetChanges, SubnetsBecamePublic: c.BecamePublic,
			FindingsNew: c.New, FindingsFixed: c.Fixed, FindingsSuppressed: c.SuppressedNow, FindingsUnsupp: c.UnsuppressedNow, FindingsUnchanged: c.Stayed},
		Exposure: []jsonExposure{}, Tiers: []jsonTier{}, Subnets: []jsonSubnet{},
		Findings: jsonFindings{New: []jsonFinding{}, Fixed: []jsonFinding{}, Suppressed: []jsonFinding{}, Unsuppressed: []jsonFinding{}, Unchanged: []jsonFinding{}},
	}
	for _, e := range d.Exposure {
		je := jsonExposure{Change: e.Change, Resource: e.Resource, Kind: e.Kind, Name: e.Name, Protocol: e.Protocol, FromPort: e.FromPort, ToPort: e.ToPort,
			IPv6: e.IPv6, Via: e.Via, Sources: nonNil(e.Sources), BaseSources: e.BaseSources, Path: []jsonHop{}, Location: location(e.Location)}
		if e.Change == SourcesChanged {
			je.BaseSources = nonNil(e.BaseSources)
		}
		for _, h := range e.Path {
			je.Path = append(je.Path, jsonHop{h.Node, h.Kind, h.Detail})
		}
		out.Exposure = append(out.Exposure, je)
	}
	for _, t := range d.Tiers {
		out.Tiers = append(out.Tiers, jsonTier{t.Resource, t.Kind, t.Name, t.Base, t.Head, t.HeadReason, location(t.Location)})
	}
	for _, s := range d.Subnets {
		js := jsonSubnet{Subnet: s.Subnet, Name: s.Name, Change: s.SubnetChangeKind(), HeadNATGateway: s.HeadNATGateway, RouteTable: s.RouteTable, Location: location(s.Location)}
		if !s.Added {
			js.Base = &jsonSubnetSide{s.BasePublic, s.BaseClass, s.BaseEgress}
		}
		if !s.Removed {
			js.Head = &jsonSubnetSide{s.HeadPublic, s.HeadClass, s.HeadEgress}
		}
		out.Subnets = append(out.Subnets, js)
	}
	for _, f := range d.Findings {
		jf := findingJSON(f.Finding)
		switch f.Status {
		case New:
			out.Findings.New = append(out.Findings.New, jf)
		case Fixed:
			out.Findings.Fixed = append(out.Findings.Fixed, jf)
		case Suppressed:
			out.Findings.Suppressed = append(out.Findings.Suppressed, jf)
		case Unsuppressed:
			out.Findings.Unsuppressed = append(out.Findings.Unsuppressed, jf)
		}
	}
	for _, f := range d.Unchanged {
		out.Findings.Unchanged = append(out.Findings.Unchanged, findingJSON(f))
	}
	if d.CostErr != nil {
		out.CostError = d.CostErr.Error()
	}
	if k := d.Cost; k != nil {
		delta := money(k.Delta)
		out.Summary.CostDelta = &delta
		jc := &jsonCost{Currency: k.Currency, BaseTotal: money(k.BaseTotal), HeadTotal: money(k.HeadTotal), Delta: money(k.Delta),
			BaseRange: jsonRange{money(k.BaseMin), money(k.BaseMax)}, HeadRange: jsonRange{money(k.HeadMin), money(k.HeadMax)},
			DeltaRange: jsonRange{money(k.DeltaMin()), money(k.DeltaMax())}, Resources: []jsonCostResource{}, NewUsageDependent: nonNil(k.NewUsageDependent),
			Estimate: k.Estimate(), Footnotes: []string{}}
		if k.Estimate() {
			jc.Footnotes = append(jc.Footnotes, cost.EstimateNote)
		}
		if k.Percent != nil {
			p := k.Percent.StringFixed(2)
			jc.Percent = &p
		}
		for _, r := range k.Resources {
			jc.Resources = append(jc.Resources, jsonCostResource{ID: r.ID, Kind: r.Kind, Name: r.Name, Status: r.Status,
				Base: money(r.Base), Head: money(r.Head), Delta: money(r.Delta),
				BaseRange: optRange(r.BaseMin, r.BaseMax, r.Base), HeadRange: optRange(r.HeadMin, r.HeadMax, r.Head), Estimate: r.BaseEstimate || r.HeadEstimate})
		}
		out.Cost = jc
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write diff: %w", err)
	}
	return nil
}
