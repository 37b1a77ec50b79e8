package terraform

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/typeexpr"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	hcljson "github.com/hashicorp/hcl/v2/json"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// evaluator evaluates one configuration: the root module and every module
// instance under it.
type evaluator struct {
	ctx      context.Context
	loader   *Loader
	opts     Options
	rootDir  string
	rootReal string
	funcs    map[string]function.Function
	manifest map[string]string
	configs  map[string]*moduleConfig // by directory
	root     *modInst
	modules  []*modInst // every module instance, in creation order
	diags    []graph.Diagnostic
	stopped  bool
	evals    int              // expressions evaluated, bounded by maxEvaluations
	noVars   *hcl.EvalContext // the context of expressions that refer to nothing
	// Evaluation reuse (memo.go): what the last load left, what this one
	// leaves, the recorders of the evaluations under way, and whether a
	// reference cycle was met.
	prev, next *loadMemo
	recs       []*recorder
	sawBusy    bool
	reused     int // instances whose attributes were reused
	budget     *ingest.Budget
}

func newEvaluator(ctx context.Context, l *Loader, dir string, opts Options) *evaluator {
	ev := &evaluator{ctx: ctx, loader: l, opts: opts, rootDir: dir, funcs: functions(), configs: map[string]*moduleConfig{}, next: newLoadMemo()}
	root := opts.Root
	if root == "" {
		root = dir
		ev.opts.Root = dir
	}
	if real, err := filepath.EvalSymlinks(root); err == nil {
		ev.rootReal, _ = filepath.Abs(real)
	} else if abs, err := filepath.Abs(root); err == nil {
		ev.rootReal = abs
	}
	if len(ev.opts.AvailabilityZones) == 0 {
		region := opts.Region
		if region == "" {
			region = "us-east-1"
		}
		ev.opts.AvailabilityZones = []string{region + "a", region + "b", region + "c"}
	}
	return ev
}

func (ev *evaluator) warn(f *file, r hcl.Range, summary, detail string) {
	d := graph.Diagnostic{Severity: graph.SeverityWarning, Summary: summary, Detail: detail, Range: f.rng(r)}
	ev.diags = append(ev.diags, d)
	if t := ev.top(); t != nil {
		t.warns = append(t.warns, d)
	}
}

// cancelled reports (once) that the context is done.
func (ev *evaluator) cancelled() bool {
	if ev.stopped {
		return true
	}
	if err := ev.ctx.Err(); err != nil {
		ev.stopped = true
		ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("terraform evaluation stopped: %v", err), Range: graph.Range{File: ev.rootDir}})
		return true
	}
	return false
}

func (ev *evaluator) run() {
	if d := ev.checkInside(ev.rootDir, graph.Range{File: ev.rootDir}); d != nil {
		ev.diags = append(ev.diags, *d)
		return
	}
	ev.manifest = ev.readManifest()
	cfg := ev.loadModuleConfig(ev.rootDir, graph.Range{File: ev.rootDir})
	ev.configs[ev.rootDir] = cfg
	ev.root = newModInst(ev, cfg, "", "", nil, nil)
	ev.root.vars = ev.rootVariables(cfg)
	ev.instantiate(ev.root, 0)
	for i := 0; i < len(ev.modules); i++ {
		m := ev.modules[i]
		for _, r := range m.cfg.resources {
			if ev.cancelled() {
				return
			}
			m.resource(r.key())
		}
	}
}

