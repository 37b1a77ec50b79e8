package analyzer

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"runtime"
	"sort"
	"sync"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/reach"
	"github.com/vpcgate/vpcgate/policies"
)

// Derivations and policies are recomputed only where a change can matter.
// Nodes fall into components: the groups that references connect (a VPC
// with its subnets, tables, groups, instances and load balancers; two
// VPCs joined by peering or a transit gateway are one). Reachability and
// every rule look only along references, so what holds in one component
// does not depend on any other. The engine keeps each component's facts
// and findings keyed by its content (the nodes and the fragment read they
// come from) and, after an edit, derives and evaluates only the components
// whose key it has not seen. The first analysis derives and evaluates the
// whole graph at once and splits the results.

// compKey identifies a component's content.
type compKey [32]byte

// compResult is what the engine keeps of one component.
type compResult struct {
	facts    graph.Facts
	findings []policies.Finding // before suppression
}

// partition splits g's nodes into components.
type partition struct {
	of    map[string]int // node id → component
	keys  []compKey
	nodes [][]graph.Node
}

// partitionGraph finds the components of g; serial gives each node id the
// serial of the fragment read it comes from.
func partitionGraph(ctx context.Context, g *graph.Graph, serial map[string]uint64) (*partition, error) {
	nodes := g.Nodes()
	index := make(map[string]int, len(nodes))
	parent := make([]int, 0, len(nodes))
	idx := func(id string) int {
		if i, ok := index[id]; ok {
			return i
		}
		i := len(parent)
		index[id] = i
		parent = append(parent, i)
		return i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for i, n := range nodes {
		if i&1023 == 1023 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		a := idx(n.Meta().ID)
		for _, r := range n.Refs() {
			b := idx(r.To)
			if ra, rb := find(a), find(b); ra != rb {
				parent[rb] = ra
			}
		}
	}
	p := &partition{of: make(map[string]int, len(nodes))}
	rootComp := map[int]int{}
	for _, n := range nodes {
		id := n.Meta().ID
		r := find(index[id])
		c, ok := rootComp[r]
		if !ok {
			c = len(p.nodes)
			rootComp[r] = c
			p.nodes = append(p.nodes, nil)
		}
		p.of[id] = c
		p.nodes[c] = append(p.nodes[c], n)
	}
	if serial != nil {
		p.hashKeys(serial)
	}
	return p, nil
}

// hashKeys computes the components' keys from their nodes' ids and
// serials.
func (p *partition) hashKeys(serial map[string]uint64) {
	p.keys = make([]compKey, len(p.nodes))
	for c, nodes := range p.nodes {
		var h hashState
		for _, n := range nodes {
			id := n.Meta().ID
			h.add(id, serial[id])
		}
		p.keys[c] = h.sum()
	}
}

type hashState struct{ buf []byte }

func (h *hashState) add(id string, serial uint64) {
	h.buf = binary.AppendUvarint(h.buf, uint64(len(id)))
	h.buf = append(h.buf, id...)
	h.buf = binary.AppendUvarint(h.buf, serial)
}

func (h *hashState) sum() compKey { return sha256.Sum256(h.buf) }

// split files whole-graph (or subgraph) results under their components.
// It reports false when a result belongs to no component (then results
// cannot be kept per component).
func (p *partition) split(f *graph.Facts, findings []policies.Finding, evaluated bool, comps map[int]*compResult) bool {
	get := func(id string) (*compResult, bool) {
		c, ok := p.of[id]
		if !ok {
			return nil, false
		}
		r := comps[c]
		if r == nil {
			return nil, false
		}
		return r, true
	}
	for id, v := range f.Subnets {
		r, ok := get(id)
		if !ok {
			return false
		}
		if r.facts.Subnets == nil {
			r.facts.Subnets = map[string]*graph.SubnetFacts{}
		}
		r.facts.Subnets[id] = v
	}
	for id, v := range f.Nodes {
		r, ok := get(id)
		if !ok {
			return false
		}
		if r.facts.Nodes == nil {
			r.facts.Nodes = map[string]*graph.NodeFacts{}
		}
		r.facts.Nodes[id] = v
	}
	for _, l := range f.SGLinks {
		r, ok := get(l.To)
		if !ok {
			return false
		}
		r.facts.SGLinks = append(r.facts.SGLinks, l)
	}
	for _, t := range f.LBTargets {
		r, ok := get(t.LoadBalancer)
		if !ok {
			return false
		}
		r.facts.LBTargets = append(r.facts.LBTargets, t)
	}
	if evaluated {
		for _, fd := range findings {
			r, ok := get(fd.Resource.ID)
			if !ok {
				return false
			}
			r.findings = append(r.findings, fd)
		}
	}
	return true
}

// deriveAndEvaluate fills g.Facts and returns the findings before
// suppression, reusing the results of components seen before.
func (e *Engine) deriveAndEvaluate(ctx context.Context, g *graph.Graph, serial map[string]uint64) ([]policies.Finding, error) {
	evaluate := e.s.parts&PartFindings != 0 && e.policies != nil
	if e.pending != nil {
		// The last analysis derived the whole graph: its results are split
		// into components now that another analysis may reuse them.
		e.pending()
		e.pending = nil
	}
	if !e.memoOK {
		// Nothing kept: one derivation and evaluation of the whole, split
		// into components only if another analysis comes (a one-shot scan
		// never pays for it).
		// A stage that panicked leaves error diagnostics (analyzer/guard.go);
		// its results are then not remembered, so that the next analysis
		// tries again and reports it again.
		// The components, for evaluating by chunks, are found beside the
		// derivation (which uses one core); their keys only if another
		// analysis comes (pending).
		var p *partition
		var perr error
		var parted sync.WaitGroup
		if evaluate && g.Len() >= chunkMin && runtime.GOMAXPROCS(0) > 1 {
			g.Freeze() // sorted: both read it
			parted.Go(func() { p, perr = partitionGraph(ctx, g, nil) })
		}
		panics, err := derive(ctx, g, serial)
		parted.Wait()
		if err != nil {
			return nil, err
		}
		if perr != nil {
			return nil, perr
		}
		var findings []policies.Finding
		if evaluate {
			var evalPanics bool
			if findings, evalPanics, err = e.evaluate(ctx, g, p, nil); err != nil {
				return nil, err
			}
			panics = panics || evalPanics
		}
		e.derived = [2]int{1, 1}
		if panics {
			return findings, nil
		}
		e.pending = func() {
			if p == nil {
				var err error
				if p, err = partitionGraph(context.Background(), g, serial); err != nil {
					return
				}
			} else {
				p.hashKeys(serial)
			}
			fresh := make(map[int]*compResult, len(p.keys))
			for c := range p.keys {
				fresh[c] = &compResult{}
			}
			e.memoOK = p.split(&g.Facts, findings, evaluate, fresh)
			e.remember(p, fresh)
		}
		return findings, nil
	}
	p, err := partitionGraph(ctx, g, serial)
	if err != nil {
		return nil, err
	}
	var missing []int
	for c, k := range p.keys {
		if _, ok := e.memo[k]; !ok {
			missing = append(missing, c)
		}
	}
	fresh := map[int]*compResult{}
	var findings []policies.Finding
	if len(missing) == len(p.keys) {
		// Everything is new: one derivation and evaluation of the whole.
		panics, err := derive(ctx, g, serial)
		if err != nil {
			return nil, err
		}
		if evaluate {
			var evalPanics bool
			if findings, evalPanics, err = e.evaluate(ctx, g, p, nil); err != nil {
				return nil, err
			}
			panics = panics || evalPanics
		}
		for c := range p.keys {
			fresh[c] = &compResult{}
		}
		e.memoOK = p.split(&g.Facts, findings, evaluate, fresh) && !panics
		e.remember(p, fresh)
		e.derived = [2]int{len(p.keys), len(p.keys)}
		return findings, nil
	}
	sub := graph.New()
	for _, c := range missing {
		fresh[c] = &compResult{}
		for _, n := range p.nodes[c] {
			sub.Add(n)
		}
	}
	panics, err := derive(ctx, sub, serial)
	if err != nil {
		return nil, err
	}
	var subFindings []policies.Finding
	if evaluate {
		var evalPanics bool
		if subFindings, evalPanics, err = e.evaluate(ctx, sub, p, missing); err != nil {
			return nil, err
		}
		panics = panics || evalPanics
	}
	if panics {
		// Start over with the whole, where the panic is reported.
		e.memoOK = false
		return e.deriveAndEvaluate(ctx, g, serial)
	}
	if !p.split(&sub.Facts, subFindings, evaluate, fresh) {
		// A result outside every component: start over with the whole.
		e.memoOK = false
		return e.deriveAndEvaluate(ctx, g, serial)
	}
	parts := make([]*graph.Facts, len(p.keys))
	for c, k := range p.keys {
		r := fresh[c]
		if r == nil {
			r = e.memo[k]
		}
		parts[c] = &r.facts
		findings = append(findings, r.findings...)
	}
	g.Facts = reach.MergeFacts(parts...)
	policies.SortFindings(findings)
	e.remember(p, fresh)
	e.derived = [2]int{len(missing), len(p.keys)}
	return findings, nil
}

// remember keeps the results of this analysis's components and of the
// one before (so that alternating between two revisions — a base and a
// head — finds both), and forgets the rest.
func (e *Engine) remember(p *partition, fresh map[int]*compResult) {
	cur := make(map[compKey]*compResult, len(p.keys))
	for c, k := range p.keys {
		if r := fresh[c]; r != nil {
			cur[k] = r
		} else if r := e.memo[k]; r != nil {
			cur[k] = r
		}
	}
	next := make(map[compKey]*compResult, len(cur)+len(e.memoCur))
	for k, r := range e.memoCur {
		next[k] = r
	}
	for k, r := range cur {
		next[k] = r
	}
	e.memoCur = cur
	e.memo = next
}

// chunkMin is the fewest nodes whose policies are evaluated by chunks of
// components, and chunkShare the largest share of them one component may
// hold.
var (
	chunkMin   = 2000
	chunkShare = 0.5
)

// evaluate runs the policies over g. A graph of chunkMin nodes or more
// whose components (p; only comps, those g holds, when not nil) are
// several is evaluated by chunks of whole components of about the same
// size, several per core: every rule looks only along references, so the
// findings are those of the whole (sorted again), and the chunks let every
// core work until the end instead of one rule with many findings running
// alone (policies.EvaluateEach).
func (e *Engine) evaluate(ctx context.Context, g *graph.Graph, p *partition, comps []int) ([]policies.Finding, bool, error) {
	e.chunks = 0
	if p == nil || g.Len() < chunkMin {
		return evaluatePolicies(ctx, e.policies, g)
	}
	if comps == nil {
		comps = make([]int, len(p.nodes))
		for c := range comps {
			comps[c] = c
		}
	}
	// Chunks help only when no component holds most of the nodes (then
	// the cores would wait for its chunk anyway).
	largest, total := 0, 0
	for _, c := range comps {
		largest = max(largest, len(p.nodes[c]))
		total += len(p.nodes[c])
	}
	if len(comps) < 2 || runtime.GOMAXPROCS(0) < 2 || float64(largest) > chunkShare*float64(total) {
		return evaluatePolicies(ctx, e.policies, g)
	}
	facts := make(map[int]*compResult, len(comps))
	for _, c := range comps {
		facts[c] = &compResult{}
	}
	if !p.split(&g.Facts, nil, false, facts) {
		return evaluatePolicies(ctx, e.policies, g)
	}
	// Biggest components first, each into the chunk with fewest nodes.
	order := append([]int(nil), comps...)
	sort.SliceStable(order, func(a, b int) bool { return len(p.nodes[order[a]]) > len(p.nodes[order[b]]) })
	chunks := make([][]int, min(len(order), 4*runtime.GOMAXPROCS(0)))
	sizes := make([]int, len(chunks))
	for _, c := range order {
		k := 0
		for i := range sizes {
			if sizes[i] < sizes[k] {
				k = i
			}
		}
		chunks[k] = append(chunks[k], c)
		sizes[k] += len(p.nodes[c])
	}
	subs := make([]*graph.Graph, len(chunks))
	for i, chunk := range chunks {
		if err := ctx.Err(); err != nil {
			return nil, false, err
		}
		sub := graph.New()
		parts := make([]*graph.Facts, 0, len(chunk))
		for _, c := range chunk {
			for _, n := range p.nodes[c] {
				sub.Add(n)
			}
			parts = append(parts, &facts[c].facts)
		}
		sub.Facts = reach.MergeFacts(parts...)
		sub.Freeze()
		subs[i] = sub
	}
	e.chunks = len(subs)
	e.s.log.Debug("policies by chunks", "chunks", len(subs), "components", len(comps), "nodes", g.Len())
	return evaluatePoliciesEach(ctx, e.policies, subs, g)
}
