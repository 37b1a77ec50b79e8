package terraform

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/zclconf/go-cty/cty"
)

// Evaluation reuse across loads of one root module.
//
// A load after a one-file edit evaluates the whole module again, but a
// resource instance written in an unchanged file whose every input is
// unchanged evaluates to what it did: the Loader keeps, per root module,
// what each instance's attributes and nested blocks evaluated to with what
// the evaluation read (recorded by evalContext: the values of var, local,
// module, data, path, count, each and self it saw, and which resources it
// read), the warnings it raised and how many expressions it evaluated, and
// every resource's value. The next load reuses an instance when its
// block is the same parsed block (the Loader's file cache keeps an
// unchanged file's syntax tree), every value it read is equal (cty
// RawEquals) and every resource it read has the value it had in the last
// load (so, by induction, the value the evaluation read); the warnings and
// the evaluation count are replayed. What a name evaluates (a local, a variable, another resource)
// is recorded by that name's own evaluation, never by the expression that
// reads it (push(nil) in evalContext).
//
// The first load of a root module records nothing (a one-shot scan pays
// nothing for reuse it would never see): the second records, the third
// reuses. Nothing is kept from a load that was cancelled, met a reference
// cycle (its outcome may depend on the order of evaluation), or came near
// the evaluation limit; an instance whose count or for_each is unknown is
// evaluated every time.

// read is one root an evaluation saw.
type read struct {
	root  string
	names []string // the names read after the root (shared with refsOf)
	// v and present: the root's value for a language root.
	v       cty.Value
	present bool
	// res: for a resource-type root, whether each name was a resource.
	res []bool
}

// recorder collects what one instance's evaluation read and raised.
type recorder struct {
	reads []read
	warns []graph.Diagnostic
	evals int
}

// resourceRead records that names of resource type root were read.
func (r *recorder) resourceRead(m *modInst, root string, names []string) {
	res := make([]bool, len(names))
	for i, n := range names {
		_, res[i] = m.cfg.resByKey[root+"."+n]
	}
	r.reads = append(r.reads, read{root: root, names: names, res: res})
}

// evalMemo is one instance's attributes or nested blocks as evaluated.
type evalMemo struct {
	body *hclsyntax.Body
	// at is where body started and file the text it was read from when
	// it was evaluated: a block a new text of its file took over
	// (reparse.go) may have moved, and what was kept moves with it.
	at    hcl.Pos
	file  *file
	rec   *recorder
	attrs map[string]*val // attributes (nil for nested blocks)
	// nested blocks
	blocks        map[string][]*obj
	unknownBlocks map[string]hcl.Range
}

// resMemo is a resource as the last load left it: its value, the keys of
// its instances and the attribute names its module reads (its value
// offers them).
type resMemo struct {
	value    cty.Value
	suffixes []string
	refAttrs []string
}

// loadMemo is what a load of one root module leaves for the next.
type loadMemo struct {
	res    map[string]*resMemo  // resource address → the resource
	attrs  map[string]*evalMemo // instance address → attributes
	bodies map[string]*evalMemo // instance address → nested blocks
}

func newLoadMemo() *loadMemo {
	return &loadMemo{res: map[string]*resMemo{}, attrs: map[string]*evalMemo{}, bodies: map[string]*evalMemo{}}
}

// top returns the recorder of the evaluation in progress, nil when none
// records (or a name's own evaluation is under way).
func (ev *evaluator) top() *recorder {
	if len(ev.recs) == 0 {
		return nil
	}
	return ev.recs[len(ev.recs)-1]
}

func (ev *evaluator) push(r *recorder) { ev.recs = append(ev.recs, r) }
func (ev *evaluator) pop()             { ev.recs = ev.recs[:len(ev.recs)-1] }

// prevResource returns resource addr as the last load left it, if any.
func (ev *evaluator) prevResource(addr string) *resMemo {
	if ev.prev == nil {
		return nil
	}
	return ev.prev.res[addr]
}

// reusable reports whether what rec read is unchanged: the same values of
// the language's roots, the same resources, each with its last value.
func (m *modInst) reusable(rec *recorder, sc *scope) bool {
	if m.ev.evals+rec.evals > maxEvaluations {
		return false
	}
	for _, r := range rec.reads {
		if r.res != nil {
			for i, n := range r.names {
				key := r.root + "." + n
				if _, ok := m.cfg.resByKey[key]; ok != r.res[i] {
					return false
				}
				if r.res[i] && !m.resource(key).reused {
					return false
				}
			}
			continue
		}
		v, ok := m.rootValue(r.root, r.names, sc)
		if ok != r.present || (ok && !v.RawEquals(r.v)) {
			return false
		}
	}
	return true
}

// replay raises the warnings of a reused evaluation and counts its
// expressions.
func (ev *evaluator) replay(rec *recorder) {
	ev.evals += rec.evals
	ev.diags = append(ev.diags, rec.warns...)
	if t := ev.top(); t != nil {
		t.evals += rec.evals
		t.warns = append(t.warns, rec.warns...)
	}
}

// instanceAttrs evaluates (or reuses: true) the attributes of an instance.
func (m *modInst) instanceAttrs(inst *instance, sc *scope) (map[string]*val, bool) {
	c := inst.res.cfg
	if m.ev.next == nil {
		return m.evalAttrs(c.block.Body, sc, c.file), false
	}
	if m.ev.prev != nil {
		if e := m.ev.prev.attrs[inst.addr].forBlock(c); e != nil && m.reusable(e.rec, sc) {
			m.ev.replay(e.rec)
			m.ev.next.attrs[inst.addr] = e
			m.ev.reused++
			return e.attrs, true
		}
	}
	rec := &recorder{}
	m.ev.push(rec)
	attrs := m.evalAttrs(c.block.Body, sc, c.file)
	m.ev.pop()
	m.ev.next.attrs[inst.addr] = &evalMemo{body: c.block.Body, at: c.block.Body.SrcRange.Start, file: c.file, rec: rec, attrs: attrs}
	return attrs, false
}