// instantiate creates the child module instances of m, recursively.
func (ev *evaluator) instantiate(m *modInst, depth int) {
	ev.modules = append(ev.modules, m)
	for _, c := range m.cfg.calls {
		if ev.cancelled() {
			return
		}
		ci := &callInst{cfg: c}
		m.calls[c.name] = ci
		at := c.file.rng(c.block.DefRange())
		if depth >= maxModuleDepth {
			ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("module %s nests deeper than %d levels; not followed", c.name, maxModuleDepth), Range: at})
			continue
		}
		dir, ok := ev.moduleDir(m, c, at)
		if !ok {
			continue
		}
		cfg, seen := ev.configs[dir]
		if !seen {
			cfg = ev.loadModuleConfig(dir, at)
			ev.configs[dir] = cfg
		}
		keys, known := m.expand(c.count, c.forEach, c.file, c.block)
		if !known {
			ci.unknown = true
			continue
		}
		keys = m.claim(keys, c.count != nil || c.forEach != nil, m.addr+"module."+c.name, at)
		ci.keyed = c.count != nil || c.forEach != nil
		ci.byCount = c.count != nil
		for _, k := range keys {
			if len(ev.modules) >= maxModuleInstances {
				ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("more than %d module instances; the rest are not evaluated", maxModuleInstances), Range: at})
				return
			}
			addr := m.addr + "module." + c.name + k.suffix
			child := newModInst(ev, cfg, addr+".", m.manifestKey(c.name), m, &k)
			child.call = c
			ci.instances = append(ci.instances, child)
			ev.instantiate(child, depth+1)
		}
	}
}

// moduleDir finds the directory of a module call: a local path relative to
// the calling module, or a module installed by terraform init.
func (ev *evaluator) moduleDir(m *modInst, c *callConfig, at graph.Range) (string, bool) {
	src := c.source
	if src == "" {
		ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityWarning, Summary: fmt.Sprintf("module %s has no literal source; its resources are unknown", c.name), Range: at})
		return "", false
	}
	if strings.HasPrefix(src, "./") || strings.HasPrefix(src, "../") || src == "." || src == ".." {
		dir := filepath.Join(m.cfg.dir, filepath.FromSlash(src))
		if d := ev.checkInside(dir, at); d != nil {
			ev.diags = append(ev.diags, *d)
			return "", false
		}
		if !ev.opts.AllowOutsideRoot && !lexicallyInside(ev.opts.Root, dir) {
			ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("module source %q leaves the scanned root %s; not followed", src, ev.opts.Root), Range: at})
			return "", false
		}
		return dir, true
	}
	key := m.manifestKey(c.name)
	dir, ok := ev.manifest[key]
	if !ok {
		ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityWarning, Summary: fmt.Sprintf("module %s (%s) is not installed locally; its resources are unknown", c.name, src), Detail: "run terraform init so that .terraform/modules/modules.json lists it", Range: at})
		return "", false
	}
	if d := ev.checkInside(dir, at); d != nil {
		ev.diags = append(ev.diags, *d)
		return "", false
	}
	if !ev.opts.AllowOutsideRoot && !lexicallyInside(ev.opts.Root, dir) {
		ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("module %s is installed outside the scanned root (%s); not followed", c.name, dir), Range: at})
		return "", false
	}
	return dir, true
}

// lexicallyInside reports whether p is root or under it, comparing cleaned
// absolute paths.
func lexicallyInside(root, p string) bool {
	ra, err1 := filepath.Abs(root)
	pa, err2 := filepath.Abs(p)
	if err1 != nil || err2 != nil {
		return false
	}
	return pa == ra || strings.HasPrefix(pa, ra+string(filepath.Separator))
}

// modInst is one instance of a module: its variables, locals, resources and
// child calls.
type modInst struct {
	ev     *evaluator
	cfg    *moduleConfig
	addr   string // "" for the root, else "module.vpc." with instance keys
	key    string // manifest key: "vpc.subnets"
	parent *modInst
	inKey  *instKey // this instance's key in the parent call
	call   *callConfig

	vars      map[string]cty.Value // root: resolved; children: lazily from the call
	varState  map[string]int
	locals    map[string]cty.Value
	locState  map[string]int
	resources map[string]*resInst
	calls     map[string]*callInst
	// providerRegions caches the region of each aws provider alias.
	providerRegions map[string]string
}

