package reach

import (
	"cmp"
	"slices"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// MergeFacts joins the facts derived from disjoint parts of one graph —
// parts no reference connects, such as VPCs without peering — into the
// facts Derive gives for the whole graph, in the same order. The engine
// derives again only the parts an edit touches and merges them with the
// facts it kept of the others.
func MergeFacts(parts ...*graph.Facts) graph.Facts {
	// As Derive: links never nil, targets nil when there are none.
	out := graph.Facts{Subnets: map[string]*graph.SubnetFacts{}, Nodes: map[string]*graph.NodeFacts{}, SGLinks: []graph.SGLink{}}
	for _, p := range parts {
		for k, v := range p.Subnets {
			out.Subnets[k] = v
		}
		for k, v := range p.Nodes {
			out.Nodes[k] = v
		}
		out.SGLinks = append(out.SGLinks, p.SGLinks...)
		out.LBTargets = append(out.LBTargets, p.LBTargets...)
	}
	// Each part's lists are sorted already; a stable sort on the same keys
	// gives the order of one derivation (links of one group never span
	// two parts).
	slices.SortStableFunc(out.SGLinks, func(a, b graph.SGLink) int {
		return cmp.Or(
			strings.Compare(a.From, b.From),
			strings.Compare(a.To, b.To),
			strings.Compare(a.Protocol, b.Protocol),
			cmp.Compare(a.FromPort, b.FromPort),
			cmp.Compare(a.ToPort, b.ToPort),
		)
	})
	slices.SortStableFunc(out.LBTargets, compareLBTargets)
	return out
}
