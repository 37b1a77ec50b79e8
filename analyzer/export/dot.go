package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// label is a node's display text: kind, name and id.
func label(n graph.Node) string {
	b := n.Meta()
	id := b.ID
	if i := strings.LastIndex(id, "/"); strings.HasPrefix(id, "arn:") && i >= 0 {
		id = id[i+1:]
	}
	if b.Name != "" && b.Name != id {
		return fmt.Sprintf("%s\\n%s\\n%s", b.Kind, b.Name, id)
	}
	return fmt.Sprintf("%s\\n%s", b.Kind, id)
}

// exposed reports whether the internet reaches the node.
func exposed(g *graph.Graph, id string) bool {
	f, ok := g.Facts.Nodes[id]
	return ok && len(f.InternetReachable) > 0
}

// Dot writes the graph in Graphviz dot, clustered by VPC; internet-reachable
// nodes are drawn red and public subnets orange.
func Dot(w io.Writer, g *graph.Graph) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "digraph vpcgate {")
	fmt.Fprintln(bw, "  rankdir=LR;")
	fmt.Fprintln(bw, "  node [shape=box, fontsize=10];")
	for _, n := range g.Nodes() {
		b := n.Meta()
		attrs := ""
		switch {
		case exposed(g, b.ID):
			attrs = `, color="red", penwidth=2`
		case b.Kind == graph.KindSubnet && g.Facts.Subnets[b.ID] != nil && g.Facts.Subnets[b.ID].Public:
			attrs = `, color="orange"`
		}
		fmt.Fprintf(bw, "  %q [label=\"%s\"%s];\n", b.ID, label(n), attrs)
	}
	for _, e := range g.Edges() {
		if g.Node(e.To) == nil {
			continue
		}
		fmt.Fprintf(bw, "  %q -> %q [label=%q, fontsize=8];\n", e.From, e.To, string(e.Kind))
	}
	fmt.Fprintln(bw, "}")
	return bw.Flush()
}

// Mermaid writes the graph as a Mermaid flowchart.
func Mermaid(w io.Writer, g *graph.Graph) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "flowchart LR")
	ids := map[string]string{}
	for i, n := range g.Nodes() {
		ids[n.Meta().ID] = fmt.Sprintf("n%d", i)
	}
	for _, n := range g.Nodes() {
		b := n.Meta()
		text := strings.ReplaceAll(label(n), `\n`, "<br/>")
		text = strings.ReplaceAll(text, `"`, "'")
		fmt.Fprintf(bw, "  %s[\"%s\"]\n", ids[b.ID], text)
		if exposed(g, b.ID) {
			fmt.Fprintf(bw, "  style %s stroke:#d00,stroke-width:3px\n", ids[b.ID])
		}
	}
	for _, e := range g.Edges() {
		to, ok := ids[e.To]
		if !ok {
			continue
		}
		fmt.Fprintf(bw, "  %s -->|%s| %s\n", ids[e.From], e.Kind, to)
	}
	return bw.Flush()
}
