package reach

import (
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// subnetFacts derives the routing facts of one subnet.
func (ix *index) subnetFacts(s *graph.Subnet) *graph.SubnetFacts {
	f := &graph.SubnetFacts{Class: graph.SubnetIsolated, Egress: graph.EgressNone, DefaultRoute: -1}
	if a := ix.networkACL(s); a != nil {
		f.NetworkACL = a.ID
	}
	t, explicit := ix.routeTable(s)
	if t == nil {
		return f
	}
	f.RouteTable, f.RouteTableExplicit = t.ID, explicit
	v4 := defaultRoute(t, false)
	v6 := defaultRoute(t, true)
	if v4 >= 0 && ix.routesToIGW(t, &t.Routes[v4]) {
		f.Public = true
	}
	if v6 >= 0 && ix.routesToIGW(t, &t.Routes[v6]) {
		f.Public, f.PublicIPv6 = true, true
	}
	// The IPv4 default route decides Egress and is the deciding route;
	// the IPv6 one decides when there is no IPv4 default route.
	f.DefaultRoute = v4
	if v4 < 0 {
		f.DefaultRoute = v6
	}
	if v4 >= 0 {
		r := &t.Routes[v4]
		switch {
		case r.State == "blackhole":
		case ix.routesToIGW(t, r):
			f.Egress = graph.EgressIGW
		case isNAT(r):
			f.Egress = graph.EgressNAT
			f.NATGateway = r.TargetID
		}
	}
	switch {
	case f.Public:
		f.Class = graph.SubnetPublic
	case leadsOut(t, v4) || leadsOut(t, v6):
		f.Class = graph.SubnetPrivate
	}
	return f
}

// leadsOut reports whether route i exists, is usable and leaves the VPC
// by something other than an internet gateway (NAT, egress-only gateway,
// transit gateway, peering…).
func leadsOut(t *graph.RouteTable, i int) bool {
	if i < 0 || t.Routes[i].State == "blackhole" {
		return false
	}
	k := targetOf(&t.Routes[i])
	return k != graph.TargetLocal && k != graph.TargetIGW
}

// defaultRoute returns the index of the 0.0.0.0/0 (or ::/0) route, or -1.
func defaultRoute(t *graph.RouteTable, v6 bool) int {
	for i, r := range t.Routes {
		if !v6 && r.DestinationCIDR == "0.0.0.0/0" {
			return i
		}
		if v6 && r.DestinationIPv6CIDR == "::/0" {
			return i
		}
	}
	return -1
}

// targetOf returns the kind of a route's target, guessing from the id when
// the input left it unknown.
func targetOf(r *graph.Route) graph.TargetKind {
	if r.TargetKind == "" || r.TargetKind == graph.TargetUnknown {
		return graph.TargetKindOfID(r.TargetID)
	}
	return r.TargetKind
}

// isNAT reports whether a route leads to a NAT gateway or a NAT instance.
func isNAT(r *graph.Route) bool {
	switch targetOf(r) {
	case graph.TargetNAT, graph.TargetInstance, graph.TargetENI:
		return true
	}
	return false
}

// routesToIGW reports whether route r of table t sends traffic to an
// internet gateway attached to the table's VPC (or to one absent from the
// input, which is then assumed attached).
func (ix *index) routesToIGW(t *graph.RouteTable, r *graph.Route) bool {
	if r.State == "blackhole" || targetOf(r) != graph.TargetIGW {
		return false
	}
	igw, ok := ix.g.Node(r.TargetID).(*graph.InternetGateway)
	if !ok {
		return true
	}
	for _, v := range igw.VPCIDs {
		if v == t.VPCID || t.VPCID == "" {
			return true
		}
	}
	return false
}
