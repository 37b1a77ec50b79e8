package reach

import (
	"fmt"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// builder assembles small graphs for tests.
type builder struct {
	t testing.TB
	g *graph.Graph
}

func newBuilder(t testing.TB) *builder {
	t.Helper()
	return &builder{t: t, g: graph.New()}
}

func (b *builder) add(n graph.Node) {
	b.t.Helper()
	if d := b.g.Add(n); d != nil {
		b.t.Fatalf("add %s: %v", n.Meta().ID, d)
	}
}

func base(id string, k graph.Kind, tags ...string) graph.Base {
	bs := graph.Base{ID: id, Kind: k, Source: graph.Source{Form: graph.FormDescribe}}
	for i := 0; i+1 < len(tags); i += 2 {
		if bs.Tags == nil {
			bs.Tags = map[string]string{}
		}
		bs.Tags[tags[i]] = tags[i+1]
		if tags[i] == "Name" {
			bs.Name = tags[i+1]
		}
	}
	return bs
}

func (b *builder) vpc(id, cidr string) {
	b.add(&graph.VPC{Base: base(id, graph.KindVPC), CIDRBlocks: []string{cidr}})
}

func (b *builder) igw(id string, vpcs ...string) {
	b.add(&graph.InternetGateway{Base: base(id, graph.KindInternetGateway), VPCIDs: vpcs})
}

func (b *builder) subnet(id, vpc, cidr string) *graph.Subnet {
	s := &graph.Subnet{Base: base(id, graph.KindSubnet), VPCID: vpc, CIDRBlock: cidr, AvailabilityZone: "us-east-1a"}
	b.add(s)
	return s
}

// rt adds a route table associated with subnets (main when main is set).
func (b *builder) rt(id, vpc string, main bool, subnets []string, routes ...graph.Route) *graph.RouteTable {
	t := &graph.RouteTable{Base: base(id, graph.KindRouteTable), VPCID: vpc, Main: main, Routes: routes}
	for _, s := range subnets {
		t.Associations = append(t.Associations, graph.RouteTableAssociation{SubnetID: s})
	}
	if main {
		t.Associations = append(t.Associations, graph.RouteTableAssociation{Main: true})
	}
	b.add(t)
	return t
}

// rte builds a route to target; a destination with ':' is IPv6, one
// starting with "pl-" a prefix list.
func rte(dst, target string) graph.Route {
	r := graph.Route{TargetID: target, TargetKind: graph.TargetKindOfID(target), State: "active"}
	switch {
	case strings.HasPrefix(dst, "pl-"):
		r.DestinationPrefixList = dst
	case strings.Contains(dst, ":"):
		r.DestinationIPv6CIDR = dst
	default:
		r.DestinationCIDR = dst
	}
	return r
}

func blackhole(r graph.Route) graph.Route { r.State = "blackhole"; return r }

func (b *builder) acl(id, vpc string, isDefault bool, subnets []string, entries ...graph.ACLEntry) {
	b.add(&graph.NetworkACL{Base: base(id, graph.KindNetworkACL), VPCID: vpc, IsDefault: isDefault, SubnetIDs: subnets, Entries: entries})
}

// entry builds an ACL entry; cidr with ':' is IPv6.
func entry(n int, egress, allow bool, proto string, from, to int, cidr string) graph.ACLEntry {
	e := graph.ACLEntry{RuleNumber: n, Egress: egress, Allow: allow, Protocol: proto, FromPort: from, ToPort: to}
	if strings.Contains(cidr, ":") {
		e.IPv6CIDR = cidr
	} else {
		e.CIDR = cidr
	}
	return e
}

// openACL is what the default network ACL of a new VPC holds.
func openACL() []graph.ACLEntry {
	return []graph.ACLEntry{
		entry(100, false, true, "-1", 0, 0, "0.0.0.0/0"),
		entry(101, false, true, "-1", 0, 0, "::/0"),
		entry(32767, false, false, "-1", 0, 0, "0.0.0.0/0"),
		entry(100, true, true, "-1", 0, 0, "0.0.0.0/0"),
		entry(101, true, true, "-1", 0, 0, "::/0"),
		entry(32767, true, false, "-1", 0, 0, "0.0.0.0/0"),
	}
}

// rule builds an SG rule; the peer kind follows from the peer.
func rule(proto string, from, to int, peer string) graph.SGRule {
	r := graph.SGRule{Protocol: proto, FromPort: from, ToPort: to, Peer: peer}
	switch {
	case strings.HasPrefix(peer, "sg-"):
		r.PeerKind = graph.PeerSG
	case strings.HasPrefix(peer, "pl-"):
		r.PeerKind = graph.PeerPrefixList
	case strings.Contains(peer, ":"):
		r.PeerKind = graph.PeerIPv6CIDR
	default:
		r.PeerKind = graph.PeerCIDR
	}
	return r
}

func (b *builder) sg(id, vpc string, ingress ...graph.SGRule) *graph.SecurityGroup {
	for i := range ingress {
		ingress[i].Range = graph.Range{File: "sg.json", Start: graph.Pos{Line: i + 1, Column: 1}}
	}
	s := &graph.SecurityGroup{Base: base(id, graph.KindSecurityGroup), VPCID: vpc, GroupName: id, Ingress: ingress}
	b.add(s)
	return s
}

func (b *builder) instance(id, subnet, publicIP string, sgs ...string) *graph.Instance {
	i := &graph.Instance{Base: base(id, graph.KindInstance), State: "running", InstanceType: "t3.micro", SubnetID: subnet, PublicIP: publicIP, SecurityGroups: sgs, PrivateIP: "10.0.1.10"}
	if s, ok := graph.Get[*graph.Subnet](b.g, subnet); ok {
		i.VPCID = s.VPCID
	}
	b.add(i)
	return i
}

// publicVPC builds vpc-1 (10.0.0.0/16) with igw-1 and a public subnet
// subnet-pub (10.0.1.0/24) whose explicit table rtb-pub routes 0.0.0.0/0 and
// ::/0 to the gateway, under the VPC's open default network ACL.
func publicVPC(t testing.TB) *builder {
	b := newBuilder(t)
	b.vpc("vpc-1", "10.0.0.0/16")
	b.igw("igw-1", "vpc-1")
	b.subnet("subnet-pub", "vpc-1", "10.0.1.0/24")
	b.rt("rtb-main", "vpc-1", true, nil, rte("10.0.0.0/16", "local"))
	b.rt("rtb-pub", "vpc-1", false, []string{"subnet-pub"}, rte("10.0.0.0/16", "local"), rte("0.0.0.0/0", "igw-1"), rte("::/0", "igw-1"))
	b.acl("acl-default", "vpc-1", true, []string{"subnet-pub"}, openACL()...)
	return b
}

// exposureKeys summarizes exposures as "tcp 22", "tcp 0-65535 v6", "icmp",
// with " via <lb>" for load balancer paths.
func exposureKeys(es []graph.Exposure) []string {
	out := []string{}
	for _, e := range es {
		s := e.Protocol
		switch {
		case e.FromPort == -1:
		case e.FromPort == e.ToPort:
			s += fmt.Sprintf(" %d", e.FromPort)
		default:
			s += fmt.Sprintf(" %d-%d", e.FromPort, e.ToPort)
		}
		if e.IPv6 {
			s += " v6"
		}
		if e.Via != ViaDirect {
			s += " via " + e.Via
		}
		out = append(out, s)
	}
	return out
}

// pathKinds lists the node kinds of a path.
func pathKinds(p []graph.Hop) []string {
	out := make([]string, len(p))
	for i, h := range p {
		out[i] = string(h.Kind)
	}
	return out
}
