package terraform

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/zclconf/go-cty/cty"
)

// Options configure the reading of a Terraform configuration: what every
// reader shares (ingest.Options: the scanned root, editor overlays, region,
// availability zones — what data "aws_availability_zones" returns, Region
// + a, b, c when empty —, limits and the analysis budget; a .tf file is at
// most 8 MiB unless Limits.MaxFileSize says) and Terraform's own.
type Options struct {
	ingest.Options
	// Vars are --var name=value assignments; values are HCL expressions
	// (a bare word that does not parse as one is taken as a string).
	Vars map[string]string
	// VarFiles are --var-file paths, applied in order after terraform.tfvars
	// and *.auto.tfvars.
	VarFiles []string
}

// Limits that keep hostile or broken input from exhausting the machine.
const (
	maxFileSize        = 8 << 20   // bytes per .tf or .tfvars file
	maxModuleDepth     = 16        // nested module calls
	maxInstances       = 2048      // instances of one resource or module call (count / for_each)
	maxModuleInstances = 512       // module instances in one configuration
	maxEvaluations     = 2_000_000 // expression evaluations in one configuration
)

// LoadModule parses and statically evaluates the root module in dir (all
// *.tf, terraform.tfvars, *.auto.tfvars), following local module calls
// recursively and registry modules when .terraform/modules/modules.json
// exists. It returns the nodes plus diagnostics and never panics.
func LoadModule(ctx context.Context, dir string, opts Options) *graph.Graph {
	return NewLoader().Load(ctx, dir, opts)
}

// Loader reads Terraform configurations and keeps every parsed file keyed by
// path and content hash, so that loading again after a one-file edit parses
// that file only. A language server keeps one Loader for its workspace. A
// Loader is safe for concurrent use.
type Loader struct {
	mu    sync.Mutex
	files map[string]*file
	memos map[string]*loadMemo // by root module folder (memo.go)
	// reused is how many instances the last load that kept its memo
	// reused (tests read it).
	reused int
}

// Cached returns how many parsed files the Loader keeps.
func (l *Loader) Cached() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.files)
}

// NewLoader returns a Loader with an empty cache.
func NewLoader() *Loader { return &Loader{files: map[string]*file{}} }

// Load is LoadModule with the Loader's cache.
func (l *Loader) Load(ctx context.Context, dir string, opts Options) (g *graph.Graph) {
	g = graph.New()
	defer func() {
		if r := recover(); r != nil {
			g.Diagnostics = append(g.Diagnostics, graph.Diagnostic{
				Severity: graph.SeverityError,
				Summary:  fmt.Sprintf("internal error while evaluating the Terraform configuration: %v", r),
				Range:    graph.Range{File: dir},
			})
		}
	}()
	ev := newEvaluator(ctx, l, dir, opts)
	key, err := filepath.Abs(dir)
	if err != nil {
		key = dir
	}
	var record bool
	if ev.prev, record = l.memoFor(key); !record {
		ev.next = nil
	}
	ev.run()
	ev.emit(g)
	if ev.next != nil && !ev.stopped && !ev.sawBusy && ev.evals <= maxEvaluations/4 {
		// A load that was cancelled, met a cycle or came near the limit
		// leaves the last good memo.
		l.keepMemo(key, ev.next, ev.reused)
	}
	return g
}

// file is one parsed HCL file.
type file struct {
	path     string
	hash     [32]byte
	src      []byte
	body     *hclsyntax.Body
	diags    []graph.Diagnostic
	comments []comment
	lines    []int // byte offset of each line start
	travs    []travRef
	maxDepth int // the nesting limit the file was checked against
	// segs are the blocks a later text of the file may take over, and
	// donated whether one has (reparse.go): a file gives them up once.
	segs    []segment
	donated bool

	refsMu sync.Mutex
	refs   map[hcl.Expression]exprRefs // see refsOf
}

// comment is a `# vpcgate:ignore` comment.
type comment struct {
	line   int // 1-based line of the comment
	ruleID string
	reason string
	rng    hcl.Range
}

