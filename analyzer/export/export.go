// Package export renders a graph with its derived facts as JSON (the
// documented `vpcgate graph --format json` shape), Graphviz dot or Mermaid,
// and reachability verdicts as JSON.
package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// Location is a position in the input as the JSON outputs show it.
type Location struct {
	File  string  `json:"file"`
	Start LinePos `json:"start"`
	End   LinePos `json:"end"`
}

// LinePos is a 1-based line and column.
type LinePos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// LocationOf converts a range; nil when the range points nowhere.
func LocationOf(r graph.Range) *Location {
	if r.IsZero() {
		return nil
	}
	return &Location{
		File:  r.File,
		Start: LinePos{Line: r.Start.Line, Column: r.Start.Column},
		End:   LinePos{Line: r.End.Line, Column: r.End.Column},
	}
}

// Node is one node of the JSON graph.
type Node struct {
	ID       string            `json:"id"`
	Kind     graph.Kind        `json:"kind"`
	Name     string            `json:"name,omitempty"`
	Tags     map[string]string `json:"tags,omitempty"`
	Form     graph.Form        `json:"form,omitempty"`
	Address  string            `json:"address,omitempty"`
	Attrs    json.RawMessage   `json:"attrs"`
	Derived  any               `json:"derived,omitempty"`
	Unknown  []string          `json:"unknown,omitempty"`
	Location *Location         `json:"location,omitempty"`
}

// Document is the JSON graph.
type Document struct {
	Nodes []Node       `json:"nodes"`
	Edges []graph.Edge `json:"edges"`
}

// Exposure is an internet exposure as the JSON outputs show it: "port"
// for a single port, "from_port"/"to_port" for a range.
type Exposure struct {
	Protocol string      `json:"protocol"`
	Port     *int        `json:"port,omitempty"`
	FromPort *int        `json:"from_port,omitempty"`
	ToPort   *int        `json:"to_port,omitempty"`
	IPv6     bool        `json:"ipv6,omitempty"`
	Via      string      `json:"via"`
	Path     []graph.Hop `json:"path,omitempty"`
}

// ExposureOf converts a derived exposure.
func ExposureOf(e graph.Exposure) Exposure {
	out := Exposure{Protocol: e.Protocol, IPv6: e.IPv6, Via: e.Via, Path: e.Path}
	if e.FromPort == e.ToPort {
		p := e.FromPort
		out.Port = &p
	} else {
		from, to := e.FromPort, e.ToPort
		out.FromPort, out.ToPort = &from, &to
	}
	return out
}

// nodeDerived is the "derived" object of a compute node.
type nodeDerived struct {
	Tier              graph.Tier `json:"tier"`
	TierReason        string     `json:"tier_reason,omitempty"`
	PublicAddress     bool       `json:"public_address"`
	InternetReachable []Exposure `json:"internet_reachable"`
}

// Build assembles the JSON document of g.
func Build(g *graph.Graph) (*Document, error) {
	doc := &Document{Nodes: []Node{}, Edges: g.Edges()}
	if doc.Edges == nil {
		doc.Edges = []graph.Edge{}
	}
	for _, n := range g.Nodes() {
		b := n.Meta()
		attrs, err := json.Marshal(n)
		if err != nil {
			return nil, err
		}
		out := Node{
			ID: b.ID, Kind: b.Kind, Name: b.Name, Tags: b.Tags, Form: b.Source.Form,
			Address: b.Source.Address, Attrs: attrs, Location: LocationOf(b.Source.Range),
		}
		if len(b.Unknown) > 0 {
			out.Unknown = append([]string(nil), b.Unknown...)
			sort.Strings(out.Unknown)
		}
		if f, ok := g.Facts.Subnets[b.ID]; ok {
			out.Derived = f
		} else if f, ok := g.Facts.Nodes[b.ID]; ok {
			d := nodeDerived{Tier: f.Tier, TierReason: f.TierReason, PublicAddress: f.PublicAddress, InternetReachable: []Exposure{}}
			for _, e := range f.InternetReachable {
				d.InternetReachable = append(d.InternetReachable, ExposureOf(e))
			}
			out.Derived = d
		}
		doc.Nodes = append(doc.Nodes, out)
	}
	return doc, nil
}

