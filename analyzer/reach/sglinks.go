package reach

import (
	"sort"

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
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.From != b.From:
			return a.From < b.From
		case a.To != b.To:
			return a.To < b.To
		case a.Protocol != b.Protocol:
			return a.Protocol < b.Protocol
		case a.FromPort != b.FromPort:
			return a.FromPort < b.FromPort
		}
		return a.ToPort < b.ToPort
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