// readFile returns the content of path from the overlay or the disk,
// refusing symlinks out of root and oversized files.
func (ev *evaluator) readFile(path string) ([]byte, *graph.Diagnostic) {
	if abs, err := filepath.Abs(path); err == nil {
		if b, ok := ev.opts.Overlay[abs]; ok {
			return b, nil
		}
	}
	if b, ok := ev.opts.Overlay[path]; ok {
		return b, nil
	}
	if d := ev.checkInside(path, graph.Range{File: path}); d != nil {
		return nil, d
	}
	st, err := os.Stat(path)
	if err != nil {
		return nil, &graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("cannot read %s: %v", path, err), Range: graph.Range{File: path}}
	}
	if limit := ev.fileSizeLimit(); st.Size() > limit {
		return nil, &graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("%s is %d bytes, over the limit of %d (Limits.MaxFileSize); skipped", path, st.Size(), limit), Range: graph.Range{File: path}}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("cannot read %s: %v", path, err), Range: graph.Range{File: path}}
	}
	return b, nil
}

// checkInside refuses a path whose real location is outside the scanned
// root.
func (ev *evaluator) checkInside(path string, at graph.Range) *graph.Diagnostic {
	if ev.opts.AllowOutsideRoot || ev.rootReal == "" {
		return nil
	}
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		// A missing path is reported by whoever reads it.
		return nil
	}
	real, _ = filepath.Abs(real)
	if real == ev.rootReal || strings.HasPrefix(real, ev.rootReal+string(filepath.Separator)) {
		return nil
	}
	return &graph.Diagnostic{
		Severity: graph.SeverityError,
		Summary:  fmt.Sprintf("%s resolves outside the scanned root %s; not read", path, ev.opts.Root),
		Detail:   "module sources and symlinks may not leave the scanned root unless outside paths are allowed",
		Range:    at,
	}
}

// parse returns the parsed file for path, from the cache when its content
// is unchanged. Text that is not UTF-8 or nests deeper than maxDepth is
// not parsed: one located error says why.
func (l *Loader) parse(path string, src []byte, maxDepth int) *file {
	h := sha256.Sum256(src)
	l.mu.Lock()
	f, ok := l.files[path]
	var donor *file
	if ok && f.hash != h && f.maxDepth == maxDepth && len(f.segs) > 0 && !f.donated {
		// The last text of the file gives its blocks to this one, once.
		f.donated, donor = true, f
	}
	l.mu.Unlock()
	if ok && f.hash == h && f.maxDepth == maxDepth {
		return f
	}
	f = &file{path: path, hash: h, src: src, lines: lineStarts(src), maxDepth: maxDepth}
	if d := checkText(path, src, maxDepth); d != nil {
		f.diags = append(f.diags, *d)
		f.body = &hclsyntax.Body{}
		l.mu.Lock()
		l.files[path] = f
		l.mu.Unlock()
		return f
	}
	var (
		body  *hclsyntax.Body
		diags hcl.Diagnostics
		segs  []segment
		taken map[*hclsyntax.Block][]travRef // blocks of donor, with their shapes
		again bool
	)
	if donor != nil {
		body, segs, taken, again = reparse(src, path, donor)
	}
	if !again {
		body, diags = parseConfig(src, path)
		if len(diags) == 0 {
			segs = segmentsOf(src, body, allCuts(src))
		}
	}
	for _, d := range diags {
		f.diags = append(f.diags, f.diag(d))
	}
	f.body = body
	// What a block taken over had scanned and referred to, it keeps.
	travs, blockTravs, r, bad := scanFile(f.body, taken)
	if bad {
		// Arithmetic on such numbers takes unbounded time in go-cty.
		f.diags = append(f.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("number literal out of range (beyond ±1e%d); the file is not evaluated", maxNumberExp10), Range: f.rng(r)})
		f.body = &hclsyntax.Body{}
		travs = nil
		segs = nil
	}
	// Each segment keeps its block's shapes (segments and blocks are both
	// in file order).
	for i, k := 0, 0; i < len(segs); k++ {
		if f.body.Blocks[k] == segs[i].block {
			segs[i].travs = blockTravs[k]
			i++
		}
	}
	f.segs = segs
	f.travs = travs
	if again && !bad {
		f.refs = refsReusing(f.body, donor, taken)
	} else {
		f.refs = attrRefs(f.body, nil)
	}
	f.comments, f.diags = scanSuppressions(f, f.diags)
	l.mu.Lock()
	l.files[path] = f
	l.mu.Unlock()
	return f
}