func newModInst(ev *evaluator, cfg *moduleConfig, addr, key string, parent *modInst, k *instKey) *modInst {
	return &modInst{
		ev: ev, cfg: cfg, addr: addr, key: key, parent: parent, inKey: k,
		vars: map[string]cty.Value{}, varState: map[string]int{}, locals: map[string]cty.Value{}, locState: map[string]int{},
		resources: map[string]*resInst{}, calls: map[string]*callInst{}, providerRegions: map[string]string{},
	}
}

func (m *modInst) manifestKey(name string) string {
	if m.key == "" {
		return name
	}
	return m.key + "." + name
}

// callInst is a module call's instances.
type callInst struct {
	cfg       *callConfig
	keyed     bool
	byCount   bool
	unknown   bool
	instances []*modInst
	value     cty.Value
	state     int
}

// instKey is the key of one instance of a counted or for_each resource or
// module.
type instKey struct {
	suffix string    // "", "[0]" or "[\"a\"]"
	count  cty.Value // count.index, or NilVal
	key    cty.Value // each.key, or NilVal
	value  cty.Value // each.value
}

// scope is what an expression may see besides the module's names.
type scope struct {
	key   *instKey
	iters map[string]cty.Value // dynamic block iterators
	self  cty.Value
}

func (s *scope) with(name string, v cty.Value) *scope {
	n := &scope{iters: map[string]cty.Value{}}
	if s != nil {
		n.key = s.key
		n.self = s.self
		for k, x := range s.iters {
			n.iters[k] = x
		}
	}
	n.iters[name] = v
	return n
}

// eval evaluates expr in the module instance. Any problem is a warning
// diagnostic and an unknown result.
func (m *modInst) eval(expr hcl.Expression, sc *scope, f *file) cty.Value {
	if expr == nil {
		return cty.NullVal(cty.DynamicPseudoType)
	}
	if t := m.ev.top(); t != nil {
		t.evals++
	}
	if m.ev.evals++; m.ev.evals > maxEvaluations {
		if m.ev.evals == maxEvaluations+1 {
			m.ev.warn(f, expr.Range(), fmt.Sprintf("the configuration needs more than %d expression evaluations; the rest are unknown", maxEvaluations), "")
		}
		return cty.DynamicVal
	}
	ctx := m.evalContext(expr, sc, f)
	v, diags := expr.Value(ctx)
	if diags.HasErrors() {
		for _, d := range diags {
			if d.Severity != hcl.DiagError {
				continue
			}
			r := expr.Range()
			if d.Subject != nil {
				r = *d.Subject
			}
			m.ev.warn(f, r, "cannot evaluate expression: "+d.Summary, d.Detail)
			break
		}
		return cty.DynamicVal
	}
	return v
}

// exprRefs is what an expression refers to, as evalContext asks it: each
// root name (var, local, a resource type…), sorted, with the attribute
// names read right after it (and, under data, "type.name"), sorted.
type exprRefs []rootRefs

type rootRefs struct {
	root  string
	names []string
}

// refsOf returns the references of expr, an expression of f, worked out
// once per parsed file: the file is kept by the Loader while its content
// is unchanged, so a load after an edit walks only the edited file's
// expressions again. (Every caller of eval passes the file the expression
// is written in; a file the Loader did not parse keeps nothing.)
func (f *file) refsOf(expr hcl.Expression) exprRefs {
	if f == nil || f.hash == ([32]byte{}) {
		return scanRefs(expr)
	}
	f.refsMu.Lock()
	r, ok := f.refs[expr]
	f.refsMu.Unlock()
	if ok {
		return r
	}
	r = scanRefs(expr)
	f.refsMu.Lock()
	if f.refs == nil {
		f.refs = map[hcl.Expression]exprRefs{}
	}
	f.refs[expr] = r
	f.refsMu.Unlock()
	return r
}

