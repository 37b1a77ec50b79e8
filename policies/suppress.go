package policies

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/analyzer/ingest/depth"
	"github.com/vpcgate/vpcgate/internal/docpos"
)

// Ignore is a suppression entry of a config file (.vpcgate.yaml).
type Ignore struct {
	// Rule is a rule id or a glob over rule ids ("rds-*").
	Rule string
	// Resource is a glob ("*" matches any run of characters, "/" included)
	// over the resource's id, Name, IaC address or aliases; "" or "*"
	// matches every resource.
	Resource string
	// Reason is mandatory: an entry without one suppresses nothing.
	Reason string
	// Expires is the last day the entry applies (UTC); zero means never.
	// From the next day on it stops suppressing and says so.
	Expires time.Time
	// Range is where the entry is written.
	Range graph.Range
}

// expired reports whether the entry no longer applies at now.
func (i Ignore) expired(now time.Time) bool {
	return !i.Expires.IsZero() && !now.Before(i.Expires.AddDate(0, 0, 1))
}

// SuppressOptions are the suppressions applied after evaluation.
type SuppressOptions struct {
	Ignores  []Ignore
	Baseline *Baseline
	// BaselineFile names the baseline in reasons and diagnostics.
	BaselineFile string
	// Now decides which entries have expired.
	Now time.Time
}

// Suppress marks the findings matched by config entries, then those whose
// fingerprint is in the baseline. Inline suppressions (applied by Evaluate)
// take precedence. It returns a diagnostic for each expired entry, each
// entry without a reason, and each entry that matched nothing.
func Suppress(g *graph.Graph, findings []Finding, o SuppressOptions) ([]Finding, []graph.Diagnostic) {
	out := append([]Finding(nil), findings...)
	var diags []graph.Diagnostic
	for _, ig := range o.Ignores {
		switch {
		case strings.TrimSpace(ig.Reason) == "":
			diags = append(diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("suppression of %s has no reason and is ignored", ig.Rule), Range: ig.Range})
			continue
		case ig.expired(o.Now):
			diags = append(diags, graph.Diagnostic{
				Severity: graph.SeverityWarning,
				Summary:  fmt.Sprintf("suppression of %s on %s expired on %s and no longer applies", ig.Rule, orAll(ig.Resource), ig.Expires.Format(time.DateOnly)),
				Detail:   "reason given: " + ig.Reason,
				Range:    ig.Range,
			})
			continue
		}
		rule, err := globRegexp(ig.Rule)
		if err != nil {
			diags = append(diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("suppression rule pattern %q: %v", ig.Rule, err), Range: ig.Range})
			continue
		}
		res, err := globRegexp(orAll(ig.Resource))
		if err != nil {
			diags = append(diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("suppression resource pattern %q: %v", ig.Resource, err), Range: ig.Range})
			continue
		}
		matched := false
		for i := range out {
			f := &out[i]
			if !rule.MatchString(f.RuleID) || !resourceMatches(g, f.Resource.ID, res) {
				continue
			}
			matched = true
			if !f.Suppressed {
				f.Suppressed = true
				f.Suppression = &Suppression{Reason: ig.Reason, Source: "config", Range: ig.Range}
			}
		}
		if !matched {
			diags = append(diags, graph.Diagnostic{Severity: graph.SeverityInfo, Summary: fmt.Sprintf("suppression of %s on %s matches no finding", ig.Rule, orAll(ig.Resource)), Range: ig.Range})
		}
	}
	if o.Baseline != nil {
		accepted := map[string]BaselineEntry{}
		for _, e := range o.Baseline.Findings {
			accepted[e.Fingerprint] = e
		}
		for i := range out {
			f := &out[i]
			e, ok := accepted[f.Fingerprint]
			if !ok || f.Suppressed {
				continue
			}
			reason := e.Reason
			if reason == "" {
				reason = "accepted in baseline " + o.BaselineFile
			}
			f.Suppressed = true
			f.Suppression = &Suppression{Reason: strings.TrimSpace(reason), Source: "baseline", Range: graph.Range{File: o.BaselineFile}}
		}
	}
	return out, diags
}