func lineStarts(src []byte) []int {
	out := []int{0}
	for i, c := range src {
		if c == '\n' {
			out = append(out, i+1)
		}
	}
	return out
}

// pos converts an HCL position (columns in characters) to a graph position
// (columns in bytes).
func (f *file) pos(p hcl.Pos) graph.Pos {
	col := p.Column
	if p.Line >= 1 && p.Line <= len(f.lines) && p.Byte >= f.lines[p.Line-1] {
		col = p.Byte - f.lines[p.Line-1] + 1
	}
	return graph.Pos{Line: p.Line, Column: col, Byte: p.Byte}
}

// rng converts an HCL range of this file to a graph range.
func (f *file) rng(r hcl.Range) graph.Range {
	return graph.Range{File: f.path, Start: f.pos(r.Start), End: f.pos(r.End)}
}

func (f *file) diag(d *hcl.Diagnostic) graph.Diagnostic {
	sev := graph.SeverityError
	if d.Severity == hcl.DiagWarning {
		sev = graph.SeverityWarning
	}
	out := graph.Diagnostic{Severity: sev, Summary: d.Summary, Detail: d.Detail, Range: graph.Range{File: f.path}}
	if d.Subject != nil {
		out.Range = f.rng(*d.Subject)
	}
	return out
}

// moduleConfig is the static structure of one module directory.
type moduleConfig struct {
	dir       string
	files     []*file
	byName    map[string]*file
	variables map[string]*variableConfig
	locals    map[string]*hclsyntax.Attribute
	resources []*resourceConfig // managed and data, in file order
	resByKey  map[string]*resourceConfig
	calls     []*callConfig
	outputs   map[string]*hclsyntax.Attribute
	providers []*providerConfig // provider "aws" blocks
	// refAttrs are the attribute names read anywhere in the module through
	// a traversal; a resource's value offers each of them (unknown unless
	// the configuration or the provider's known behaviour sets it).
	refAttrs []string
}

type variableConfig struct {
	name  string
	block *hclsyntax.Block
	file  *file
}

type resourceConfig struct {
	data    bool
	typ     string
	name    string
	block   *hclsyntax.Block
	file    *file
	count   hclsyntax.Expression
	forEach hclsyntax.Expression
}

// key is "type.name" or "data.type.name".
func (r *resourceConfig) key() string {
	if r.data {
		return "data." + r.typ + "." + r.name
	}
	return r.typ + "." + r.name
}

type callConfig struct {
	name    string
	source  string
	block   *hclsyntax.Block
	file    *file
	count   hclsyntax.Expression
	forEach hclsyntax.Expression
}

// loadModuleConfig reads every *.tf file of dir. Problems become
// diagnostics; a file that does not parse still contributes what it could.
func (ev *evaluator) loadModuleConfig(dir string, at graph.Range) *moduleConfig {
	m := &moduleConfig{
		dir: dir, byName: map[string]*file{}, variables: map[string]*variableConfig{},
		locals: map[string]*hclsyntax.Attribute{}, resByKey: map[string]*resourceConfig{},
		outputs: map[string]*hclsyntax.Attribute{},
	}
	names := ev.listDir(dir, at)
	var tf []string
	for _, name := range names {
		if strings.HasSuffix(name, ".tf.json") || name == "override.tf" || strings.HasSuffix(name, "_override.tf") {
			ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityInfo,
				Summary: fmt.Sprintf("%s is not read: JSON configuration and override files are not supported", name),
				Range:   graph.Range{File: filepath.Join(dir, name)}})
			continue
		}
		if strings.HasSuffix(name, ".tf") {
			tf = append(tf, name)
		}
	}
	// Read and parse the files in parallel; add them in name order.
	results := make([]parsed, len(tf))
	work := make(chan int)
	var wg sync.WaitGroup
	for w := 0; w < min(runtime.GOMAXPROCS(0), len(tf)); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				results[i] = ev.readAndParse(filepath.Join(dir, tf[i]))
			}
		}()
	}
	for i := range tf {
		work <- i
	}
	close(work)
	wg.Wait()
	for i, r := range results {
		if r.d != nil {
			ev.diags = append(ev.diags, *r.d)
			continue
		}
		f := r.f
		ev.diags = append(ev.diags, f.diags...)
		m.files = append(m.files, f)
		m.byName[tf[i]] = f
		m.addFile(ev, f)
	}
	m.collectRefAttrs()
	return m
}

