package lsp

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"go.lsp.dev/protocol"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/textpos"
	"github.com/vpcgate/vpcgate/cost"
)

// settleTimeout bounds how long a request waits for pending edits to be
// analysed before it answers from the last snapshot.
const settleTimeout = 5 * time.Second

// view is what a request reads: the document's workspace, its latest
// snapshot and the document's text as that snapshot read it.
type view struct {
	w    *workspace
	snap *analyzer.Snapshot
	path string
	m    *textpos.Mapper
	seen map[string]seenDoc
	enc  textpos.Encoding
}

func (s *Server) view(ctx context.Context, u protocol.DocumentURI) (*view, bool) {
	path, ok := uriPath(u)
	if !ok {
		return nil, false
	}
	w := s.workspaceFor(path, false)
	if w == nil {
		return nil, false
	}
	w.settle(ctx, settleTimeout)
	snap, seen := w.current()
	if snap == nil {
		return nil, false
	}
	return &view{w: w, snap: snap, path: path, m: w.mapper(path, seen), seen: seen, enc: s.encoding()}, true
}

// nodesIn returns the nodes read from the view's file, in file order.
func (v *view) nodesIn() []graph.Node {
	var out []graph.Node
	for _, n := range v.snap.Graph.Nodes() {
		r := n.Meta().Source.Range
		if r.Start.Line > 0 && absFile(v.w.root, r.File) == v.path {
			out = append(out, n)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		return out[i].Meta().Source.Range.Less(out[j].Meta().Source.Range)
	})
	return out
}

// nodeAt returns the innermost node whose block holds byte offset off
// (a node with derived facts wins a tie).
func (v *view) nodeAt(off int) graph.Node {
	var best graph.Node
	bestLen := -1
	for _, n := range v.nodesIn() {
		r := n.Meta().Source.Range
		s, e := v.m.Offset(r.Start), v.m.Offset(r.End)
		s, _, _ = v.lineAt(s) // the indentation before a block belongs to it
		if off < s || off > e {
			continue
		}
		l := e - s
		_, facts := v.snap.Graph.Facts.Nodes[n.Meta().ID]
		if best == nil || l < bestLen || (l == bestLen && facts) {
			best, bestLen = n, l
		}
	}
	return best
}

// where formats a node's location as file:line relative to the workspace.
func (v *view) where(id string) string {
	n := v.snap.Graph.Node(id)
	if n == nil {
		return ""
	}
	r := n.Meta().Source.Range
	if r.File == "" {
		return ""
	}
	f := absFile(v.w.root, r.File)
	if rel, err := filepath.Rel(v.w.root, f); err == nil && !strings.HasPrefix(rel, "..") {
		f = rel
	}
	if r.Start.Line == 0 {
		return f
	}
	return fmt.Sprintf("%s:%d", f, r.Start.Line)
}

func label(n graph.Node) string {
	b := n.Meta()
	name := b.Source.Address
	if name == "" {
		name = b.ID
	}
	if b.Name != "" && b.Name != name {
		name += " (" + b.Name + ")"
	}
	return name
}

func portText(e graph.Exposure) string {
	proto := e.Protocol
	if proto == "-1" {
		return "all traffic"
	}
	switch {
	case proto == "icmp" || proto == "icmpv6":
		return proto
	case e.FromPort == e.ToPort:
		return fmt.Sprintf("%s %d", proto, e.FromPort)
	default:
		return fmt.Sprintf("%s %d-%d", proto, e.FromPort, e.ToPort)
	}
}

func (s *Server) costOf(snap *analyzer.Snapshot, id string) *cost.Resource {
	if snap.Costs == nil {
		return nil
	}
	for i := range snap.Costs.Resources {
		if snap.Costs.Resources[i].ID == id {
			return &snap.Costs.Resources[i]
		}
	}
	return nil
}

func money(c *cost.Report, r *cost.Resource) string {
	cur := "USD"
	if c != nil && c.Currency != "" {
		cur = c.Currency
	}
	sym := cur + " "
	if cur == "USD" {
		sym = "$"
	}
	s := sym + r.Monthly.StringFixed(2)
	if r.Estimate() {
		s = "~" + s
	}
	return s
}

