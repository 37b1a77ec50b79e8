package analyzer

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vpcgate/vpcgate/analyzer/config"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/analyzer/ingest/terraform"
	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/cost/prices"
	"github.com/vpcgate/vpcgate/policies"
)

// Parts selects what a snapshot holds beyond the graph and its facts.
type Parts uint8

// Parts of a snapshot.
const (
	// PartFindings evaluates the policies and applies the suppressions.
	PartFindings Parts = 1 << iota
	// PartCosts estimates the monthly cost.
	PartCosts
	// PartGraph is the graph with its derived facts alone.
	PartGraph Parts = 0
	// PartAll is every part (the default).
	PartAll = PartFindings | PartCosts
)

// Option configures an Engine.
type Option func(*settings)

// settings are what the options set; fixed once NewEngine returns.
type settings struct {
	parts   Parts
	log     *slog.Logger
	oneShot bool

	// reading
	skipPaths      []string
	ingest         ingest.Options
	limits         ingest.Limits // as given by WithLimits
	vars           map[string]string
	varFiles       []string
	parameters     map[string]string
	parameterFiles []string

	// policies
	cfg          *config.Config
	cfgDiags     []graph.Diagnostic
	policyDirs   []string
	rules        []string
	skipRules    []string
	minSeverity  string
	baseline     *policies.Baseline
	baselineFile string
	now          time.Time

	// cost
	catalog     *prices.Catalog
	priceRegion string
	usage       *cost.Usage
}

// WithParts selects what snapshots hold (default PartAll).
func WithParts(p Parts) Option { return func(s *settings) { s.parts = p } }

// WithoutReuse says that the engine makes one analysis, or analyses that
// share no files (a base and a head checked out apart): it keeps no parsed
// Terraform files or evaluations for a later analysis, so that their
// memory goes back to the collector before the policies run. For one-shot
// commands; a language server keeps the default.
func WithoutReuse() Option { return func(s *settings) { s.oneShot = true } }

// WithLogger sends debug information to l (default: discarded).
func WithLogger(l *slog.Logger) Option { return func(s *settings) { s.log = l } }

// WithRegion sets the AWS region of inputs that do not say (default
// us-east-1).
func WithRegion(r string) Option { return func(s *settings) { s.ingest.Region = r } }

// WithAccount sets the AWS account of inputs that do not say.
func WithAccount(a string) Option { return func(s *settings) { s.ingest.Account = a } }

// WithAvailabilityZones answers data "aws_availability_zones" and
// Fn::GetAZs (default: the region's a, b and c zones).
func WithAvailabilityZones(zones ...string) Option {
	return func(s *settings) { s.ingest.AvailabilityZones = append([]string(nil), zones...) }
}

// WithRoot bounds what may be read: nothing outside root is followed
// (default: each input path).
func WithRoot(root string) Option { return func(s *settings) { s.ingest.Root = root } }

// WithAllowOutsideRoot lets symlinks, module sources and template URLs
// leave the scanned root.
func WithAllowOutsideRoot(allow bool) Option {
	return func(s *settings) { s.ingest.AllowOutsideRoot = allow }
}

// WithLimits bounds file size, nesting and expansion (zero fields keep
// their defaults).
func WithLimits(l ingest.Limits) Option { return func(s *settings) { s.ingest.Limits = l } }

// WithVars sets Terraform variables (NAME=VALUE, values as HCL
// expressions); WithVarFiles adds variable files applied in order.
func WithVars(vars map[string]string) Option { return func(s *settings) { s.vars = vars } }

// WithVarFiles adds Terraform variable files, applied in order.
func WithVarFiles(files ...string) Option {
	return func(s *settings) { s.varFiles = append(s.varFiles, files...) }
}

// WithParameters sets CloudFormation parameter values.
func WithParameters(p map[string]string) Option { return func(s *settings) { s.parameters = p } }

// WithParameterFiles adds CloudFormation parameter files.
func WithParameterFiles(files ...string) Option {
	return func(s *settings) { s.parameterFiles = append(s.parameterFiles, files...) }
}

// WithConfig applies a parsed .vpcgate.yaml: its policy directories, rule
// selection, severity and suppressions. Options given after it win over
// its rule selection and severity; its diagnostics join every snapshot's.
func WithConfig(c *config.Config, diags []graph.Diagnostic) Option {
	return func(s *settings) {
		s.cfg = c
		s.cfgDiags = append([]graph.Diagnostic(nil), diags...)
	}
}

