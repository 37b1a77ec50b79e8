package policies

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/rego"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// Option configures an Engine.
type Option func(*options)

type options struct {
	dirs        []string
	noBuiltins  bool
	rules       []string
	skip        []string
	minSeverity Severity
}

// WithPolicyDir adds a directory of user policies (repeatable). User rules
// run with the same input and the same restricted capabilities as the
// built-in ones.
func WithPolicyDir(dir string) Option {
	return func(o *options) { o.dirs = append(o.dirs, dir) }
}

// WithoutBuiltins leaves the built-in rules out (their helpers stay
// available to user rules).
func WithoutBuiltins() Option { return func(o *options) { o.noBuiltins = true } }

// WithRules evaluates only the rules whose id matches one of the patterns
// (path.Match globs: "rds-*").
func WithRules(patterns ...string) Option {
	return func(o *options) { o.rules = append(o.rules, patterns...) }
}

// WithSkipRules leaves out the rules whose id matches one of the patterns.
func WithSkipRules(patterns ...string) Option {
	return func(o *options) { o.skip = append(o.skip, patterns...) }
}

// WithMinSeverity evaluates only the rules at or above min.
func WithMinSeverity(min Severity) Option { return func(o *options) { o.minSeverity = min } }

// Engine holds the compiled rules and the prepared query. It is safe for
// concurrent use; prepare it once per process (or language server session)
// and call Evaluate per analysis.
type Engine struct {
	all      []Rule // every rule loaded, selected or not
	selected []Rule
	byID     map[string]Rule
	// queries holds one prepared query per selected rule, in the order of
	// selected, all sharing one compiler: Evaluate runs them side by side.
	queries []rego.PreparedEvalQuery
	// took is how long each selected rule's query took the last time it
	// ran (nanoseconds): eval starts the longest first, so that on a few
	// cores a slow rule does not start last and run alone at the end.
	took []atomic.Int64
	// ready is closed when the queries are prepared (prepared says how);
	// nil when New prepared them itself.
	ready    chan struct{}
	prepared error
}

// New loads the built-in rules and the user policy directories, applies the
// rule selection, and compiles and prepares the queries once (the built-in
// rules alone on another goroutine: the first evaluation waits for them).
func New(ctx context.Context, opts ...Option) (*Engine, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	mods, err := builtinModules(false)
	if err != nil {
		return nil, err
	}
	for _, dir := range o.dirs {
		dm, err := dirModules(dir, false)
		if err != nil {
			return nil, err
		}
		mods = append(mods, dm...)
	}
	e := &Engine{byID: map[string]Rule{}}
	for _, m := range mods {
		r, ok, err := ruleFromModule(m.mod, m.builtin)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		if old, dup := e.byID[r.ID]; dup {
			return nil, fmt.Errorf("rule %s declared twice: %s and %s", r.ID, old.File, r.File)
		}
		e.byID[r.ID] = r
		e.all = append(e.all, r)
	}
	sortRules(e.all)
	if err := e.selectRules(o); err != nil {
		return nil, err
	}
	if len(o.dirs) == 0 {
		// The built-in rules alone always compile (TestRego, every test
		// that evaluates): they are compiled on another goroutine, while
		// the caller reads its inputs, and the first evaluation waits for
		// them. A one-shot scan's reading keeps a core free for that most
		// of the time (the Terraform load is sequential). User policies
		// are compiled here, so that an error in them is New's.
		e.ready = make(chan struct{})
		bg := context.WithoutCancel(ctx)
		go func() {
			defer close(e.ready)
			e.prepared = e.prepare(bg, mods)
		}()
		return e, nil
	}
	if err := e.prepare(ctx, mods); err != nil {
		return nil, err
	}
	return e, nil
}

// wait waits until the queries are prepared, or ctx is done.
func (e *Engine) wait(ctx context.Context) error {
	if e.ready == nil {
		return nil
	}
	select {
	case <-e.ready:
		return e.prepared
	case <-ctx.Done():
		return ctx.Err()
	}
}