// parsed is a file read and parsed, or why it could not be.
type parsed struct {
	f *file
	d *graph.Diagnostic
}

// readAndParse reads and parses one file. It runs on its own goroutine, so
// it recovers from a panic itself and turns it into a diagnostic.
func (ev *evaluator) readAndParse(p string) (out parsed) {
	defer func() {
		if r := recover(); r != nil {
			out = parsed{d: &graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("internal error while parsing %s: %v", p, r), Range: graph.Range{File: p}}}
		}
	}()
	src, d := ev.readFile(p)
	if d != nil {
		return parsed{d: d}
	}
	return parsed{f: ev.loader.parse(p, src, ev.opts.Limits.MaxDepth)}
}

// listDir lists the directory's file names (with overlay files), sorted.
func (ev *evaluator) listDir(dir string, at graph.Range) []string {
	seen := map[string]bool{}
	entries, err := os.ReadDir(dir)
	if err != nil && !ev.hasOverlayIn(dir) {
		ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("cannot read module directory %s: %v", dir, err), Range: at})
	}
	for _, e := range entries {
		if e.Type()&fs.ModeSymlink == 0 && e.IsDir() {
			continue
		}
		seen[e.Name()] = true
	}
	absDir, _ := filepath.Abs(dir)
	for p := range ev.opts.Overlay {
		ap, _ := filepath.Abs(p)
		if filepath.Dir(ap) == absDir {
			seen[filepath.Base(ap)] = true
		}
	}
	out := make([]string, 0, len(seen))
	for n := range seen {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

func (ev *evaluator) hasOverlayIn(dir string) bool {
	absDir, _ := filepath.Abs(dir)
	for p := range ev.opts.Overlay {
		ap, _ := filepath.Abs(p)
		if filepath.Dir(ap) == absDir {
			return true
		}
	}
	return false
}

func (m *moduleConfig) addFile(ev *evaluator, f *file) {
	for _, b := range f.body.Blocks {
		switch b.Type {
		case "variable":
			if len(b.Labels) != 1 {
				continue
			}
			if _, dup := m.variables[b.Labels[0]]; dup {
				ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("duplicate variable %q", b.Labels[0]), Range: f.rng(b.DefRange())})
				continue
			}
			m.variables[b.Labels[0]] = &variableConfig{name: b.Labels[0], block: b, file: f}
		case "locals":
			for name, a := range b.Body.Attributes {
				if _, dup := m.locals[name]; dup {
					ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("duplicate local value %q", name), Range: f.rng(a.SrcRange)})
					continue
				}
				m.locals[name] = a
			}
		case "output":
			if len(b.Labels) == 1 {
				if a, ok := b.Body.Attributes["value"]; ok {
					m.outputs[b.Labels[0]] = a
				}
			}
		case "resource", "data":
			if len(b.Labels) != 2 {
				continue
			}
			r := &resourceConfig{data: b.Type == "data", typ: b.Labels[0], name: b.Labels[1], block: b, file: f}
			if a, ok := b.Body.Attributes["count"]; ok {
				r.count = a.Expr
			}
			if a, ok := b.Body.Attributes["for_each"]; ok {
				r.forEach = a.Expr
			}
			if _, dup := m.resByKey[r.key()]; dup {
				ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf("duplicate resource %s", r.key()), Range: f.rng(b.DefRange())})
				continue
			}
			m.resByKey[r.key()] = r
			m.resources = append(m.resources, r)
		case "provider":
			m.addProvider(f, b)
		case "module":
			if len(b.Labels) != 1 {
				continue
			}
			c := &callConfig{name: b.Labels[0], block: b, file: f}
			if a, ok := b.Body.Attributes["source"]; ok {
				v, diags := a.Expr.Value(nil)
				if !diags.HasErrors() && v.Type().FriendlyName() == "string" && v.IsKnown() && !v.IsNull() {
					c.source = v.AsString()
				}
			}
			if a, ok := b.Body.Attributes["count"]; ok {
				c.count = a.Expr
			}
			if a, ok := b.Body.Attributes["for_each"]; ok {
				c.forEach = a.Expr
			}
			m.calls = append(m.calls, c)
		}
	}
}

