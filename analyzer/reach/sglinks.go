package reach

import (
	"cmp"
	"slices"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// sgLinks lists, for every inbound rule naming a security group (itself
// included), that the group admits the named one: linear in rules.
func sgLinks(g *graph.Graph) []graph.SGLink {
	var out []graph.SGLink
	for _, sg := range g.SecurityGroups() {
		for _, r := range sg.Ingress {
			if r.PeerKind != graph.PeerSG || r.Peer == "" {
				continue
			}
			from, to := r.FromPort, r.ToPort
			proto := normProto(r.Protocol)
			if proto == graph.ProtocolAll {
				from, to = -1, -1
			}
			out = append(out, graph.SGLink{From: r.Peer, To: sg.ID, Protocol: proto, FromPort: from, ToPort: to, Rule: r.Range})
		}
	}
	slices.SortStableFunc(out, func(a, b graph.SGLink) int {
		return cmp.Or(
			strings.Compare(a.From, b.From),
			strings.Compare(a.To, b.To),
			strings.Compare(a.Protocol, b.Protocol),
			cmp.Compare(a.FromPort, b.FromPort),
			cmp.Compare(a.ToPort, b.ToPort),
		)
	})
	w := 0
	for i, l := range out {
		if i > 0 {
			p := out[w-1]
			if p.From == l.From && p.To == l.To && p.Protocol == l.Protocol && p.FromPort == l.FromPort && p.ToPort == l.ToPort {
				continue
			}
		}
		out[w] = l
		w++
	}
	return out[:w]
}
