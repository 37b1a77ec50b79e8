package policies

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// Resource names the node a finding is about.
type Resource struct {
	ID   string     `json:"id"`
	Kind graph.Kind `json:"kind"`
}

// Related is another node involved in a finding: the route that makes a
// subnet public, the security group rule that opens a port, the node a
// group protects.
type Related struct {
	ID   string     `json:"id"`
	Kind graph.Kind `json:"kind"`
	// Role says how the node is involved ("route to the internet gateway").
	Role string `json:"role"`
	// Range is the most precise range known: the route or rule itself, else
	// the node.
	Range graph.Range `json:"location"`
}

// Suppression says why a finding is silenced and where that was written.
type Suppression struct {
	Reason string `json:"reason"`
	// Source is "inline" (a comment or metadata on the resource), "config"
	// (.vpcgate.yaml) or "baseline" (a baseline file).
	Source string `json:"source"`
	// Range is where the suppression is written, when known.
	Range graph.Range `json:"-"`
}

// Finding is one result of one rule on one resource.
type Finding struct {
	RuleID   string
	Title    string
	Severity Severity
	Message  string
	// Detail is the rule's remediation.
	Detail   string
	Resource Resource
	// Subject is the tightest range of the problem (the attribute, rule or
	// route); zero when the input has no positions (live API).
	Subject graph.Range
	// Context is the enclosing block (the resource), zero when unknown.
	Context graph.Range
	// Related are in the order the rule gives them (a reachability path
	// keeps its hop order), without duplicates.
	Related []Related
	// Path is the reachability path of an internet exposure, hop by hop
	// from the internet to the resource, for a finding located at one of
	// the resource's exposures (derived.internet_reachable); nil otherwise.
	// Each hop's Range is its most precise range: the security group rule
	// that admits the traffic, the route back to the internet gateway,
	// else the node; zero for the internet and for nodes without a
	// position (live input).
	Path []Related
	// Undetermined is set when the input leaves a value unknown (a
	// Terraform value known only after apply, a rule with an unresolved
	// peer) so the rule could neither pass nor fail. Undetermined findings
	// are reported but never fail a build.
	Undetermined bool
	Suppressed   bool
	Suppression  *Suppression
	// Fingerprint identifies the finding across runs: a hash of the rule
	// id, the resource id and a discriminator chosen by the rule, never of
	// line numbers, so it survives edits that move the resource.
	Fingerprint string
}

// Location returns the subject range, falling back to the context.
func (f Finding) Location() graph.Range {
	if !f.Subject.IsZero() {
		return f.Subject
	}
	return f.Context
}

// fingerprint hashes the stable identity of a finding.
func fingerprint(ruleID, resourceID, key string) string {
	h := sha256.New()
	for _, s := range []string{ruleID, resourceID, key} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// SortFindings orders findings totally: file, start, end, rule, message,
// then resource and fingerprint, so output is identical run to run.
func SortFindings(fs []Finding) {
	// Findings are big structs: sort pointers, then lay them out again.
	ps := make([]*Finding, len(fs))
	for i := range fs {
		ps[i] = &fs[i]
	}
	slices.SortStableFunc(ps, compareFindings)
	sorted := make([]Finding, len(fs))
	for i, p := range ps {
		sorted[i] = *p
	}
	copy(fs, sorted)
}

// location is Location without copying the finding.
func location(f *Finding) graph.Range {
	if !f.Subject.IsZero() {
		return f.Subject
	}
	return f.Context
}

func compareFindings(a, b *Finding) int {
	la, lb := location(a), location(b)
	if c := strings.Compare(la.File, lb.File); c != 0 {
		return c
	}
	if c := comparePos(la.Start, lb.Start); c != 0 {
		return c
	}
	if c := comparePos(la.End, lb.End); c != 0 {
		return c
	}
	if c := strings.Compare(a.RuleID, b.RuleID); c != 0 {
		return c
	}
	if c := strings.Compare(a.Message, b.Message); c != 0 {
		return c
	}
	if c := strings.Compare(a.Resource.ID, b.Resource.ID); c != 0 {
		return c
	}
	return strings.Compare(a.Fingerprint, b.Fingerprint)
}

func comparePos(a, b graph.Pos) int {
	switch {
	case a.Line != b.Line:
		return a.Line - b.Line
	case a.Column != b.Column:
		return a.Column - b.Column
	}
	return a.Byte - b.Byte
}