// JSON writes the graph document, indented. It streams node by node, so a
// large graph is never held twice in memory as one encoded buffer; the
// bytes are those of encoding the whole Document with two-space indent.
func JSON(w io.Writer, g *graph.Graph) error {
	doc, err := Build(g)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	if err := writeArray(bw, "{\n  \"nodes\": ", doc.Nodes); err != nil {
		return err
	}
	if err := writeArray(bw, ",\n  \"edges\": ", doc.Edges); err != nil {
		return err
	}
	if _, err := bw.WriteString("\n}\n"); err != nil {
		return err
	}
	return bw.Flush()
}

// writeArray writes head, then items as a JSON array nested one level in
// an object indented by two spaces.
func writeArray[T any](bw *bufio.Writer, head string, items []T) error {
	bw.WriteString(head)
	if len(items) == 0 {
		_, err := bw.WriteString("[]")
		return err
	}
	bw.WriteString("[")
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("    ", "  ")
	enc.SetEscapeHTML(false)
	for i, it := range items {
		buf.Reset()
		if err := enc.Encode(it); err != nil {
			return err
		}
		if i > 0 {
			bw.WriteString(",")
		}
		bw.WriteString("\n    ")
		bw.Write(bytes.TrimRight(buf.Bytes(), "\n"))
	}
	_, err := bw.WriteString("\n  ]")
	return err
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// Explanation is the JSON answer of `vpcgate explain`.
type Explanation struct {
	Resource  string         `json:"resource"`
	Kind      graph.Kind     `json:"kind"`
	Protocol  string         `json:"protocol"`
	Port      int            `json:"port"`
	Reachable bool           `json:"reachable"`
	Path      []LocatedHop   `json:"path"`
	BlockedBy *graph.Blocked `json:"blocked_by"`
	// Blockers are every setting that blocks the path, each with where it
	// is written and what would change it (empty when reachable).
	Blockers []LocatedBlock `json:"blockers"`
}

// LocatedHop is a hop of a path with where its node is written
// ("file:line"; "" for the internet and nodes of live or describe inputs
// without a position).
type LocatedHop struct {
	graph.Hop
	Location string `json:"location,omitempty"`
}

// LocatedBlock is a blocker with where it is written.
type LocatedBlock struct {
	graph.Blocked
	Location string `json:"location,omitempty"`
}

// NewExplanation builds the explanation of verdict v about node id,
// locating every hop and blocker in g.
func NewExplanation(g *graph.Graph, id string, kind graph.Kind, proto string, port int, v graph.Verdict) Explanation {
	e := Explanation{Resource: id, Kind: kind, Protocol: proto, Port: port, Reachable: v.Reachable, BlockedBy: v.BlockedBy,
		Path: make([]LocatedHop, 0, len(v.Path)), Blockers: make([]LocatedBlock, 0, len(v.Blockers))}
	for _, h := range v.Path {
		lh := LocatedHop{Hop: h}
		if n := g.Node(h.Node); n != nil {
			lh.Location = FileLine(n.Meta().Source.Range)
		}
		e.Path = append(e.Path, lh)
	}
	for _, b := range v.Blockers {
		e.Blockers = append(e.Blockers, LocatedBlock{Blocked: b, Location: FileLine(b.Range)})
	}
	return e
}

// FileLine formats a range as file:line ("" when it points nowhere).
func FileLine(r graph.Range) string {
	if r.IsZero() {
		return ""
	}
	if r.Start.Line == 0 {
		return r.File
	}
	return fmt.Sprintf("%s:%d", r.File, r.Start.Line)
}

// ExplainJSON writes a reachability verdict.
func ExplainJSON(w io.Writer, e Explanation) error {
	if e.Path == nil {
		e.Path = []LocatedHop{}
	}
	if e.Blockers == nil {
		e.Blockers = []LocatedBlock{}
	}
	return writeJSON(w, e)
}