// prepare compiles the modules and the entry point once and prepares one
// query per selected rule on that compiler.
func (e *Engine) prepare(ctx context.Context, mods []module) error {
	entry, err := ast.ParseModuleWithOpts("vpcgate/engine.rego", entryModule(e.selected), ast.ParserOptions{RegoVersion: ast.RegoV1})
	if err != nil {
		return fmt.Errorf("engine entry point: %w", err)
	}
	caps := restrictedCapabilities()
	compiler := ast.NewCompiler().WithCapabilities(caps).WithDefaultRegoVersion(ast.RegoV1)
	common := []func(*rego.Rego){
		rego.Compiler(compiler),
		rego.Capabilities(caps),
		rego.SetRegoVersion(ast.RegoV1),
	}
	// The first preparation compiles every module; the others only their query.
	first := append(append([]func(*rego.Rego){}, common...), rego.Query(entryQuery(0, len(e.selected))))
	for _, m := range mods {
		first = append(first, rego.ParsedModule(m.mod))
	}
	first = append(first, rego.ParsedModule(entry))
	pq, err := rego.New(first...).PrepareForEval(ctx)
	if err != nil {
		return fmt.Errorf("compile policies: %w", explainCompileError(err))
	}
	if len(e.selected) == 0 {
		return nil
	}
	e.queries = make([]rego.PreparedEvalQuery, len(e.selected))
	e.took = make([]atomic.Int64, len(e.selected))
	e.queries[0] = pq
	for i := 1; i < len(e.selected); i++ {
		opts := append(append([]func(*rego.Rego){}, common...), rego.Query(entryQuery(i, len(e.selected))))
		if e.queries[i], err = rego.New(opts...).PrepareForEval(ctx); err != nil {
			return fmt.Errorf("prepare rule %s: %w", e.selected[i].ID, err)
		}
	}
	return nil
}

// entryQuery is the query of the i-th of n selected rules' findings
// (a trivial one when no rule is selected, to compile the modules anyway).
func entryQuery(i, n int) string {
	if n == 0 {
		return "true"
	}
	return fmt.Sprintf("data.vpcgate.engine.rule_%d", i)
}

// selectRules applies --rule, --skip-rule, --severity and WithoutBuiltins.
// A pattern that names no rule is an error: a typo must not silently turn a
// gate off.
func (e *Engine) selectRules(o options) error {
	for _, p := range append(append([]string(nil), o.rules...), o.skip...) {
		if _, err := path.Match(p, ""); err != nil {
			return fmt.Errorf("rule pattern %q: %w", p, err)
		}
		if !e.matchesAny(p) {
			return fmt.Errorf("no rule matches %q (see vpcgate policies list)", p)
		}
	}
	for _, r := range e.all {
		if o.noBuiltins && r.Builtin {
			continue
		}
		if len(o.rules) > 0 && !matchID(o.rules, r.ID) {
			continue
		}
		if matchID(o.skip, r.ID) {
			continue
		}
		if o.minSeverity != "" && !r.Severity.AtLeast(o.minSeverity) {
			continue
		}
		e.selected = append(e.selected, r)
	}
	return nil
}

func (e *Engine) matchesAny(pattern string) bool {
	for _, r := range e.all {
		if ok, _ := path.Match(pattern, r.ID); ok {
			return true
		}
	}
	return false
}

func matchID(patterns []string, id string) bool {
	for _, p := range patterns {
		if ok, _ := path.Match(p, id); ok {
			return true
		}
	}
	return false
}

// entryModule generates the entry point: rule_<i> collects the deny set
// of the i-th selected rule, each result tagged with its rule id.
func entryModule(rules []Rule) string {
	var b strings.Builder
	b.WriteString("package vpcgate.engine\n")
	for i, r := range rules {
		id, _ := json.Marshal(r.ID)
		fmt.Fprintf(&b, "\nrule_%d contains object.union(f, {\"rule\": %s}) if {\n\tsome x in %s.deny\n\tf := data.vpcgate.lib.as_finding(x)\n}\n", i, id, r.Package)
	}
	return b.String()
}

// Rules returns every rule loaded (selected or not), sorted by id.
func (e *Engine) Rules() []Rule { return append([]Rule(nil), e.all...) }

// Selected returns the rules Evaluate runs, sorted by id.
func (e *Engine) Selected() []Rule { return append([]Rule(nil), e.selected...) }

// Rule returns the rule with id.
func (e *Engine) Rule(id string) (Rule, bool) { r, ok := e.byID[id]; return r, ok }

// Evaluate runs the selected rules over g and returns their findings,
// sorted, with inline suppressions (graph.Base.Suppressions) applied. A
// rule whose evaluation panics is left out: the error is then a
// *RulePanicError naming it, returned with the other rules' findings.
// Config and baseline suppressions are applied by Suppress.
func (e *Engine) Evaluate(ctx context.Context, g *graph.Graph) ([]Finding, error) {
	out, err := e.EvaluateEach(ctx, []*graph.Graph{g})
	if out == nil {
		return nil, err
	}
	return out[0], err
}

