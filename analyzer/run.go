package analyzer

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/analyzer/ingest/terraform"
	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/policies"
)

// cached is what the engine keeps of one input between analyses.
type cached struct {
	hash   inputHash
	serial uint64 // which read of the engine made frag
	// inherit keeps, for nodes equal to the node of the same id in the
	// input's previous fragment, that node's serial: a component whose
	// nodes did not change keeps its key when its file is read again.
	inherit map[string]uint64
	frag    *graph.Graph // the last good fragment, frozen
	files   []string     // absolute paths of the files the input read
	dirs    []string     // folders whose listing decides the input
}

// run is one analysis: discover, read what changed, merge, derive,
// evaluate, price. changes is nil for a full analysis.
func (e *Engine) run(ctx context.Context, req Request, changes []Change) (*Snapshot, error) {
	started := time.Now()
	a := e.newAnalysis(req.Overlay)
	a.ctx = ctx
	a.touched = touchedBy(changes)
	d, err := a.discover(req.Paths)
	if err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e.s.log.Debug("discovered", "inputs", len(d.inputs), "took", time.Since(started))
	for _, f := range req.Files {
		a.classifyData(d, f.Path, f.Data)
	}
	if len(d.inputs) == 0 && len(req.Files) == 0 && !hasErrors(d.diags) {
		if err := noInput(req.Paths, d); err != nil {
			return nil, err
		}
	}
	touched := touchedBy(changes)
	frags, inputs, reread, err := e.readInputs(ctx, a, d, touched)
	// What reading keeps for the next analysis stays with the engine;
	// nothing else holds the parsed files from here.
	a.tf = nil
	if err != nil {
		return nil, err
	}
	g := graph.New()
	g.Diagnostics = append(g.Diagnostics, d.diags...)
	serial := make(map[string]uint64, 1024)
	for _, f := range frags {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		g.Merge(f.frag)
		for _, n := range f.frag.Nodes() {
			if id := n.Meta().ID; g.Node(id) == n {
				serial[id] = f.serialOf(id)
			}
		}
	}
	e.s.log.Debug("read and merged", "nodes", g.Len(), "took", time.Since(started))
	raw, err := e.deriveAndEvaluate(ctx, g, serial)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, err
	}
	sortDiagnostics(g.Diagnostics)
	g.Freeze()
	e.gen++
	snap := &Snapshot{Generation: e.gen, Inputs: inputs, Reread: reread, Graph: g}
	snap.Diagnostics = append(append([]graph.Diagnostic(nil), g.Diagnostics...), e.s.cfgDiags...)
	if e.s.parts&PartFindings != 0 && e.policies != nil {
		findings := raw
		now := e.s.now
		if now.IsZero() {
			now = time.Now().UTC()
		}
		findings, supDiags := policies.Suppress(g, findings, policies.SuppressOptions{
			Ignores: e.ignores, Baseline: e.s.baseline, BaselineFile: e.s.baselineFile, Now: now,
		})
		snap.Findings = findings
		snap.Rules = e.policies.Selected()
		snap.Diagnostics = append(snap.Diagnostics, supDiags...)
	}
	if e.s.parts&PartCosts != 0 {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		snap.Costs, snap.CostErr = estimate(g, cost.Options{
			Catalog: e.s.catalog, Region: e.s.priceRegion, Usage: e.s.usage, SkipUnknownUsage: req.Base,
		})
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e.s.log.Debug("analysis", "generation", e.gen, "inputs", len(inputs), "nodes", g.Len(), "findings", len(snap.Findings), "took", time.Since(started))
	return snap, nil
}

// newAnalysis returns the per-run reading context; extra (a request's
// overlay) wins over the engine's editor buffers.
func (e *Engine) newAnalysis(extra map[string][]byte) *analysis {
	overlay := e.overlay
	tfOverlay := e.overlay
	if len(extra) > 0 {
		overlay = make(map[string][]byte, len(e.overlay)+len(extra))
		tfOverlay = make(map[string][]byte, len(e.overlay)+len(extra))
		for k, v := range e.overlay {
			overlay[k], tfOverlay[k] = v, v
		}
		for k, v := range extra {
			k = absPath(k)
			overlay[k], tfOverlay[k] = v, v
			if v == nil {
				// The Terraform reader lists the folder itself: an absent
				// file reads as an empty one (no blocks).
				tfOverlay[k] = []byte{}
			}
		}
	}
	return &analysis{
		opts: Options{
			Root:              e.s.ingest.Root,
			AllowOutsideRoot:  e.s.ingest.AllowOutsideRoot,
			MaxFileSize:       e.s.ingest.Limits.MaxFileSize,
			Region:            e.s.ingest.Region,
			Account:           e.s.ingest.Account,
			AvailabilityZones: e.s.ingest.AvailabilityZones,
			Vars:              e.s.vars,
			VarFiles:          e.s.varFiles,
			Parameters:        e.s.parameters,
			ParameterFiles:    e.s.parameterFiles,
			Overlay:           tfOverlay,
		},
		ingest:        e.s.ingest,
		limits:        e.s.limits,
		budget:        ingest.NewBudget(e.s.ingest.Limits.MaxNodes),
		log:           e.s.log,
		tf:            e.loader(),
		overlay:       overlay,
		parts:         e.parts,
		skipPaths:     e.s.skipPaths,
		modSources:    e.modSources,
		otherRevision: len(extra) > 0,
	}
}