// WithPolicyDirs adds directories of user Rego policies.
func WithPolicyDirs(dirs ...string) Option {
	return func(s *settings) { s.policyDirs = append(s.policyDirs, dirs...) }
}

// WithRules evaluates only the rules whose id matches a pattern (glob);
// it replaces the configuration's rule selection.
func WithRules(patterns ...string) Option {
	return func(s *settings) { s.rules = append([]string(nil), patterns...) }
}

// WithSkipRules leaves out the rules whose id matches a pattern; added to
// the configuration's.
func WithSkipRules(patterns ...string) Option {
	return func(s *settings) { s.skipRules = append(s.skipRules, patterns...) }
}

// WithMinSeverity evaluates only rules at or above level (low, medium,
// high, critical); it replaces the configuration's severity.
func WithMinSeverity(level string) Option { return func(s *settings) { s.minSeverity = level } }

// WithBaseline suppresses the findings accepted in b (read from file).
func WithBaseline(b *policies.Baseline, file string) Option {
	return func(s *settings) { s.baseline, s.baselineFile = b, file }
}

// WithNow sets the day that decides which suppressions have expired
// (default: the time of each analysis).
func WithNow(t time.Time) Option { return func(s *settings) { s.now = t } }

// WithCatalog prices costs from c (default: the embedded catalog).
func WithCatalog(c *prices.Catalog) Option { return func(s *settings) { s.catalog = c } }

// WithPriceRegion prices in region r instead of the region the input
// says.
func WithPriceRegion(r string) Option { return func(s *settings) { s.priceRegion = r } }

// WithUsage supplies what configuration cannot know (traffic, storage).
func WithUsage(u *cost.Usage) Option { return func(s *settings) { s.usage = u } }

// Engine owns analyses: created once with its options (which hold the
// compiled policies and the price catalog), it turns inputs into
// immutable Snapshots and keeps what it read, so that Update re-reads
// only the inputs a change touches. Analyses run one at a time; an
// analysis started while another runs cancels it. An Engine is safe for
// concurrent use.
type Engine struct {
	s        settings
	policies *policies.Engine
	ignores  []policies.Ignore

	cmu    sync.Mutex // guards cancel
	cancel context.CancelFunc
	last   atomic.Pointer[Snapshot]

	mu      sync.Mutex // serializes analyses; guards the fields below
	cache   map[string]*cached
	overlay map[string][]byte
	tf      *terraform.Loader
	// parts keeps what each describe file yielded, by absolute path: the
	// describe files are joined as one group (their commands join across
	// files), but only the files that changed are read again.
	parts map[string]*describePart
	// modSources keeps each Terraform folder's local module calls
	// (discovery's root modules) for updates that do not touch it.
	modSources map[string][]string
	prev       *Snapshot // the last snapshot of e.req (Update's base)
	serial     uint64    // counts fragment reads
	// memo keeps facts and findings per component (incremental.go);
	// memoCur holds those of the last analysis; memoOK is false until a
	// whole-graph result could be split into components.
	memo    map[compKey]*compResult
	memoCur map[compKey]*compResult
	memoOK  bool
	// pending splits the last whole-graph result into components; it runs
	// when the next analysis starts.
	pending func()
	derived [2]int // components derived in the last analysis, of all
	chunks  int    // chunks the last evaluation of policies ran by (0: the whole graph)
	req     Request
	gen     uint64
}