// attrRefs adds the references of every attribute expression of body and
// its nested blocks to out (made when nil) and returns it. Parsing works
// them out (files are parsed side by side) so that evaluation, which runs
// on one goroutine, finds them ready: every expression the evaluator
// evaluates is an attribute's.
func attrRefs(body *hclsyntax.Body, out map[hcl.Expression]exprRefs) map[hcl.Expression]exprRefs {
	if out == nil {
		out = map[hcl.Expression]exprRefs{}
	}
	for _, a := range body.Attributes {
		out[a.Expr] = scanRefs(a.Expr)
	}
	for _, b := range body.Blocks {
		attrRefs(b.Body, out)
	}
	return out
}

// scanRefs walks expr's traversals.
func scanRefs(expr hcl.Expression) exprRefs {
	roots := map[string]map[string]bool{}
	for _, t := range expr.Variables() {
		root := t.RootName()
		w := roots[root]
		if w == nil {
			w = map[string]bool{}
			roots[root] = w
		}
		if len(t) > 1 {
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				w[a.Name] = true
				if root == "data" && len(t) > 2 {
					if b, ok := t[2].(hcl.TraverseAttr); ok {
						w[a.Name+"."+b.Name] = true
					}
				}
			}
		}
	}
	if len(roots) == 0 {
		return nil
	}
	out := make(exprRefs, 0, len(roots))
	for _, root := range sortedKeys(roots) {
		out = append(out, rootRefs{root: root, names: sortedKeys(roots[root])})
	}
	return out
}

// evalContext builds the variables expr refers to, evaluating them on
// demand.
func (m *modInst) evalContext(expr hcl.Expression, sc *scope, f *file) *hcl.EvalContext {
	refs := f.refsOf(expr)
	if len(refs) == 0 {
		// Literals and function calls on them: one context for all.
		if m.ev.noVars == nil {
			m.ev.noVars = &hcl.EvalContext{Variables: map[string]cty.Value{}, Functions: m.ev.funcs}
		}
		return m.ev.noVars
	}
	vars := make(map[string]cty.Value, len(refs))
	rec := m.ev.top()
	// What the names evaluate (locals, variables, other resources) is
	// theirs, not this expression's (see memo.go).
	m.ev.push(nil)
	for _, rr := range refs {
		root := rr.root
		if sc != nil {
			if v, ok := sc.iters[root]; ok {
				vars[root] = v
				continue
			}
		}
		if rec != nil && resourceRoot(root) {
			rec.resourceRead(m, root, rr.names)
		}
		v, ok := m.rootValue(root, rr.names, sc)
		if ok {
			vars[root] = v
		}
		if rec != nil && !resourceRoot(root) {
			rec.reads = append(rec.reads, read{root: root, names: rr.names, v: v, present: ok})
		}
	}
	m.ev.pop()
	return &hcl.EvalContext{Variables: vars, Functions: m.ev.funcs}
}

// resourceRoot reports whether root names a resource type (aws_vpc in
// aws_vpc.main.id), not one of the language's own roots.
func resourceRoot(root string) bool {
	switch root {
	case "var", "local", "count", "each", "self", "path", "terraform", "module", "data":
		return false
	}
	return true
}