// collectRefAttrs gathers the attribute names that traversals in the module
// read, so that resource values can offer them.
func (m *moduleConfig) collectRefAttrs() {
	set := map[string]bool{}
	types := map[string]bool{}
	for _, r := range m.resources {
		if !r.data {
			types[r.typ] = true
		}
	}
	for _, f := range m.files {
		for _, t := range f.travs {
			start := 1 // for-expression and dynamic block iterators
			switch root := t.root; {
			case root == "var" || root == "local" || root == "path" || root == "terraform" || root == "count" || root == "module":
				continue
			case root == "":
				start = 0 // relative traversals: [*].id
			case root == "data":
				start = 3
			case root == "each" || types[root]:
				start = 2
			}
			for i, n := range t.attrs {
				if t.pos[i] >= start {
					set[n] = true
				}
			}
		}
	}
	m.refAttrs = make([]string, 0, len(set))
	for n := range set {
		m.refAttrs = append(m.refAttrs, n)
	}
	sort.Strings(m.refAttrs)
}

// travRef is the shape of one traversal of a file: its root ("" for a
// relative traversal) and the attribute names it reads with their
// positions in the traversal.
type travRef struct {
	root  string
	attrs []string
	pos   []int
	key   string // root and attributes with their positions: the shape
}

// scanFile walks a file once: it records the distinct traversal shapes, so
// that a module can work out which attributes its resources are read by
// without walking unchanged files again, and finds a number literal whose
// magnitude is beyond 10^±maxNumberExp10. It returns the file's shapes and
// each top-level block's (in body.Blocks order); a block known holds
// (one a new text of the file took over, checked when it was parsed) is
// not walked again.
func scanFile(body *hclsyntax.Body, known map[*hclsyntax.Block][]travRef) (out []travRef, blocks [][]travRef, huge hcl.Range, bad bool) {
	seen := map[string]bool{}
	merge := func(ts []travRef) {
		for _, t := range ts {
			if !seen[t.key] {
				seen[t.key] = true
				out = append(out, t)
			}
		}
	}
	scan := func(n hclsyntax.Node) []travRef {
		ts, h, b := scanNode(n)
		if b && !bad {
			huge, bad = h, true
		}
		return ts
	}
	for _, name := range sortedKeys(body.Attributes) {
		merge(scan(body.Attributes[name]))
	}
	blocks = make([][]travRef, len(body.Blocks))
	for i, b := range body.Blocks {
		ts, ok := known[b]
		if !ok {
			ts = scan(b)
		}
		blocks[i] = ts
		merge(ts)
	}
	return out, blocks, huge, bad
}

// scanNode is scanFile's walk of one attribute or block: its distinct
// traversal shapes, and its first out-of-range number.
func scanNode(node hclsyntax.Node) (out []travRef, huge hcl.Range, bad bool) {
	const maxExp2 = maxNumberExp10 * 10 / 3 // 2^1333 > 10^400
	add := func(root string, t hcl.Traversal, from int) {
		var r travRef
		r.root = root
		var key strings.Builder
		key.WriteString(root)
		for i := from; i < len(t); i++ {
			if a, ok := t[i].(hcl.TraverseAttr); ok {
				r.attrs = append(r.attrs, a.Name)
				r.pos = append(r.pos, i)
				key.WriteString("." + a.Name + "@" + strconv.Itoa(i))
			}
		}
		if len(r.attrs) == 0 {
			return
		}
		r.key = key.String()
		for _, o := range out {
			if o.key == r.key {
				return
			}
		}
		out = append(out, r)
	}
	_ = hclsyntax.VisitAll(node, func(n hclsyntax.Node) hcl.Diagnostics {
		switch e := n.(type) {
		case *hclsyntax.ScopeTraversalExpr:
			add(e.Traversal.RootName(), e.Traversal, 1)
		case *hclsyntax.RelativeTraversalExpr:
			add("", e.Traversal, 0)
		case *hclsyntax.LiteralValueExpr:
			if bad || e.Val.Type() != cty.Number || !e.Val.IsKnown() || e.Val.IsNull() {
				return nil
			}
			bf := e.Val.AsBigFloat()
			if bf.Sign() == 0 || bf.IsInf() {
				return nil
			}
			if x := bf.MantExp(nil); x > maxExp2 || x < -maxExp2 {
				huge, bad = e.SrcRange, true
			}
		}
		return nil
	})
	return out, huge, bad
}

