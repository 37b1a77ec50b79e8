package graph

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
)

// Graph is a set of nodes keyed by id, with their derived facts and the
// diagnostics raised while reading the input. The zero value is not usable:
// call New.
type Graph struct {
	nodes  map[string]Node
	byKind map[Kind][]Node
	sorted map[Kind]bool
	frozen bool
	alias  map[string][]string // alias → node ids
	// Facts are filled by the derivations; empty until then.
	Facts Facts
	// Diagnostics about the input, in the order they were raised.
	Diagnostics []Diagnostic
}

// New returns an empty graph.
func New() *Graph {
	return &Graph{
		nodes:  map[string]Node{},
		byKind: map[Kind][]Node{},
		sorted: map[Kind]bool{},
		alias:  map[string][]string{},
	}
}

// Len returns the number of nodes.
func (g *Graph) Len() int { return len(g.nodes) }

// Freeze sorts every kind once and marks g read-only: afterwards Of, Nodes
// and Edges never write, so any number of goroutines may read g at once.
// Add and Merge into a frozen graph panic.
func (g *Graph) Freeze() {
	if g.frozen {
		return
	}
	for k := range g.byKind {
		g.Of(k)
	}
	g.frozen = true
}

// Frozen reports whether Freeze was called.
func (g *Graph) Frozen() bool { return g.frozen }

// WithDiagnostics returns a frozen copy of g sharing its nodes, with
// diags in place of its diagnostics.
func (g *Graph) WithDiagnostics(diags []Diagnostic) *Graph {
	g.Freeze()
	c := *g
	c.Diagnostics = append([]Diagnostic(nil), diags...)
	return &c
}

// Add inserts n. When a node with the same id is already present, the two
// are compared: identical content is merged silently (the first source is
// kept); different content keeps the first and returns a diagnostic.
func (g *Graph) Add(n Node) *Diagnostic {
	if g.frozen {
		panic("graph: Add to a frozen graph")
	}
	b := n.Meta()
	if b.ID == "" {
		return &Diagnostic{Severity: SeverityWarning, Summary: fmt.Sprintf("%s without an id ignored", b.Kind), Range: b.Source.Range}
	}
	if old, ok := g.nodes[b.ID]; ok {
		if SameContent(old, n) {
			return nil
		}
		ob := old.Meta()
		return &Diagnostic{
			Severity: SeverityWarning,
			Summary:  fmt.Sprintf("%s %s is described differently in two places; keeping the first", b.Kind, b.ID),
			Detail:   fmt.Sprintf("first at %s, again at %s", ob.Source.Range, b.Source.Range),
			Range:    b.Source.Range,
		}
	}
	g.nodes[b.ID] = n
	g.byKind[b.Kind] = append(g.byKind[b.Kind], n)
	g.sorted[b.Kind] = false
	for _, a := range b.Aliases {
		g.alias[a] = append(g.alias[a], b.ID)
	}
	if b.Name != "" {
		g.alias[b.Name] = append(g.alias[b.Name], b.ID)
	}
	if b.Source.Address != "" {
		g.alias[b.Source.Address] = append(g.alias[b.Source.Address], b.ID)
	}
	return nil
}

// Merge adds every node of o to g and appends o's diagnostics, followed by
// any conflicts. Merging into an empty graph sizes it for o, and a kind
// whose nodes arrive after every node g has of it (o's are sorted) stays
// sorted, so the merged graph is not sorted again.
func (g *Graph) Merge(o *Graph) {
	g.Diagnostics = append(g.Diagnostics, o.Diagnostics...)
	if len(g.nodes) == 0 && o.Len() > 0 && !g.frozen {
		g.nodes = make(map[string]Node, o.Len())
		g.alias = make(map[string][]string, o.Len())
	}
	for _, k := range Kinds {
		ns := o.Of(k)
		if len(ns) == 0 {
			continue
		}
		cur := g.byKind[k]
		// Still sorted after the merge when g's nodes of kind k are and
		// o's all come after them; a node o shares with g adds nothing.
		stays := g.sorted[k] || len(cur) == 0
		if stays && len(cur) > 0 && ns[0].Meta().ID <= cur[len(cur)-1].Meta().ID {
			stays = false
		}
		if len(cur) == 0 {
			g.byKind[k] = make([]Node, 0, len(ns))
		}
		for _, n := range ns {
			if d := g.Add(n); d != nil {
				g.Diagnostics = append(g.Diagnostics, *d)
			}
		}
		if stays {
			g.sorted[k] = true
		}
	}
}