// rootValue is the value root has in an expression reading names of it,
// and whether the expression sees root at all.
func (m *modInst) rootValue(root string, names []string, sc *scope) (cty.Value, bool) {
	switch root {
	case "var":
		obj := map[string]cty.Value{}
		for _, n := range names {
			if _, ok := m.cfg.variables[n]; ok {
				obj[n] = m.variable(n)
			}
		}
		return cty.ObjectVal(obj), true
	case "local":
		obj := map[string]cty.Value{}
		for _, n := range names {
			if _, ok := m.cfg.locals[n]; ok {
				obj[n] = m.local(n)
			}
		}
		return cty.ObjectVal(obj), true
	case "count":
		if sc != nil && sc.key != nil && sc.key.count != cty.NilVal {
			return cty.ObjectVal(map[string]cty.Value{"index": sc.key.count}), true
		}
		return cty.NilVal, false
	case "each":
		if sc != nil && sc.key != nil && sc.key.key != cty.NilVal {
			return cty.ObjectVal(map[string]cty.Value{"key": sc.key.key, "value": sc.key.value}), true
		}
		return cty.NilVal, false
	case "self":
		if sc != nil && sc.self != cty.NilVal {
			return sc.self, true
		}
		return cty.DynamicVal, true
	case "path":
		return cty.ObjectVal(map[string]cty.Value{
			"module": cty.StringVal(m.cfg.dir), "root": cty.StringVal(m.ev.rootDir), "cwd": cty.StringVal(m.ev.rootDir),
		}), true
	case "terraform":
		return cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")}), true
	case "module":
		obj := map[string]cty.Value{}
		for _, n := range names {
			if c, ok := m.calls[n]; ok {
				obj[n] = m.callValue(c)
			} else if m.hasCall(n) {
				obj[n] = cty.DynamicVal
			}
		}
		return cty.ObjectVal(obj), true
	case "data":
		types := map[string]map[string]cty.Value{}
		for _, n := range names {
			typ, name, ok := strings.Cut(n, ".")
			if !ok {
				continue
			}
			key := "data." + typ + "." + name
			if _, ok := m.cfg.resByKey[key]; !ok {
				continue
			}
			if types[typ] == nil {
				types[typ] = map[string]cty.Value{}
			}
			types[typ][name] = m.resource(key).value
		}
		obj := map[string]cty.Value{}
		for typ, names := range types {
			obj[typ] = cty.ObjectVal(names)
		}
		return cty.ObjectVal(obj), true
	default:
		obj := map[string]cty.Value{}
		for _, n := range names {
			key := root + "." + n
			if _, ok := m.cfg.resByKey[key]; ok {
				obj[n] = m.resource(key).value
			}
		}
		if len(obj) > 0 {
			return cty.ObjectVal(obj), true
		}
		return cty.NilVal, false
	}
}

func (m *modInst) hasCall(name string) bool {
	for _, c := range m.cfg.calls {
		if c.name == name {
			return true
		}
	}
	return false
}

const (
	stateNone = iota
	stateBusy
	stateDone
)

// local returns the value of local.name.
func (m *modInst) local(name string) cty.Value {
	switch m.locState[name] {
	case stateDone:
		return m.locals[name]
	case stateBusy:
		m.ev.sawBusy = true
		a := m.cfg.locals[name]
		m.ev.warn(m.fileOf(a.SrcRange), a.SrcRange, fmt.Sprintf("local.%s refers to itself", name), "")
		return cty.DynamicVal
	}
	m.locState[name] = stateBusy
	a := m.cfg.locals[name]
	v := m.eval(a.Expr, nil, m.fileOf(a.SrcRange))
	m.locals[name] = v
	m.locState[name] = stateDone
	return v
}

// fileOf returns the parsed file a range belongs to.
func (m *modInst) fileOf(r hcl.Range) *file {
	if f, ok := m.cfg.byName[filepath.Base(r.Filename)]; ok && f.path == r.Filename {
		return f
	}
	for _, f := range m.cfg.files {
		if f.path == r.Filename {
			return f
		}
	}
	return &file{path: r.Filename}
}

// variable returns the value of var.name: the root's resolved value, or the
// calling module's argument, else the default, else unknown.
func (m *modInst) variable(name string) cty.Value {
	if m.parent == nil {
		return m.vars[name]
	}
	switch m.varState[name] {
	case stateDone:
		return m.vars[name]
	case stateBusy:
		m.ev.sawBusy = true
		return cty.DynamicVal
	}
	m.varState[name] = stateBusy
	vc := m.cfg.variables[name]
	var v cty.Value
	if a, ok := m.call.block.Body.Attributes[name]; ok {
		v = m.parent.eval(a.Expr, &scope{key: m.inKey}, m.call.file)
	} else {
		v = m.ev.variableDefault(vc)
	}
	v = m.ev.convertVar(vc, v)
	m.vars[name] = v
	m.varState[name] = stateDone
	return v
}