// EvaluateEach is Evaluate over parts of one analysis that no rule looks
// across (the analyzer's components: nodes that references connect), and
// returns the findings of each part. Every (part, rule) evaluation runs on
// the next free core, so that a rule with many findings does not run alone
// on one core while the others idle. Errors are Evaluate's: a
// *RulePanicError comes with the findings of every rule that did not
// panic.
func (e *Engine) EvaluateEach(ctx context.Context, gs []*graph.Graph) ([][]Finding, error) {
	inputs := make([]ast.Value, len(gs))
	for p, g := range gs {
		input, err := inputValueCtx(ctx, g)
		if err != nil {
			return nil, err
		}
		inputs[p] = input
	}
	raw, err := e.eval(ctx, inputs)
	var panics *RulePanicError
	if errors.As(err, &panics) {
		err = nil
	}
	if err != nil {
		return nil, err
	}
	out := make([][]Finding, len(gs))
	errs := make([]error, len(gs))
	parallel(len(gs), func(p int) {
		fs := make([]Finding, 0, len(raw[p]))
		for _, x := range raw[p] {
			obj, ok := x.(map[string]any)
			if !ok {
				continue
			}
			f, err := e.finding(gs[p], obj)
			if err != nil {
				errs[p] = err
				return
			}
			fs = append(fs, f)
		}
		SortFindings(fs)
		out[p] = fs
	})
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if panics != nil {
		// The findings of the rules that did not panic, and which did.
		return out, panics
	}
	return out, nil
}

// parallel calls f(0) … f(n-1) on as many goroutines as there are cores.
func parallel(n int, f func(int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				f(i)
			}
		})
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
}

// eval runs every selected rule's query over each input, on as many
// goroutines as there are cores (the rules are independent and OPA
// evaluates one query on one goroutine; the inputs are only read), and
// returns each input's results in rule order.
func (e *Engine) eval(ctx context.Context, inputs []ast.Value) ([][]any, error) {
	if err := e.wait(ctx); err != nil {
		return nil, err
	}
	type item struct{ part, rule int }
	items := make([]item, 0, len(inputs)*len(e.queries))
	for _, i := range e.order() {
		for p := range inputs {
			items = append(items, item{p, i})
		}
	}
	results := make([][][]any, len(inputs))
	errs := make([][]error, len(inputs))
	for p := range inputs {
		results[p] = make([][]any, len(e.queries))
		errs[p] = make([]error, len(e.queries))
	}
	took := make([]atomic.Int64, len(e.queries))
	next := make(chan item)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(items)) {
		wg.Go(func() {
			for it := range next {
				start := time.Now()
				results[it.part][it.rule], errs[it.part][it.rule] = safeEvalQuery(ctx, e.selected[it.rule].ID, e.queries[it.rule], inputs[it.part])
				took[it.rule].Add(int64(time.Since(start)))
			}
		})
	}
	for _, it := range items {
		if ctx.Err() != nil {
			break // the running queries see it too and stop
		}
		next <- it
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err // not the findings of the rules that finished
	}
	raw := make([][]any, len(inputs))
	var panics *RulePanicError
	panicked := map[int]bool{}
	for i := range e.queries {
		for p := range inputs {
			err := errs[p][i]
			var rp rulePanic
			if errors.As(err, &rp) {
				if !panicked[i] {
					panicked[i] = true
					if panics == nil {
						panics = &RulePanicError{}
					}
					panics.Rules = append(panics.Rules, RulePanic{ID: e.selected[i].ID, Panic: rp.value})
				}
				continue
			}
			if err != nil {
				return nil, fmt.Errorf("evaluate policies: rule %s: %w", e.selected[i].ID, err)
			}
		}
		if !panicked[i] {
			e.took[i].Store(took[i].Load())
			for p := range inputs {
				raw[p] = append(raw[p], results[p][i]...)
			}
		}
	}
	if panics != nil {
		return raw, panics
	}
	return raw, nil
}

// order returns the indexes of the selected rules, the slowest of their
// last runs first (the rule order before any has run). The order decides
// only which query a worker takes next, never the results.
func (e *Engine) order() []int {
	idx := make([]int, len(e.queries))
	took := make([]int64, len(e.queries))
	for i := range idx {
		idx[i] = i
		took[i] = e.took[i].Load()
	}
	sort.SliceStable(idx, func(a, b int) bool { return took[idx[a]] > took[idx[b]] })
	return idx
}

// RulePanicError reports the rules whose evaluation panicked. Evaluate
// returns it with the findings of the other rules.
type RulePanicError struct {
	Rules []RulePanic
}

// RulePanic is one rule whose evaluation panicked, and what it panicked
// with.
type RulePanic struct {
	ID, Panic string
}

