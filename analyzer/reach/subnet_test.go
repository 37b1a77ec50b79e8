package reach

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

func TestSubnetFacts(t *testing.T) {
	t.Parallel()
	b := newBuilder(t)
	b.vpc("vpc-1", "10.0.0.0/16")
	b.igw("igw-1", "vpc-1")
	b.igw("igw-other", "vpc-2")
	for _, s := range []string{"subnet-main", "subnet-pub", "subnet-nat", "subnet-natinst", "subnet-iso", "subnet-bh", "subnet-v6", "subnet-eigw", "subnet-tgw", "subnet-wrongigw", "subnet-acl"} {
		b.subnet(s, "vpc-1", "10.0.0.0/24")
	}
	local := rte("10.0.0.0/16", "local")
	b.rt("rtb-main", "vpc-1", true, nil, local)
	b.rt("rtb-pub", "vpc-1", false, []string{"subnet-pub"}, local, rte("0.0.0.0/0", "igw-1"))
	b.rt("rtb-nat", "vpc-1", false, []string{"subnet-nat"}, local, rte("0.0.0.0/0", "nat-1"))
	b.rt("rtb-natinst", "vpc-1", false, []string{"subnet-natinst"}, local, rte("0.0.0.0/0", "i-nat"))
	b.rt("rtb-iso", "vpc-1", false, []string{"subnet-iso"}, local)
	b.rt("rtb-bh", "vpc-1", false, []string{"subnet-bh"}, local, blackhole(rte("0.0.0.0/0", "nat-gone")))
	b.rt("rtb-v6", "vpc-1", false, []string{"subnet-v6"}, local, rte("::/0", "igw-1"))
	b.rt("rtb-eigw", "vpc-1", false, []string{"subnet-eigw"}, local, rte("::/0", "eigw-1"))
	b.rt("rtb-tgw", "vpc-1", false, []string{"subnet-tgw"}, local, rte("0.0.0.0/0", "tgw-1"))
	b.rt("rtb-wrongigw", "vpc-1", false, []string{"subnet-wrongigw"}, local, rte("0.0.0.0/0", "igw-other"))
	b.rt("rtb-acl", "vpc-1", false, []string{"subnet-acl"}, local)
	b.acl("acl-default", "vpc-1", true, []string{"subnet-main", "subnet-pub", "subnet-acl"}, openACL()...)
	b.acl("acl-custom", "vpc-1", false, []string{"subnet-acl"}, openACL()...)
	// A subnet whose VPC is missing: no table, no ACL, no panic.
	b.subnet("subnet-orphan", "vpc-gone", "10.9.0.0/24")
	Derive(b.g)

	sf := func(rt string, explicit bool, class graph.SubnetClass, egress, nat string, def int, public, v6 bool, acl string) *graph.SubnetFacts {
		return &graph.SubnetFacts{RouteTable: rt, RouteTableExplicit: explicit, Class: class, Egress: egress, NATGateway: nat, DefaultRoute: def, Public: public, PublicIPv6: v6, NetworkACL: acl}
	}
	want := map[string]*graph.SubnetFacts{
		"subnet-main":     sf("rtb-main", false, graph.SubnetIsolated, graph.EgressNone, "", -1, false, false, "acl-default"),
		"subnet-pub":      sf("rtb-pub", true, graph.SubnetPublic, graph.EgressIGW, "", 1, true, false, "acl-default"),
		"subnet-nat":      sf("rtb-nat", true, graph.SubnetPrivate, graph.EgressNAT, "nat-1", 1, false, false, "acl-default"),
		"subnet-natinst":  sf("rtb-natinst", true, graph.SubnetPrivate, graph.EgressNAT, "i-nat", 1, false, false, "acl-default"),
		"subnet-iso":      sf("rtb-iso", true, graph.SubnetIsolated, graph.EgressNone, "", -1, false, false, "acl-default"),
		"subnet-bh":       sf("rtb-bh", true, graph.SubnetIsolated, graph.EgressNone, "", 1, false, false, "acl-default"),
		"subnet-v6":       sf("rtb-v6", true, graph.SubnetPublic, graph.EgressNone, "", 1, true, true, "acl-default"),
		"subnet-eigw":     sf("rtb-eigw", true, graph.SubnetPrivate, graph.EgressNone, "", 1, false, false, "acl-default"),
		"subnet-tgw":      sf("rtb-tgw", true, graph.SubnetPrivate, graph.EgressNone, "", 1, false, false, "acl-default"),
		"subnet-wrongigw": sf("rtb-wrongigw", true, graph.SubnetIsolated, graph.EgressNone, "", 1, false, false, "acl-default"),
		"subnet-acl":      sf("rtb-acl", true, graph.SubnetIsolated, graph.EgressNone, "", -1, false, false, "acl-custom"),
		"subnet-orphan":   sf("", false, graph.SubnetIsolated, graph.EgressNone, "", -1, false, false, ""),
	}
	if diff := cmp.Diff(want, b.g.Facts.Subnets); diff != "" {
		t.Errorf("subnet facts (-want +got):\n%s", diff)
	}
}