// variableDefault is the variable's default, or unknown when it has none.
func (ev *evaluator) variableDefault(vc *variableConfig) cty.Value {
	if a, ok := vc.block.Body.Attributes["default"]; ok {
		v, diags := a.Expr.Value(&hcl.EvalContext{Functions: ev.funcs})
		if diags.HasErrors() {
			ev.warn(vc.file, a.SrcRange, fmt.Sprintf("cannot evaluate the default of variable %q", vc.name), diags.Error())
			return cty.DynamicVal
		}
		return v
	}
	return cty.DynamicVal
}

// convertVar converts v to the variable's declared type, applying optional
// attribute defaults.
func (ev *evaluator) convertVar(vc *variableConfig, v cty.Value) cty.Value {
	a, ok := vc.block.Body.Attributes["type"]
	if !ok || v == cty.NilVal || v.IsNull() {
		return v
	}
	ty, defaults, diags := typeexpr.TypeConstraintWithDefaults(a.Expr)
	if diags.HasErrors() {
		ev.warn(vc.file, a.SrcRange, fmt.Sprintf("cannot read the type of variable %q", vc.name), diags.Error())
		return v
	}
	if defaults != nil && v.IsWhollyKnown() {
		v = defaults.Apply(v)
	}
	out, err := convert.Convert(v, ty)
	if err != nil {
		ev.warn(vc.file, a.SrcRange, fmt.Sprintf("value of variable %q does not match its type: %v", vc.name, err), "")
		return cty.UnknownVal(ty)
	}
	return out
}

// rootVariables resolves the root module's variables: defaults, then
// terraform.tfvars(.json), *.auto.tfvars(.json) in lexical order, the
// --var-file files in order, and --var assignments.
func (ev *evaluator) rootVariables(cfg *moduleConfig) map[string]cty.Value {
	vals := map[string]cty.Value{}
	for _, name := range sortedKeys(cfg.variables) {
		vc := cfg.variables[name]
		vals[name] = ev.variableDefault(vc)
	}
	var files []string
	for _, n := range []string{"terraform.tfvars", "terraform.tfvars.json"} {
		p := filepath.Join(ev.rootDir, n)
		if ev.exists(p) {
			files = append(files, p)
		}
	}
	for _, n := range ev.listDir(ev.rootDir, graph.Range{File: ev.rootDir}) {
		if strings.HasSuffix(n, ".auto.tfvars") || strings.HasSuffix(n, ".auto.tfvars.json") {
			files = append(files, filepath.Join(ev.rootDir, n))
		}
	}
	for _, p := range files {
		ev.applyVarFile(p, cfg, vals, true)
	}
	for _, p := range ev.opts.VarFiles {
		ev.applyVarFile(p, cfg, vals, false)
	}
	names := make([]string, 0, len(ev.opts.Vars))
	for n := range ev.opts.Vars {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		raw := ev.opts.Vars[n]
		vc, ok := cfg.variables[n]
		if !ok {
			ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityWarning, Summary: fmt.Sprintf("--var %s: the root module declares no variable %q", n, n), Range: graph.Range{File: ev.rootDir}})
			continue
		}
		vals[n] = ev.parseVarValue(vc, raw)
	}
	for _, name := range sortedKeys(cfg.variables) {
		vc := cfg.variables[name]
		v := vals[name]
		if !v.IsKnown() && v.Type() == cty.DynamicPseudoType {
			ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityInfo, Summary: fmt.Sprintf("variable %q has no value; what depends on it is unknown", name), Range: vc.file.rng(vc.block.DefRange())})
		}
		vals[name] = ev.convertVar(vc, v)
	}
	return vals
}