// NewEngine prepares an engine: it loads and compiles the policies and the
// price catalog once. A bad option (a policy that does not compile, an
// unknown severity) is an error.
func NewEngine(ctx context.Context, opts ...Option) (*Engine, error) {
	s := settings{parts: PartAll}
	for _, o := range opts {
		o(&s)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.ingest.Region == "" {
		s.ingest.Region = "us-east-1"
	}
	if len(s.ingest.AvailabilityZones) == 0 {
		r := s.ingest.Region
		s.ingest.AvailabilityZones = []string{r + "a", r + "b", r + "c"}
	}
	// Readers get the limits as given (zero: each reader's own default,
	// such as 8 MiB for one .tf file); the analysis budget takes the
	// defaults.
	s.limits = s.ingest.Limits
	s.ingest.Limits = s.ingest.Limits.WithDefaults()
	if s.cfg != nil {
		s.skipPaths = append(append([]string(nil), s.cfg.SkipPaths...), s.skipPaths...)
	}
	if err := checkSkipPaths(s.skipPaths); err != nil {
		return nil, err
	}
	e := &Engine{s: s, cache: map[string]*cached{}, overlay: map[string][]byte{}, tf: terraform.NewLoader(), parts: map[string]*describePart{}, modSources: map[string][]string{}}
	if err := e.preparePolicies(ctx); err != nil {
		return nil, err
	}
	if s.parts&PartCosts != 0 && e.s.catalog == nil {
		cat, err := prices.Default()
		if err != nil {
			return nil, err
		}
		e.s.catalog = cat
	}
	return e, nil
}

// preparePolicies validates the configuration's levels and compiles the
// selected rules.
func (e *Engine) preparePolicies(ctx context.Context) error {
	s := &e.s
	cfg := s.cfg
	if cfg == nil {
		cfg = &config.Config{}
	}
	sevText := cfg.Severity
	if sevText != "" {
		if _, err := policies.ParseSeverity(sevText); err != nil {
			s.cfgDiags = append(s.cfgDiags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("severity: %v", err), Range: cfg.SeverityRange})
			sevText = ""
		}
	}
	if cfg.FailOn != "" {
		if _, err := policies.ParseFailOn(cfg.FailOn); err != nil {
			s.cfgDiags = append(s.cfgDiags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("fail_on: %v", err), Range: cfg.FailOnRange})
		}
	}
	sortDiagnostics(s.cfgDiags)
	for _, sup := range cfg.Suppressions {
		e.ignores = append(e.ignores, policies.Ignore{Rule: sup.Rule, Resource: sup.Resource, Reason: sup.Reason, Expires: sup.Expires, Range: sup.Range})
	}
	var opts []policies.Option
	for _, d := range append(append([]string(nil), cfg.Policies...), s.policyDirs...) {
		opts = append(opts, policies.WithPolicyDir(d))
	}
	rules := s.rules
	if len(rules) == 0 {
		rules = cfg.Rules
	}
	if len(rules) > 0 {
		opts = append(opts, policies.WithRules(rules...))
	}
	if skip := append(append([]string(nil), cfg.SkipRules...), s.skipRules...); len(skip) > 0 {
		opts = append(opts, policies.WithSkipRules(skip...))
	}
	if s.minSeverity != "" {
		sevText = s.minSeverity
	}
	if sevText != "" {
		sev, err := policies.ParseSeverity(sevText)
		if err != nil {
			return &OptionError{Option: "MinSeverity", Err: err}
		}
		opts = append(opts, policies.WithMinSeverity(sev))
	}
	if s.parts&PartFindings == 0 && len(opts) == 0 {
		return nil
	}
	pe, err := policies.New(ctx, opts...)
	if err != nil {
		return &OptionError{Option: "Policies", Err: err}
	}
	e.policies = pe
	return nil
}

// OptionError is a bad engine option: Option names it as the library
// spells it (the CLI maps it to its flag).
type OptionError struct {
	Option string
	Err    error
}

func (e *OptionError) Error() string { return e.Err.Error() }
func (e *OptionError) Unwrap() error { return e.Err }

// Policies returns the policy engine (nil when the engine evaluates none).
func (e *Engine) Policies() *policies.Engine { return e.policies }

// Config returns the configuration the engine was given (an empty one when
// none), with the diagnostics it raised.
func (e *Engine) Config() (*config.Config, []graph.Diagnostic) {
	c := e.s.cfg
	if c == nil {
		c = &config.Config{}
	}
	return c, append([]graph.Diagnostic(nil), e.s.cfgDiags...)
}

// Catalog returns the price catalog (nil when the engine prices nothing).
func (e *Engine) Catalog() *prices.Catalog { return e.s.catalog }

// PriceRegion returns the region prices are taken in when set by option.
func (e *Engine) PriceRegion() string { return e.s.priceRegion }

// File is an input held in memory (a live collection, an editor buffer
// of a file that is not on disk): Path names it in diagnostics and
// locations; its form is detected from Data like a file's.
type File struct {
	Path string
	Data []byte
}

// Request says what one analysis reads.
type Request struct {
	// Paths are files or folders; folders are walked recursively.
	Paths []string
	// Files are inputs held in memory.
	Files []File
	// Overlay replaces files for this analysis alone, by path: a nil
	// value means the file does not exist in it. A pull-request check
	// reads the base revision as the head's paths with the base's
	// contents, so unchanged inputs are not read twice and locations
	// name the same files.
	Overlay map[string][]byte
	// Base marks the base side of a comparison: usage entries naming
	// resources it lacks are not errors (the change may add them).
	Base bool
}