// loader returns the engine's Terraform loader, whose parsed files and
// evaluations a later analysis reuses, or with WithoutReuse a new one for
// this analysis only.
func (e *Engine) loader() *terraform.Loader {
	if e.s.oneShot {
		return terraform.NewLoader()
	}
	return e.tf
}

// touchedBy returns the absolute paths of changed files (nil: a full
// analysis, every input checked).
func touchedBy(changes []Change) map[string]bool {
	if changes == nil {
		return nil
	}
	out := make(map[string]bool, len(changes))
	for _, c := range changes {
		out[absPath(c.Path)] = true
	}
	return out
}

// readInputs returns one fragment per input, in input order, reading only
// the inputs whose files changed since the engine last read them.
func (e *Engine) readInputs(ctx context.Context, a *analysis, d *discovery, touched map[string]bool) (frags []*cached, inputs, reread []Input, err error) {
	groups := groupInputs(d.inputs)
	type job struct {
		key  string
		g    inputGroup
		c    *cached
		hash inputHash
		read bool
	}
	jobs := make([]*job, len(groups))
	seen := make(map[string]bool, len(groups))
	for i, g := range groups {
		key := g.key()
		seen[key] = true
		j := &job{key: key, g: g, c: e.cache[key]}
		switch {
		case j.c == nil:
			j.read = true
		case touched != nil && !j.c.touchedBy(touched) && !g.hasData():
			// Update: a folder input no change names keeps its result.
		default:
			j.hash = a.hashInput(g, j.c.files, j.c.dirs)
			j.read = j.hash != j.c.hash
		}
		jobs[i] = j
	}
	// Forget inputs that are gone.
	for k := range e.cache {
		if !seen[k] {
			delete(e.cache, k)
		}
	}
	var wg sync.WaitGroup
	for _, j := range jobs {
		if !j.read {
			continue
		}
		wg.Go(func() {
			// readGroup recovers a reader's panic; this catches one in what
			// follows it, here where the goroutine runs, as the input's error.
			defer func() {
				if r := recover(); r != nil {
					frag := graph.New()
					frag.Diagnostics = []graph.Diagnostic{{Severity: graph.SeverityError, Summary: "internal error while reading the input", Detail: fmt.Sprint(r), Range: graph.Range{File: j.g.members[0].path}}}
					frag.Freeze()
					j.c = &cached{frag: frag}
				}
			}()
			frag := a.readGroup(ctx, j.g)
			if ctx.Err() != nil {
				return
			}
			if sc := j.g.members[0].scope; sc != "" {
				frag = scopeFragment(frag, sc)
			}
			frag.Freeze()
			c := &cached{frag: frag}
			// A file that no longer parses keeps the last good fragment,
			// with the new errors as diagnostics.
			if j.c != nil && hasErrors(frag.Diagnostics) && !hasErrors(j.c.frag.Diagnostics) {
				c.frag = j.c.frag.WithDiagnostics(frag.Diagnostics)
			}
			var deps sync.WaitGroup
			if j.c != nil {
				// Comparing nodes with the last read's and listing the
				// files read are independent: side by side.
				deps.Go(func() { c.inheritFrom(j.c) })
			}
			c.files, c.dirs = dependencies(j.g, frag, a)
			c.hash = a.hashInput(j.g, c.files, c.dirs)
			deps.Wait()
			j.c = c
		})
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, nil, nil, err
	}
	frags = make([]*cached, 0, len(jobs))
	inputs = make([]Input, 0, len(jobs))
	for _, j := range jobs {
		if j.read {
			e.serial++
			j.c.serial = e.serial
		}
		e.cache[j.key] = j.c
		frags = append(frags, j.c)
		inputs = append(inputs, j.g.inputs()...)
		switch {
		case j.read && j.g.kind == kindDescribe:
			// Only the describe files that changed were read again.
			again := make(map[string]bool, len(a.partsRead))
			for _, p := range a.partsRead {
				again[p] = true
			}
			for _, in := range j.g.inputs() {
				if again[in.Path] {
					reread = append(reread, in)
				}
			}
		case j.read:
			reread = append(reread, j.g.inputs()...)
		}
	}
	sort.Slice(inputs, func(i, j int) bool {
		if inputs[i].Path != inputs[j].Path {
			return inputs[i].Path < inputs[j].Path
		}
		return inputs[i].Form < inputs[j].Form
	})
	return frags, inputs, reread, nil
}