func (e *RulePanicError) Error() string {
	ids := make([]string, len(e.Rules))
	for i, r := range e.Rules {
		ids[i] = r.ID
	}
	return fmt.Sprintf("evaluate policies: internal error in rule %s: %s", strings.Join(ids, ", "), e.Rules[0].Panic)
}

// rulePanic is a recovered panic of one query.
type rulePanic struct{ value string }

func (p rulePanic) Error() string { return "panic: " + p.value }

// evalHook is set by tests only: it runs before each rule's query, so
// that a test can make one rule panic.
var evalHook func(rule string)

// safeEvalQuery is evalQuery on a worker goroutine: a panic there would
// end the process, so it is recovered where it runs and returned as a
// rulePanic.
func safeEvalQuery(ctx context.Context, rule string, q rego.PreparedEvalQuery, input ast.Value) (out []any, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, rulePanic{value: fmt.Sprint(r)}
		}
	}()
	if evalHook != nil {
		evalHook(rule)
	}
	return evalQuery(ctx, q, input)
}

// evalQuery evaluates one rule's query and returns its findings.
func evalQuery(ctx context.Context, q rego.PreparedEvalQuery, input ast.Value) ([]any, error) {
	rs, err := q.Eval(ctx, rego.EvalParsedInput(input))
	if err != nil {
		return nil, err
	}
	if len(rs) == 0 || len(rs[0].Expressions) == 0 {
		return nil, nil
	}
	raw, _ := rs[0].Expressions[0].Value.([]any)
	return raw, nil
}

// finding converts one result object of the entry point.
func (e *Engine) finding(g *graph.Graph, obj map[string]any) (Finding, error) {
	ruleID, _ := obj["rule"].(string)
	r, ok := e.byID[ruleID]
	if !ok {
		return Finding{}, fmt.Errorf("evaluate policies: result for unknown rule %q", ruleID)
	}
	f := Finding{
		RuleID:   r.ID,
		Title:    r.Title,
		Severity: r.Severity,
		Detail:   r.Remediation,
	}
	f.Message, _ = obj["message"].(string)
	f.Undetermined, _ = obj["undetermined"].(bool)
	if at, ok := obj["at"].(map[string]any); ok {
		id, kind, subject, context := locate(g, at)
		f.Resource = Resource{ID: id, Kind: kind}
		f.Subject, f.Context = subject, context
		if i, ok := arrayIndex(at["exposure"]); ok {
			f.Path = exposurePath(g, id, i)
		}
	}
	if rel, ok := obj["related"].([]any); ok {
		seen := map[Related]bool{}
		for _, x := range rel {
			loc, ok := x.(map[string]any)
			if !ok {
				continue
			}
			if i, ok := arrayIndex(loc["exposure_path"]); ok {
				id, _ := loc["id"].(string)
				for _, r := range exposureHops(g, id, i) {
					if !seen[r] {
						seen[r] = true
						f.Related = append(f.Related, r)
					}
				}
				continue
			}
			id, kind, subject, _ := locate(g, loc)
			role, _ := loc["role"].(string)
			r := Related{ID: id, Kind: kind, Role: role, Range: subject}
			if id == "" || seen[r] {
				continue
			}
			seen[r] = true
			f.Related = append(f.Related, r)
		}
	}
	key, _ := obj["key"].(string)
	if key == "" {
		key = f.Message
	}
	f.Fingerprint = fingerprint(f.RuleID, f.Resource.ID, key)
	if n := g.Node(f.Resource.ID); n != nil {
		for _, s := range n.Meta().Suppressions {
			if strings.TrimSpace(s.Reason) == "" {
				continue
			}
			if s.RuleID == f.RuleID || s.RuleID == "all" || s.RuleID == "*" {
				src := s.Source
				if src == "" {
					src = "inline"
				}
				f.Suppressed = true
				f.Suppression = &Suppression{Reason: s.Reason, Source: src, Range: s.Range}
				break
			}
		}
	}
	return f, nil
}