// Hover describes the resource under the cursor: its tier, each port
// the internet reaches with the path hop by hop (file and line of each
// hop), what blocks it otherwise, its findings and its monthly cost.
func (s *Server) Hover(ctx context.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	v, ok := s.view(ctx, p.TextDocument.URI)
	if !ok {
		return nil, nil
	}
	off := v.m.ByteOffset(textpos.Position{Line: p.Position.Line, Character: p.Position.Character}, v.enc)
	n := v.nodeAt(off)
	if n == nil {
		return nil, nil
	}
	b := n.Meta()
	var sb strings.Builder
	fmt.Fprintf(&sb, "**%s** `%s`", label(n), b.Kind)
	if b.ID != b.Source.Address && b.ID != "" {
		fmt.Fprintf(&sb, " — id `%s`", b.ID)
	}
	sb.WriteString("\n\n")
	if f := v.snap.Graph.Facts.Nodes[b.ID]; f != nil {
		tier := string(f.Tier)
		if tier == "" {
			tier = "undetermined"
		}
		fmt.Fprintf(&sb, "Tier: **%s**", tier)
		if f.TierReason != "" {
			fmt.Fprintf(&sb, " (%s)", f.TierReason)
		}
		sb.WriteString("\n\n")
		if len(f.InternetReachable) == 0 {
			sb.WriteString("Not reachable from the internet.")
			if bl := f.InternetBlocked; bl != nil {
				fmt.Fprintf(&sb, " Blocked by `%s` at %s", bl.Code, bl.Node)
				if w := v.where(bl.Node); w != "" {
					fmt.Fprintf(&sb, " (%s)", w)
				}
				fmt.Fprintf(&sb, ": %s", bl.Detail)
			}
			sb.WriteString("\n\n")
		}
		for _, e := range f.InternetReachable {
			via := "directly"
			if e.Via != "direct" && e.Via != "" {
				via = "via " + e.Via
			}
			fmt.Fprintf(&sb, "Internet reaches **%s** %s", portText(e), via)
			if len(e.Sources) > 0 {
				fmt.Fprintf(&sb, " from %s", strings.Join(e.Sources, ", "))
			}
			sb.WriteString(":\n")
			for i, h := range e.Path {
				fmt.Fprintf(&sb, "%d. %s `%s`", i+1, h.Kind, h.Node)
				if w := v.where(h.Node); w != "" {
					fmt.Fprintf(&sb, " (%s)", w)
				}
				if h.Detail != "" {
					fmt.Fprintf(&sb, " — %s", h.Detail)
				}
				sb.WriteString("\n")
			}
			sb.WriteString("\n")
		}
	}
	if sf := v.snap.Graph.Facts.Subnets[b.ID]; sf != nil {
		fmt.Fprintf(&sb, "Subnet class: **%s** (egress %s, route table %s)\n\n", sf.Class, sf.Egress, sf.RouteTable)
	}
	var count int
	for _, f := range v.snap.Findings {
		if f.Resource.ID == b.ID && !f.Suppressed {
			if count == 0 {
				sb.WriteString("Findings:\n")
			}
			count++
			fmt.Fprintf(&sb, "- `%s` (%s): %s\n", f.RuleID, f.Severity, f.Message)
		}
	}
	if count > 0 {
		sb.WriteString("\n")
	}
	if r := s.costOf(v.snap, b.ID); r != nil {
		fmt.Fprintf(&sb, "Monthly cost: **%s**\n", money(v.snap.Costs, r))
		for _, c := range r.Components {
			line := "- " + c.Name
			if c.Detail != "" {
				line += " (" + c.Detail + ")"
			}
			if c.Monthly != nil {
				line += ": " + c.Monthly.StringFixed(2)
			} else {
				line += ": depends on usage"
			}
			sb.WriteString(line + "\n")
		}
	}
	rng := lspRange(v.m.Span(b.Source.Range, v.enc))
	return &protocol.Hover{
		Contents: protocol.MarkupContent{Kind: protocol.Markdown, Value: strings.TrimSpace(sb.String())},
		Range:    &rng,
	}, nil
}

// CodeLens puts above each resource its monthly cost and its number of
// findings.
func (s *Server) CodeLens(ctx context.Context, p *protocol.CodeLensParams) ([]protocol.CodeLens, error) {
	v, ok := s.view(ctx, p.TextDocument.URI)
	if !ok {
		return []protocol.CodeLens{}, nil
	}
	counts := map[string]int{}
	for _, f := range v.snap.Findings {
		if !f.Suppressed {
			counts[f.Resource.ID]++
		}
	}
	out := []protocol.CodeLens{}
	lines := map[uint32]bool{}
	for _, n := range v.nodesIn() {
		b := n.Meta()
		r := s.costOf(v.snap, b.ID)
		c := counts[b.ID]
		if r == nil && c == 0 {
			continue
		}
		var parts []string
		if r != nil {
			parts = append(parts, money(v.snap.Costs, r)+"/month")
		}
		switch c {
		case 0:
			parts = append(parts, "no findings")
		case 1:
			parts = append(parts, "1 finding")
		default:
			parts = append(parts, fmt.Sprintf("%d findings", c))
		}
		sp := v.m.Span(b.Source.Range, v.enc)
		if lines[sp.Start.Line] {
			continue // one lens per block (a VPC's default group shares its block)
		}
		lines[sp.Start.Line] = true
		start := protocol.Position{Line: sp.Start.Line, Character: sp.Start.Character}
		out = append(out, protocol.CodeLens{
			Range:   protocol.Range{Start: start, End: start},
			Command: &protocol.Command{Title: label(n) + ": " + strings.Join(parts, " · ")},
		})
	}
	return out, nil
}

// DocumentSymbol lists the resources of a file.
func (s *Server) DocumentSymbol(ctx context.Context, p *protocol.DocumentSymbolParams) ([]interface{}, error) {
	v, ok := s.view(ctx, p.TextDocument.URI)
	if !ok {
		return []interface{}{}, nil
	}
	out := []interface{}{}
	for _, n := range v.nodesIn() {
		b := n.Meta()
		rng := lspRange(v.m.Span(b.Source.Range, v.enc))
		sel := rng
		sel.End = sel.Start
		name := b.Source.Address
		if name == "" {
			name = b.ID
		}
		detail := string(b.Kind)
		if b.Name != "" {
			detail += " " + b.Name
		}
		out = append(out, protocol.DocumentSymbol{Name: name, Detail: detail, Kind: symbolKind(b.Kind), Range: rng, SelectionRange: sel})
	}
	return out, nil
}

func symbolKind(k graph.Kind) protocol.SymbolKind {
	switch k {
	case graph.KindVPC, graph.KindSubnet:
		return protocol.SymbolKindNamespace
	case graph.KindSecurityGroup, graph.KindNetworkACL, graph.KindPrefixList:
		return protocol.SymbolKindInterface
	case graph.KindInstance, graph.KindAutoScalingGroup, graph.KindECSService, graph.KindLaunchTemplate:
		return protocol.SymbolKindClass
	case graph.KindDBInstance, graph.KindDBCluster, graph.KindDBSubnetGroup, graph.KindVolume:
		return protocol.SymbolKindStruct
	default:
		return protocol.SymbolKindObject
	}
}