func (ev *evaluator) exists(p string) bool {
	if _, ok := ev.opts.Overlay[p]; ok {
		return true
	}
	_, err := os.Stat(p)
	return err == nil
}

// parseVarValue reads a --var value: an HCL expression, or the raw string
// for string variables and for text that is not an expression.
func (ev *evaluator) parseVarValue(vc *variableConfig, raw string) cty.Value {
	if a, ok := vc.block.Body.Attributes["type"]; ok {
		if ty, diags := typeexpr.TypeConstraint(a.Expr); !diags.HasErrors() && ty.IsPrimitiveType() {
			return cty.StringVal(raw)
		}
	}
	if checkText("<var "+vc.name+">", []byte(raw), ev.opts.Limits.MaxDepth) != nil {
		return cty.StringVal(raw)
	}
	expr, diags := hclsyntax.ParseExpression([]byte(raw), "<var "+vc.name+">", hcl.InitialPos)
	if diags.HasErrors() {
		return cty.StringVal(raw)
	}
	v, diags := expr.Value(&hcl.EvalContext{Functions: ev.funcs})
	if diags.HasErrors() {
		return cty.StringVal(raw)
	}
	return v
}

// applyVarFile sets the variables assigned in a .tfvars or .tfvars.json
// file.
func (ev *evaluator) applyVarFile(p string, cfg *moduleConfig, vals map[string]cty.Value, inRoot bool) {
	var src []byte
	if inRoot {
		b, d := ev.readFile(p)
		if d != nil {
			ev.diags = append(ev.diags, *d)
			return
		}
		src = b
	} else {
		b, err := os.ReadFile(p)
		if err != nil {
			ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("cannot read var file %s: %v", p, err), Range: graph.Range{File: p}})
			return
		}
		src = b
	}
	var attrs hcl.Attributes
	var diags hcl.Diagnostics
	f := &file{path: p, src: src, lines: lineStarts(src)}
	check := checkText
	if strings.HasSuffix(p, ".json") {
		check = checkJSON
	}
	if d := check(p, src, ev.opts.Limits.MaxDepth); d != nil {
		ev.diags = append(ev.diags, *d)
		return
	}
	if strings.HasSuffix(p, ".json") {
		hf, d := hcljson.Parse(src, p)
		diags = d
		if hf != nil {
			attrs, d = hf.Body.JustAttributes()
			diags = append(diags, d...)
		}
	} else {
		hf, d := hclsyntax.ParseConfig(src, p, hcl.InitialPos)
		diags = d
		if hf != nil {
			attrs, d = hf.Body.JustAttributes()
			diags = append(diags, d...)
		}
	}
	for _, d := range diags {
		ev.diags = append(ev.diags, f.diag(d))
	}
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		a := attrs[n]
		if _, ok := cfg.variables[n]; !ok {
			ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityWarning, Summary: fmt.Sprintf("%s assigns %q, which the root module does not declare", filepath.Base(p), n), Range: f.rng(a.Range)})
			continue
		}
		v, d := a.Expr.Value(&hcl.EvalContext{Functions: ev.funcs})
		if d.HasErrors() {
			ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityWarning, Summary: fmt.Sprintf("cannot evaluate %q in %s", n, filepath.Base(p)), Detail: d.Error(), Range: f.rng(a.Range)})
			continue
		}
		vals[n] = v
	}
}