// locate turns a locator object written by a rule ({"id": …} plus one of
// attr, ingress, egress, route, association, entry, exposure, listener) into
// the node's id, kind, the tight range and the node's range.
func locate(g *graph.Graph, loc map[string]any) (string, graph.Kind, graph.Range, graph.Range) {
	id, _ := loc["id"].(string)
	n := g.Node(id)
	if n == nil {
		k, _ := loc["kind"].(string)
		return id, graph.Kind(k), graph.Range{}, graph.Range{}
	}
	b := n.Meta()
	ctx := b.Source.Range
	subject := ctx
	if attr, ok := loc["attr"].(string); ok {
		subject = b.AttrRange(attr)
	}
	if i, ok := arrayIndex(loc["ingress"]); ok {
		if sg, ok := n.(*graph.SecurityGroup); ok && i < len(sg.Ingress) {
			subject = nonZero(sg.Ingress[i].Range, ctx)
		}
	}
	if i, ok := arrayIndex(loc["egress"]); ok {
		if sg, ok := n.(*graph.SecurityGroup); ok && i < len(sg.Egress) {
			subject = nonZero(sg.Egress[i].Range, ctx)
		}
	}
	if i, ok := arrayIndex(loc["route"]); ok {
		if rt, ok := n.(*graph.RouteTable); ok && i < len(rt.Routes) {
			subject = nonZero(rt.Routes[i].Range, ctx)
		}
	}
	if i, ok := arrayIndex(loc["association"]); ok {
		if rt, ok := n.(*graph.RouteTable); ok && i < len(rt.Associations) {
			subject = nonZero(rt.Associations[i].Range, ctx)
		}
	}
	if i, ok := arrayIndex(loc["entry"]); ok {
		if acl, ok := n.(*graph.NetworkACL); ok && i < len(acl.Entries) {
			subject = nonZero(acl.Entries[i].Range, ctx)
		}
	}
	if i, ok := arrayIndex(loc["exposure"]); ok {
		if f := g.Facts.Nodes[id]; f != nil && i < len(f.InternetReachable) {
			subject = nonZero(f.InternetReachable[i].Rule, ctx)
		}
	}
	return id, b.Kind, subject, ctx
}

// exposurePath returns the hops of exposure i of node id with their
// ranges.
func exposurePath(g *graph.Graph, id string, i int) []Related {
	nf := g.Facts.Nodes[id]
	if nf == nil || i >= len(nf.InternetReachable) {
		return nil
	}
	e := nf.InternetReachable[i]
	path := make([]Related, 0, len(e.Path))
	igw := ""
	for _, h := range e.Path {
		r := Related{ID: h.Node, Kind: h.Kind, Role: h.Detail}
		n := g.Node(h.Node)
		if n != nil {
			r.Range = n.Meta().Source.Range
		}
		switch x := n.(type) {
		case *graph.InternetGateway:
			igw = x.ID
		case *graph.RouteTable:
			r.Range = nonZero(routeBack(x, igw, e.IPv6), r.Range)
		case *graph.SecurityGroup:
			if !e.Rule.IsZero() && e.Rule.File == r.Range.File {
				r.Range = e.Rule
			}
		}
		path = append(path, r)
	}
	return path
}

// exposureHops returns the nodes on the path of exposure i of node id
// but the internet, in order, as related entries whose role is the hop's
// detail (lib.exposure_path).
func exposureHops(g *graph.Graph, id string, i int) []Related {
	nf := g.Facts.Nodes[id]
	if nf == nil || i >= len(nf.InternetReachable) {
		return nil
	}
	hops := nf.InternetReachable[i].Path
	out := make([]Related, 0, len(hops))
	for _, h := range hops {
		if h.Kind == "internet" || h.Node == "" {
			continue
		}
		r := Related{ID: h.Node, Kind: h.Kind, Role: h.Detail}
		if n := g.Node(h.Node); n != nil {
			r.Kind = n.Meta().Kind
			r.Range = n.Meta().Source.Range
		}
		out = append(out, r)
	}
	return out
}

// routeBack returns the range of the route table's default route to the
// internet gateway (of the address family), else of any route to it.
func routeBack(rt *graph.RouteTable, igw string, ipv6 bool) graph.Range {
	var any graph.Range
	for _, r := range rt.Routes {
		if igw == "" || r.TargetID != igw {
			continue
		}
		if (!ipv6 && r.DestinationCIDR == "0.0.0.0/0") || (ipv6 && r.DestinationIPv6CIDR == "::/0") {
			return r.Range
		}
		if any.IsZero() {
			any = r.Range
		}
	}
	return any
}

func nonZero(r, fallback graph.Range) graph.Range {
	if r.IsZero() {
		return fallback
	}
	return r
}

// arrayIndex reads a non-negative array index from a decoded OPA number.
func arrayIndex(v any) (int, bool) {
	switch n := v.(type) {
	case json.Number:
		i, err := n.Int64()
		return int(i), err == nil && i >= 0
	case float64:
		return int(n), n >= 0
	case int:
		return n, n >= 0
	}
	return 0, false
}

// ruleIDs returns the ids of rules, sorted.
func ruleIDs(rs []Rule) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.ID
	}
	sort.Strings(out)
	return out
}