// serialOf returns the serial of the read a node of the fragment comes
// from.
func (c *cached) serialOf(id string) uint64 {
	if s, ok := c.inherit[id]; ok {
		return s
	}
	return c.serial
}

// inheritFrom gives the nodes equal to their previous version the
// previous serial.
// A big fragment is compared in halves side by side.
func (c *cached) inheritFrom(old *cached) {
	nodes := c.frag.Nodes()
	same := make([]bool, len(nodes))
	compare := func(from, to int) {
		for i := from; i < to; i++ {
			n := nodes[i]
			on := old.frag.Node(n.Meta().ID)
			same[i] = on != nil && (on == n || reflect.DeepEqual(on, n))
		}
	}
	if half := len(nodes) / 2; half >= 64 {
		var wg sync.WaitGroup
		wg.Go(func() { compare(half, len(nodes)) })
		compare(0, half)
		wg.Wait()
	} else {
		compare(0, len(nodes))
	}
	c.inherit = map[string]uint64{}
	for i, n := range nodes {
		if same[i] {
			id := n.Meta().ID
			c.inherit[id] = old.serialOf(id)
		}
	}
}

// touchedBy reports whether a changed path is one of the input's files or
// lies in one of its folders (a new file of a module).
func (c *cached) touchedBy(paths map[string]bool) bool {
	for _, f := range c.files {
		if paths[f] {
			return true
		}
	}
	for p := range paths {
		dir := filepath.Dir(p)
		for _, d := range c.dirs {
			if d == dir {
				return true
			}
		}
	}
	return false
}

// dependencies lists the files an input read — every file its nodes and
// diagnostics name, the files of its folder form, variable and parameter
// files — and the folders whose listing decides it.
func dependencies(g inputGroup, frag *graph.Graph, a *analysis) (files, dirs []string) {
	set := map[string]bool{}
	last := ""
	add := func(p string) {
		// Most ranges name the file the one before named.
		if p != "" && p != last {
			last = p
			set[absPath(p)] = true
		}
	}
	for _, in := range g.members {
		if in.data == nil {
			continue
		}
		add(in.path)
	}
	for _, n := range frag.Nodes() {
		b := n.Meta()
		add(b.Source.Range.File)
		for _, r := range b.Attrs {
			add(r.File)
		}
	}
	for _, d := range frag.Diagnostics {
		if d.Range.File != "" {
			if st, err := os.Stat(d.Range.File); err == nil && st.IsDir() {
				continue
			}
		}
		add(d.Range.File)
	}
	dirSet := map[string]bool{}
	switch g.kind {
	case kindTerraformDir, kindCloudAssembly:
		dirSet[absPath(g.members[0].path)] = true
		for _, f := range a.opts.VarFiles {
			add(f)
		}
	case kindTerraformPlan:
		dirSet[filepath.Dir(absPath(g.members[0].path))] = true
	case kindCloudFormation:
		for _, f := range a.opts.ParameterFiles {
			add(f)
		}
	}
	if g.kind == kindTerraformDir {
		for p := range set {
			dirSet[filepath.Dir(p)] = true
		}
	}
	for p := range set {
		if st, err := os.Stat(p); err == nil && st.IsDir() {
			delete(set, p)
		}
	}
	for p := range set {
		files = append(files, p)
	}
	for d := range dirSet {
		dirs = append(dirs, d)
	}
	sort.Strings(files)
	sort.Strings(dirs)
	return files, dirs
}

// hashInput hashes what decides an input: the content of its in-memory
// data, of each file it read (editor buffers first) and the listing of
// its folders. A file that is also a member with data is hashed once,
// from the bytes the reader read, not read again.
//
// The hash only tells whether an input changed since this process last
// read it, so it is maphash (fast, seeded per process, so not open to
// chosen collisions) over 64 bits, not a cryptographic hash.
func (a *analysis) hashInput(g inputGroup, files, dirs []string) inputHash {
	var h inputHasher
	h.str(g.key())
	var inData map[string]bool
	for _, in := range g.members {
		h.str(in.path)
		if in.data == nil {
			h.str("\x00disk")
		} else {
			h.u64(uint64(a.dataHash(in)))
		}
		if in.data != nil {
			if inData == nil {
				inData = map[string]bool{}
			}
			inData[absPath(in.path)] = true
		}
	}
	for _, f := range files {
		h.str(f)
		if inData[f] {
			h.str("\x00member")
			continue
		}
		if b, ok := a.overlay[f]; ok {
			if b == nil {
				h.str("\x00absent")
			} else {
				h.bytes(b)
			}
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			h.str("\x00error:" + err.Error())
			continue
		}
		h.bytes(b)
	}
	for _, d := range dirs {
		h.str(d)
		entries, err := os.ReadDir(d)
		if err != nil {
			h.str("\x00error")
		}
		for _, en := range entries {
			h.str(en.Name())
		}
		var names []string
		for p, b := range a.overlay {
			if filepath.Dir(p) == d {
				names = append(names, fmt.Sprintf("overlay:%s:%t", filepath.Base(p), b == nil))
			}
		}
		sort.Strings(names)
		for _, n := range names {
			h.str(n)
		}
	}
	return h.sum()
}