func orAll(s string) string {
	if s == "" {
		return "*"
	}
	return s
}

// resourceMatches tries the id, then the names a user may use for it.
func resourceMatches(g *graph.Graph, id string, re *regexp.Regexp) bool {
	if re.MatchString(id) {
		return true
	}
	n := g.Node(id)
	if n == nil {
		return false
	}
	b := n.Meta()
	for _, s := range append([]string{b.Name, b.Source.Address}, b.Aliases...) {
		if s != "" && re.MatchString(s) {
			return true
		}
	}
	return false
}

// globRegexp compiles a glob where * matches any run of characters and ?
// one character.
func globRegexp(glob string) (*regexp.Regexp, error) {
	var b strings.Builder
	b.WriteString("^")
	for _, r := range glob {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return regexp.Compile(b.String())
}

// BaselineVersion is the version of the baseline file format.
const BaselineVersion = "1"

// Baseline is a file of accepted findings (scan --write-baseline): with
// scan --baseline, only findings not in it count.
type Baseline struct {
	Version  string          `json:"version"`
	Findings []BaselineEntry `json:"findings"`
}

// BaselineEntry is one accepted finding. Only the fingerprint is matched;
// the other fields are for the people reading the file.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	RuleID      string `json:"rule_id"`
	Resource    string `json:"resource"`
	Message     string `json:"message"`
	// Reason is shown as the suppression reason; edit it to say why.
	Reason string `json:"reason,omitempty"`
}

// NewBaseline accepts every finding not already suppressed, sorted by rule,
// resource and fingerprint.
func NewBaseline(findings []Finding) *Baseline {
	b := &Baseline{Version: BaselineVersion, Findings: []BaselineEntry{}}
	seen := map[string]bool{}
	for _, f := range findings {
		if f.Suppressed || seen[f.Fingerprint] {
			continue
		}
		seen[f.Fingerprint] = true
		b.Findings = append(b.Findings, BaselineEntry{Fingerprint: f.Fingerprint, RuleID: f.RuleID, Resource: f.Resource.ID, Message: f.Message})
	}
	sort.Slice(b.Findings, func(i, j int) bool {
		x, y := b.Findings[i], b.Findings[j]
		if x.RuleID != y.RuleID {
			return x.RuleID < y.RuleID
		}
		if x.Resource != y.Resource {
			return x.Resource < y.Resource
		}
		return x.Fingerprint < y.Fingerprint
	})
	return b
}

// Write writes the baseline as indented JSON.
func (b *Baseline) Write(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(b); err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	return nil
}

// maxBaselineSize bounds a baseline file.
const maxBaselineSize = 64 << 20

// ReadBaseline reads a baseline file (at most 64 MiB).
func ReadBaseline(r io.Reader) (*Baseline, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxBaselineSize+1))
	if err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	if len(data) > maxBaselineSize {
		return nil, fmt.Errorf("read baseline: larger than %d bytes", maxBaselineSize)
	}
	if err := ingest.CheckUTF8("baseline", data); err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	if err := depth.JSON("baseline", data, 0); err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var b Baseline
	if err := dec.Decode(&b); err != nil {
		return nil, fmt.Errorf("read baseline: %w", err)
	}
	if b.Version != BaselineVersion {
		return nil, fmt.Errorf("read baseline: version %q, want %q", ingest.Excerpt(b.Version), BaselineVersion)
	}
	for i, e := range b.Findings {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("read baseline: %w", docpos.Parse("baseline", data).Locate(docpos.Field(fmt.Sprintf("findings[%d]", i), "entry %d has no fingerprint", i)))
		}
	}
	return &b, nil
}