// expand evaluates count or for_each into instance keys. known is false
// when the expression cannot be evaluated statically.
func (m *modInst) expand(count, forEach hclsyntax.Expression, f *file, b *hclsyntax.Block) ([]instKey, bool) {
	switch {
	case count != nil:
		v := m.eval(count, nil, f)
		if !v.IsWhollyKnown() || v.IsNull() {
			m.ev.warn(f, count.Range(), "count is not known statically", "the resource is kept as one node with its count unknown")
			return nil, false
		}
		v, err := convert.Convert(v, cty.Number)
		if err != nil {
			m.ev.warn(f, count.Range(), "count is not a number", err.Error())
			return nil, false
		}
		bf := v.AsBigFloat()
		n, acc := bf.Int64()
		if acc != big.Exact || n < 0 {
			m.ev.warn(f, count.Range(), "count must be a whole number ≥ 0", "")
			return nil, false
		}
		if n > maxInstances {
			m.ev.warn(f, count.Range(), fmt.Sprintf("count %d is over the limit of %d instances; only %d are evaluated", n, maxInstances, maxInstances), "")
			n = maxInstances
		}
		out := make([]instKey, n)
		for i := range out {
			out[i] = instKey{suffix: "[" + strconv.Itoa(i) + "]", count: cty.NumberIntVal(int64(i))}
		}
		return out, true
	case forEach != nil:
		v := m.eval(forEach, nil, f)
		if !v.IsWhollyKnown() || v.IsNull() {
			if v.IsKnown() && !v.IsNull() && v.CanIterateElements() && (v.Type().IsMapType() || v.Type().IsObjectType()) {
				// Keys known, some values unknown: fine.
			} else {
				m.ev.warn(f, forEach.Range(), "for_each is not known statically", "the resource is kept as one node with its instances unknown")
				return nil, false
			}
		}
		ty := v.Type()
		var out []instKey
		switch {
		case ty.IsMapType() || ty.IsObjectType():
			for it := v.ElementIterator(); it.Next(); {
				k, e := it.Element()
				out = append(out, instKey{suffix: "[" + strconv.Quote(k.AsString()) + "]", key: k, value: e})
			}
		case ty.IsSetType():
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				s, err := convert.Convert(e, cty.String)
				if err != nil || s.IsNull() {
					m.ev.warn(f, forEach.Range(), "for_each set elements must be strings", "")
					return nil, false
				}
				out = append(out, instKey{suffix: "[" + strconv.Quote(s.AsString()) + "]", key: s, value: s})
			}
		default:
			m.ev.warn(f, forEach.Range(), "for_each must be a map or a set of strings, not "+ty.FriendlyName(), "convert a list with toset()")
			return nil, false
		}
		if len(out) > maxInstances {
			m.ev.warn(f, forEach.Range(), fmt.Sprintf("for_each has %d instances, over the limit of %d; only %d are evaluated", len(out), maxInstances, maxInstances), "")
			out = out[:maxInstances]
		}
		return out, true
	}
	return []instKey{{}}, true
}

// callValue is the value of module.NAME: an object of outputs per instance.
func (m *modInst) callValue(c *callInst) cty.Value {
	switch c.state {
	case stateDone:
		return c.value
	case stateBusy:
		m.ev.sawBusy = true
		return cty.DynamicVal
	}
	c.state = stateBusy
	var v cty.Value
	switch {
	case c.unknown || (len(c.instances) == 0 && !c.keyed):
		v = cty.DynamicVal
	case !c.keyed:
		v = c.instances[0].outputs()
	case c.byCount:
		vals := make([]cty.Value, len(c.instances))
		for i, inst := range c.instances {
			vals[i] = inst.outputs()
		}
		v = cty.TupleVal(vals)
	default:
		obj := map[string]cty.Value{}
		for _, inst := range c.instances {
			obj[inst.inKey.key.AsString()] = inst.outputs()
		}
		v = cty.ObjectVal(obj)
	}
	c.value = v
	c.state = stateDone
	return v
}

// outputs evaluates every output of the module instance.
func (m *modInst) outputs() cty.Value {
	obj := map[string]cty.Value{}
	for _, name := range sortedKeys(m.cfg.outputs) {
		a := m.cfg.outputs[name]
		obj[name] = m.eval(a.Expr, nil, m.fileOf(a.SrcRange))
	}
	return cty.ObjectVal(obj)
}