// inputHash identifies the content of an input within this process.
type inputHash uint64

// hashSeed is the process's seed of input hashes.
var hashSeed = maphash.MakeSeed()

// inputHasher writes length-prefixed values into a seeded maphash.
type inputHasher struct {
	h    maphash.Hash
	init bool
}

func (h *inputHasher) start() {
	if !h.init {
		h.h.SetSeed(hashSeed)
		h.init = true
	}
}

func (h *inputHasher) bytes(b []byte) {
	h.start()
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(b)))
	h.h.Write(n[:])
	h.h.Write(b)
}

func (h *inputHasher) str(s string) {
	h.start()
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], uint64(len(s)))
	h.h.Write(n[:])
	h.h.WriteString(s)
}

func (h *inputHasher) u64(v uint64) {
	h.start()
	var n [8]byte
	binary.LittleEndian.PutUint64(n[:], v)
	h.h.Write(n[:])
}

func (h *inputHasher) sum() inputHash {
	h.start()
	return inputHash(h.h.Sum64())
}

// dataHash returns the hash of an in-memory input's bytes, computed once
// per analysis (the group's hash and the describe part cache both ask).
func (a *analysis) dataHash(m found) inputHash {
	a.hmu.Lock()
	h, ok := a.hashes[m.path]
	a.hmu.Unlock()
	if ok {
		return h
	}
	var hh inputHasher
	hh.bytes(m.data)
	h = hh.sum()
	a.hmu.Lock()
	if a.hashes == nil {
		a.hashes = map[string]inputHash{}
	}
	a.hashes[m.path] = h
	a.hmu.Unlock()
	return h
}

// inputGroup is what one reader call reads: one folder or file input, or
// every describe file of the analysis (describe files join across files:
// rules into groups, target health into target groups).
type inputGroup struct {
	kind    inputKind
	members []found
}

func (g inputGroup) key() string {
	if g.kind == kindDescribe {
		return "describe"
	}
	m := g.members[0]
	return g.kind.String() + "\x00" + m.root + "\x00" + m.path + "\x00" + m.scope
}

func (g inputGroup) hasData() bool {
	for _, m := range g.members {
		if m.data != nil {
			return true
		}
	}
	return false
}

func (g inputGroup) inputs() []Input {
	out := make([]Input, 0, len(g.members))
	for _, m := range g.members {
		out = append(out, Input{Path: m.path, Form: formOf(m.kind).graphForm()})
	}
	return out
}

// groupInputs puts every describe input in one group, in input order;
// every other input is a group of its own.
func groupInputs(ins []found) []inputGroup {
	// The describe group reads first, as before the engine: merge order
	// decides which of two conflicting descriptions is kept.
	desc := inputGroup{kind: kindDescribe}
	var rest []inputGroup
	for _, in := range ins {
		if in.kind == kindDescribe {
			desc.members = append(desc.members, in)
			continue
		}
		rest = append(rest, inputGroup{kind: in.kind, members: []found{in}})
	}
	if len(desc.members) == 0 {
		return rest
	}
	return append([]inputGroup{desc}, rest...)
}

// NoInputError says that the paths held nothing vpcgate reads.
type NoInputError struct {
	Paths []string
	// Unsupported lists files found in a recognised but unsupported form
	// (Terraform JSON, override files).
	Unsupported []string
	// Diagnostics are what discovery noticed (a symbolic link out of the
	// scanned root not followed, an empty folder).
	Diagnostics []graph.Diagnostic
}

func (e *NoInputError) Error() string {
	s := "no input found in " + strings.Join(e.Paths, ", ") +
		" (looked for describe JSON, Terraform .tf files, Terraform plan or state JSON, CloudFormation templates and cdk.out cloud assemblies)"
	if len(e.Unsupported) > 0 {
		s += "; found only forms vpcgate does not read: " + strings.Join(e.Unsupported, ", ")
	}
	return s
}

// noInput returns a NoInputError when discovery found nothing to read.
func noInput(paths []string, d *discovery) error {
	err := &NoInputError{Paths: paths, Diagnostics: d.diags}
	err.Unsupported = append(err.Unsupported, d.unsupported...)
	sort.Strings(err.Unsupported)
	return err
}