// instanceBlocks evaluates (or reuses) the nested blocks of an instance
// into o.
func (m *modInst) instanceBlocks(inst *instance, o *obj, sc *scope) {
	c := inst.res.cfg
	if m.ev.next == nil {
		m.evalBlocks(o, c.block.Body, sc, 0)
		return
	}
	if m.ev.prev != nil && !inst.res.unknownCount {
		if e := m.ev.prev.bodies[inst.addr].forBlock(c); e != nil && m.reusable(e.rec, sc) {
			m.ev.replay(e.rec)
			m.ev.next.bodies[inst.addr] = e
			o.blocks, o.unknownBlocks = e.blocks, e.unknownBlocks
			return
		}
	}
	rec := &recorder{}
	m.ev.push(rec)
	m.evalBlocks(o, c.block.Body, sc, 0)
	m.ev.pop()
	if !inst.res.unknownCount {
		m.ev.next.bodies[inst.addr] = &evalMemo{body: c.block.Body, at: c.block.Body.SrcRange.Start, file: c.file, rec: rec, blocks: o.blocks, unknownBlocks: o.unknownBlocks}
	}
}

// memoFor returns the memo the last load of dir left, if any, and whether
// this load records one: not the first load of dir (a one-shot scan pays
// nothing for reuse it would never see).
func (l *Loader) memoFor(dir string) (*loadMemo, bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	m, again := l.memos[dir]
	if !again {
		if l.memos == nil {
			l.memos = map[string]*loadMemo{}
		}
		l.memos[dir] = nil
	}
	return m, again
}

// keepMemo stores what a load of dir leaves for the next.
func (l *Loader) keepMemo(dir string, m *loadMemo, reused int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reused = reused
	if l.memos == nil {
		l.memos = map[string]*loadMemo{}
	}
	l.memos[dir] = m
}

// forBlock returns e for resource c when e was evaluated from c's block: as it
// is when the block is where it was, in the same text of its file; moved
// (what it kept shifted by the lines and bytes the block moved, in the
// new text) when a new text of the file took the block over; nil
// otherwise (a nil e included).
func (e *evalMemo) forBlock(c *resourceConfig) *evalMemo {
	if e == nil || e.body != c.block.Body {
		return nil
	}
	now := c.block.Body.SrcRange.Start
	if now == e.at && e.file == c.file {
		return e
	}
	if now.Column != e.at.Column {
		return nil
	}
	dl, db := now.Line-e.at.Line, now.Byte-e.at.Byte
	// What the evaluation warned of lies in the block (a name's own
	// evaluation records its warnings): anything else, and it is not
	// moved but evaluated again.
	end := c.block.Body.SrcRange.End.Byte - db
	warns := make([]graph.Diagnostic, len(e.rec.warns))
	for i, w := range e.rec.warns {
		if w.Range.File != c.file.path || w.Range.Start.Byte < e.at.Byte || w.Range.End.Byte > end {
			return nil
		}
		w.Range = moveGraphRange(w.Range, dl, db)
		warns[i] = w
	}
	rec := *e.rec
	rec.warns = warns
	out := &evalMemo{body: e.body, at: now, file: c.file, rec: &rec}
	if e.attrs != nil {
		out.attrs = movedVals(e.attrs, dl, db)
	}
	if e.blocks != nil {
		out.blocks = movedBlocks(e.blocks, c.file, dl, db)
	}
	out.unknownBlocks = movedRanges(e.unknownBlocks, dl, db)
	return out
}

// movePos adds dl lines and db bytes to p, a position of a block that
// moved (a zero position stays zero).
func movePos(p hcl.Pos, dl, db int) hcl.Pos {
	if p.Line > 0 {
		p.Line += dl
		p.Byte += db
	}
	return p
}

func moveRange(r hcl.Range, dl, db int) hcl.Range {
	r.Start = movePos(r.Start, dl, db)
	r.End = movePos(r.End, dl, db)
	return r
}

// moveGraphRange is moveRange for a range already converted (its columns
// in bytes stay too).
func moveGraphRange(r graph.Range, dl, db int) graph.Range {
	for _, p := range []*graph.Pos{&r.Start, &r.End} {
		if p.Line > 0 {
			p.Line += dl
			p.Byte += db
		}
	}
	return r
}

func movedRanges(in map[string]hcl.Range, dl, db int) map[string]hcl.Range {
	if in == nil {
		return nil
	}
	out := make(map[string]hcl.Range, len(in))
	for k, r := range in {
		out[k] = moveRange(r, dl, db)
	}
	return out
}

func movedVals(in map[string]*val, dl, db int) map[string]*val {
	out := make(map[string]*val, len(in))
	for k, v := range in {
		c := *v
		c.rng = moveRange(c.rng, dl, db)
		out[k] = &c
	}
	return out
}

func movedBlocks(in map[string][]*obj, f *file, dl, db int) map[string][]*obj {
	out := make(map[string][]*obj, len(in))
	for k, os := range in {
		moved := make([]*obj, len(os))
		for i, o := range os {
			c := &obj{file: f, rng: moveRange(o.rng, dl, db), unknownBlocks: movedRanges(o.unknownBlocks, dl, db)}
			if o.attrs != nil {
				c.attrs = movedVals(o.attrs, dl, db)
			}
			if o.blocks != nil {
				c.blocks = movedBlocks(o.blocks, f, dl, db)
			}
			moved[i] = c
		}
		out[k] = moved
	}
	return out
}
