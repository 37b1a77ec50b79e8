// Package ingest holds what every reader shares: the options that bound and
// place a read (scanned root, overlays, limits, region and account
// defaults) and the analysis-wide expansion budget. Each reader
// (describe, terraform, cloudformation, live) takes an Options; the
// analyzer builds one per analysis, so every reader sees the same limits.
//
// Messages name options (Limits.MaxNodes), never CLI flags: the CLI maps
// them to its flags.
package ingest

import (
	"fmt"
	"sync/atomic"
)

// Defaults of Limits.
const (
	DefaultMaxFileSize = 256 << 20 // bytes per input file
	DefaultMaxDepth    = 256       // nesting of JSON, YAML and HCL values
	DefaultMaxNodes    = 200_000   // nodes of one analysis, expansions included
	DefaultMaxAliases  = 10_000    // YAML alias expansions per document
)

// MaxDepthBound bounds Limits.MaxDepth whatever it is set to: 10,000 is
// where encoding/json and yaml.v3 stop on their own, and a .tf nested
// 70,000 deep overflows the HCL parser's stack (40,000 takes nearly 1 GB
// of it).
const MaxDepthBound = 10_000

// MaxRulesPerGroup bounds the rules of one direction of one security group
// a reader keeps: AWS allows at most 1,000 rules per group, so more is
// hostile or broken input, and every rule costs the derivations and the
// policy input. Readers keep the first ones and say so once per group.
const MaxRulesPerGroup = 10_000

// Limits bound what hostile or broken input can make an analysis do. Zero
// fields take the defaults (WithDefaults).
type Limits struct {
	// MaxFileSize bounds one input file, in bytes.
	MaxFileSize int64
	// MaxDepth bounds the nesting of values in one document (JSON arrays and
	// objects, YAML collections, HCL expressions); it is checked by a cheap
	// scan before a recursive parser sees the bytes.
	MaxDepth int
	// MaxNodes bounds the resources of one analysis: graph nodes, resource
	// and module instances from count and for_each, rules per group.
	MaxNodes int
	// MaxAliases bounds YAML alias expansions in one document.
	MaxAliases int
}

// WithDefaults returns l with zero fields set to their defaults.
func (l Limits) WithDefaults() Limits {
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = DefaultMaxFileSize
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	if l.MaxNodes <= 0 {
		l.MaxNodes = DefaultMaxNodes
	}
	if l.MaxAliases <= 0 {
		l.MaxAliases = DefaultMaxAliases
	}
	return l
}

// Options are shared by every reader.
type Options struct {
	// Root bounds what may be read: no symlink, module source, nested
	// template or template URL leads out of it unless AllowOutsideRoot.
	// Empty: the input's own folder.
	Root             string
	AllowOutsideRoot bool
	// Overlay holds unsaved editor contents by absolute path; it wins over
	// the file on disk.
	Overlay map[string][]byte
	// Region and Account are the defaults for inputs that do not say.
	Region  string
	Account string
	// AvailabilityZones answer data "aws_availability_zones" and Fn::GetAZs
	// (default: the region's a, b and c zones).
	AvailabilityZones []string
	Limits            Limits
	// Budget is shared by every reader of one analysis (nil: unbounded
	// but for Limits.MaxNodes per reader).
	Budget *Budget
}

// Budget counts what an analysis has expanded so far against
// Limits.MaxNodes. It is safe for concurrent use by the readers of one
// analysis.
type Budget struct {
	max  int64
	used atomic.Int64
	cut  atomic.Bool
}

// NewBudget returns a budget of max units (DefaultMaxNodes when max <= 0).
func NewBudget(max int) *Budget {
	if max <= 0 {
		max = DefaultMaxNodes
	}
	return &Budget{max: int64(max)}
}

// Take claims n units. It reports false once the budget is spent; the first
// caller refused is told first (to raise the single diagnostic that says
// where the analysis was cut).
func (b *Budget) Take(n int) (ok, first bool) {
	if b == nil {
		return true, false
	}
	if b.used.Add(int64(n)) <= b.max {
		return true, false
	}
	return false, !b.cut.Swap(true)
}

// Used returns the units claimed so far (refused claims included).
func (b *Budget) Used() int64 {
	if b == nil {
		return 0
	}
	return b.used.Load()
}

// Max returns the budget's size.
func (b *Budget) Max() int64 {
	if b == nil {
		return 0
	}
	return b.max
}

// Exhausted reports whether a claim has been refused.
func (b *Budget) Exhausted() bool { return b != nil && b.cut.Load() }

// ErrLimit is wrapped by errors that report a Limits bound.
var ErrLimit = fmt.Errorf("input limit reached")
