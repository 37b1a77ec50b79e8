package reach

import (
	"cmp"
	"context"
	"slices"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// sgLinks lists, for every inbound rule naming a security group (itself
// included), that the group admits the named one. It is linear in rules:
// links are bucketed by the admitted group, and the groups are visited in
// id order, so only the buckets' keys and each small bucket are sorted.
// It stops once ctx is done (checked every 256 groups), returning its
// error.
func sgLinks(ctx context.Context, g *graph.Graph) ([]graph.SGLink, error) {
	byFrom := map[string][]graph.SGLink{}
	n := 0
	for i, sg := range g.SecurityGroups() {
		if i&255 == 255 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		for _, r := range sg.Ingress {
			if r.PeerKind != graph.PeerSG || r.Peer == "" {
				continue
			}
			from, to := r.FromPort, r.ToPort
			proto := normProto(r.Protocol)
			if proto == graph.ProtocolAll {
				from, to = -1, -1
			}
			byFrom[r.Peer] = append(byFrom[r.Peer], graph.SGLink{From: r.Peer, To: sg.ID, Protocol: proto, FromPort: from, ToPort: to, Rule: r.Range})
			n++
		}
	}
	keys := make([]string, 0, len(byFrom))
	for k := range byFrom {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	out := make([]graph.SGLink, 0, n)
	for _, k := range keys {
		b := byFrom[k]
		// Already in To order; order each group's own rules.
		slices.SortStableFunc(b, func(a, b graph.SGLink) int {
			return cmp.Or(
				strings.Compare(a.To, b.To),
				strings.Compare(a.Protocol, b.Protocol),
				cmp.Compare(a.FromPort, b.FromPort),
				cmp.Compare(a.ToPort, b.ToPort),
			)
		})
		for _, l := range b {
			if m := len(out); m > 0 {
				p := out[m-1]
				if p.From == l.From && p.To == l.To && p.Protocol == l.Protocol && p.FromPort == l.FromPort && p.ToPort == l.ToPort {
					continue
				}
			}
			out = append(out, l)
		}
	}
	return out, nil
}