// Change is one changed file for Update.
type Change struct {
	// Path is the file's path as the inputs name it (absolute, or
	// relative to the working directory).
	Path string
	// Content is the unsaved text of an editor buffer; nil reads the
	// file from disk again (after a save, a close or a change on disk).
	Content []byte
	// Deleted says the file no longer exists.
	Deleted bool
}

// ErrNoSnapshot is returned by Update before any Analyze.
var ErrNoSnapshot = errors.New("analyzer: Update before Analyze")

// Snapshot is the outcome of one analysis. It is immutable: any number of
// goroutines may read it while the engine builds the next one. Slices and
// the graph are shared; do not modify them.
type Snapshot struct {
	// Generation counts the engine's analyses, from 1.
	Generation uint64
	// Inputs lists what was read, sorted by path.
	Inputs []Input
	// Reread lists the inputs this analysis parsed again (the others
	// were unchanged and their earlier result kept), in input order.
	Reread []Input
	// Graph holds the merged nodes with their derived facts (Graph.Facts).
	Graph *graph.Graph
	// Rules are the rules evaluated (empty without PartFindings).
	Rules []policies.Rule
	// Findings are sorted; suppressed ones are kept and marked.
	Findings []policies.Finding
	// Costs is the monthly cost estimate (nil without PartCosts, or when
	// CostErr says why not).
	Costs   *cost.Report
	CostErr error
	// Diagnostics: input problems, then the configuration's, then the
	// suppressions'.
	Diagnostics []graph.Diagnostic
}

// HasErrors reports whether any diagnostic is an error.
func (s *Snapshot) HasErrors() bool { return hasErrors(s.Diagnostics) }

// Unsuppressed returns the findings that are not suppressed.
func (s *Snapshot) Unsuppressed() []policies.Finding {
	var out []policies.Finding
	for _, f := range s.Findings {
		if !f.Suppressed {
			out = append(out, f)
		}
	}
	return out
}

func hasErrors(ds []graph.Diagnostic) bool {
	for _, d := range ds {
		if d.Severity == graph.SeverityError {
			return true
		}
	}
	return false
}

// Last returns the latest snapshot of Analyze or Update (nil before the
// first). It never waits for an analysis in flight.
func (e *Engine) Last() *Snapshot { return e.last.Load() }

// begin cancels the analysis in flight, waits for it to stop and takes
// the lock. The returned context is cancelled by the next begin.
func (e *Engine) begin(ctx context.Context) (context.Context, func()) {
	ctx, cancel := context.WithCancel(ctx)
	e.cmu.Lock()
	if e.cancel != nil {
		e.cancel()
	}
	e.cancel = cancel
	e.cmu.Unlock()
	e.mu.Lock()
	return ctx, func() {
		cancel()
		e.mu.Unlock()
	}
}

// Analyze reads every input of req and returns its snapshot. Inputs whose
// files are unchanged since an earlier analysis of this engine are not
// read again. An error means the analysis could not run at all (no
// input, a path that does not exist, a cancelled context); problems in
// the input are diagnostics in the snapshot.
func (e *Engine) Analyze(ctx context.Context, req Request) (*Snapshot, error) {
	if len(req.Paths) == 0 && len(req.Files) == 0 {
		return nil, ErrNoPaths
	}
	ctx, done := e.begin(ctx)
	defer done()
	snap, err := e.run(ctx, req, nil)
	if err != nil {
		return nil, err
	}
	if !req.Base {
		e.req, e.prev = req, snap
		e.last.Store(snap)
	}
	return snap, nil
}

// Update applies changed files — unsaved editor contents, saves, files
// created or deleted on disk — to the last analysis and returns the new
// snapshot. Only the inputs the files belong to are read again; the
// facts and findings are recomputed where the change can matter.
func (e *Engine) Update(ctx context.Context, changes ...Change) (*Snapshot, error) {
	ctx, done := e.begin(ctx)
	defer done()
	if e.prev == nil {
		return nil, ErrNoSnapshot
	}
	for _, c := range changes {
		p := absPath(c.Path)
		if c.Content != nil && !c.Deleted {
			e.overlay[p] = append([]byte(nil), c.Content...)
		} else {
			delete(e.overlay, p)
		}
	}
	snap, err := e.run(ctx, e.req, changes)
	if err != nil {
		return nil, err
	}
	e.prev = snap
	e.last.Store(snap)
	return snap, nil
}