// Node returns the node with id, or nil.
func (g *Graph) Node(id string) Node { return g.nodes[id] }

// Of returns the nodes of kind k sorted by id. The slice is shared: do not
// modify it.
func (g *Graph) Of(k Kind) []Node {
	s := g.byKind[k]
	if !g.frozen && !g.sorted[k] {
		sort.Slice(s, func(i, j int) bool { return s[i].Meta().ID < s[j].Meta().ID })
		g.sorted[k] = true
	}
	return s
}

// Nodes returns every node, by kind (in the order of Kinds) then id.
func (g *Graph) Nodes() []Node {
	out := make([]Node, 0, len(g.nodes))
	for _, k := range Kinds {
		out = append(out, g.Of(k)...)
	}
	return out
}

// Edges returns every reference between nodes as an edge, sorted by from,
// to and kind. References to ids absent from the graph are kept: a subnet
// in a VPC that was not part of the input still names it.
func (g *Graph) Edges() []Edge {
	var out []Edge
	for _, n := range g.Nodes() {
		from := n.Meta().ID
		for _, r := range n.Refs() {
			out = append(out, Edge{From: from, To: r.To, Kind: r.Kind})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.From != b.From {
			return a.From < b.From
		}
		if a.To != b.To {
			return a.To < b.To
		}
		return a.Kind < b.Kind
	})
	// Drop duplicates (two rules naming the same group).
	w := 0
	for i, e := range out {
		if i > 0 && e == out[w-1] {
			continue
		}
		out[w] = e
		w++
	}
	return out[:w]
}

// Resolve finds the nodes a user means by ref: a node id, an ARN, a
// resource name or identifier, an IaC address or a Name tag (exactly, else
// ignoring case). Several matches mean the reference is ambiguous: an RDS
// instance and its DB subnet group may share a name.
func (g *Graph) Resolve(ref string) []Node {
	ids := g.alias[ref]
	if _, ok := g.nodes[ref]; ok {
		ids = append([]string{ref}, ids...)
	}
	if len(ids) == 0 {
		// Case-insensitive fallback on names.
		for a, as := range g.alias {
			if strings.EqualFold(a, ref) {
				ids = append(ids, as...)
			}
		}
	}
	seen := map[string]bool{}
	var out []Node
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, g.nodes[id])
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Meta().ID < out[j].Meta().ID })
	return out
}

// SameContent reports whether two nodes describe the same resource the
// same way, ignoring where they were read from.
func SameContent(a, b Node) bool {
	if reflect.TypeOf(a) != reflect.TypeOf(b) {
		return false
	}
	va := reflect.ValueOf(a).Elem()
	vb := reflect.ValueOf(b).Elem()
	for i := 0; i < va.NumField(); i++ {
		if va.Type().Field(i).Name == "Base" {
			ba, bb := a.Meta(), b.Meta()
			if ba.Kind != bb.Kind || ba.Name != bb.Name || !reflect.DeepEqual(ba.Tags, bb.Tags) {
				return false
			}
			continue
		}
		if !EqualIgnoringRanges(va.Field(i), vb.Field(i)) {
			return false
		}
	}
	return true
}

var rangeType = reflect.TypeOf(Range{})

// EqualIgnoringRanges is reflect.DeepEqual for values of the model except
// that Range values (the positions of rules and routes) are not compared:
// the same resource read from two places is equal.
func EqualIgnoringRanges(a, b reflect.Value) bool {
	if a.Type() == rangeType {
		return true
	}
	switch a.Kind() {
	case reflect.Slice:
		if a.Len() != b.Len() {
			return false
		}
		for i := 0; i < a.Len(); i++ {
			if !EqualIgnoringRanges(a.Index(i), b.Index(i)) {
				return false
			}
		}
		return true
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			if !EqualIgnoringRanges(a.Field(i), b.Field(i)) {
				return false
			}
		}
		return true
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return a.IsNil() == b.IsNil()
		}
		return EqualIgnoringRanges(a.Elem(), b.Elem())
	}
	return reflect.DeepEqual(a.Interface(), b.Interface())
}