// modulesManifest is .terraform/modules/modules.json as terraform init
// writes it.
type modulesManifest struct {
	Modules []struct {
		Key    string `json:"Key"`
		Source string `json:"Source"`
		Dir    string `json:"Dir"`
	} `json:"Modules"`
}

// readManifest reads the installed-modules manifest of the root module, if
// any.
func (ev *evaluator) readManifest() map[string]string {
	p := filepath.Join(ev.rootDir, ".terraform", "modules", "modules.json")
	if _, err := os.Stat(p); err != nil {
		return nil
	}
	src, d := ev.readFile(p)
	if d != nil {
		ev.diags = append(ev.diags, *d)
		return nil
	}
	var man modulesManifest
	if d := checkJSON(p, src, ev.opts.Limits.MaxDepth); d != nil {
		ev.diags = append(ev.diags, *d)
		return nil
	}
	if err := json.Unmarshal(src, &man); err != nil {
		ev.diags = append(ev.diags, graph.Diagnostic{Severity: graph.SeverityWarning, Summary: fmt.Sprintf("cannot read the module manifest: %v", err), Range: graph.Range{File: p}})
		return nil
	}
	out := map[string]string{}
	for _, mod := range man.Modules {
		if mod.Key == "" {
			continue
		}
		dir := mod.Dir
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(ev.rootDir, dir)
		}
		out[mod.Key] = dir
	}
	return out
}

// maxNumberExp10 bounds the decimal exponent of number literals.
const maxNumberExp10 = 400

// LocalModuleSources returns the folders the .tf files of dir call as
// local modules (a source starting with ./ or ../), absolute and clean.
// Discovery asks it to tell root modules from called ones; the files are
// parsed through the Loader's cache, side by side (a 5,000-resource module
// of 50 files is most of a cold analysis's reading), so the load that
// follows parses nothing again. A file that cannot be read or parsed is
// left to that load, which reports it.
func (l *Loader) LocalModuleSources(dir string, overlay map[string][]byte, maxDepth int) []string {
	absDir, err := filepath.Abs(dir)
	if err != nil {
		return nil
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var names []string
	for _, e := range entries {
		if name := e.Name(); !e.IsDir() && strings.HasSuffix(name, ".tf") {
			names = append(names, name)
		}
	}
	sources := make([][]string, len(names))
	one := func(i int) {
		defer func() { _ = recover() }() // the load reports the file
		name := names[i]
		p := filepath.Join(dir, name)
		src, ok := overlay[filepath.Join(absDir, name)]
		if !ok {
			st, err := os.Stat(p)
			if err != nil || st.Size() > maxFileSize {
				return
			}
			if src, err = os.ReadFile(p); err != nil {
				return
			}
		}
		sources[i] = moduleSources(absDir, l.parse(p, src, maxDepth))
	}
	if workers := min(runtime.GOMAXPROCS(0), len(names)); workers > 1 {
		next := make(chan int)
		var wg sync.WaitGroup
		for range workers {
			wg.Go(func() {
				for i := range next {
					one(i)
				}
			})
		}
		for i := range names {
			next <- i
		}
		close(next)
		wg.Wait()
	} else {
		for i := range names {
			one(i)
		}
	}
	var out []string
	for _, s := range sources {
		out = append(out, s...)
	}
	return out
}

// moduleSources returns the local module sources (./ or ../) the module
// blocks of f call, joined to absDir and clean, in file order.
func moduleSources(absDir string, f *file) []string {
	var out []string
	for _, b := range f.body.Blocks {
		if b.Type != "module" {
			continue
		}
		a, ok := b.Body.Attributes["source"]
		if !ok {
			continue
		}
		v, diags := a.Expr.Value(nil)
		if diags.HasErrors() || !v.IsKnown() || v.IsNull() || v.Type() != cty.String {
			continue
		}
		s := v.AsString()
		if strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") {
			out = append(out, filepath.Clean(filepath.Join(absDir, s)))
		}
	}
	return out
}
