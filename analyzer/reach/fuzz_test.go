package reach

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// fuzzGraph builds a graph from arbitrary bytes: each step picks a node
// kind and draws its references from small pools of ids, so that dangling
// references, missing tables and odd rules are common.
func fuzzGraph(data []byte) *graph.Graph {
	g := graph.New()
	i := 0
	next := func() int {
		if i >= len(data) {
			return 0
		}
		i++
		return int(data[i-1])
	}
	id := func(prefix string) string { return fmt.Sprintf("%s-%d", prefix, next()%4) }
	cidrs := []string{"0.0.0.0/0", "10.0.0.0/16", "10.0.1.0/24", "203.0.113.0/24", "203.0.113.7/32", "::/0", "2600::/32", "bogus", "", "pl-0"}
	cidr := func() string { return cidrs[next()%len(cidrs)] }
	protos := []string{"-1", "tcp", "udp", "icmp", "6", "17", "50", "icmpv6", ""}
	proto := func() string { return protos[next()%len(protos)] }
	port := func() int { return next()*257%70000 - 1 }
	for step := 0; i < len(data) && step < 64; step++ {
		var n graph.Node
		switch next() % 14 {
		case 0:
			n = &graph.VPC{Base: base(id("vpc"), graph.KindVPC), CIDRBlocks: []string{cidr()}}
		case 1:
			n = &graph.Subnet{Base: base(id("subnet"), graph.KindSubnet), VPCID: id("vpc"), CIDRBlock: cidr(), MapPublicIPOnLaunch: next()%2 == 0}
		case 2:
			r := graph.Route{DestinationCIDR: cidr(), TargetID: []string{"local", "igw-0", "igw-1", "nat-0", "pcx-0", "eigw-0", "i-0", ""}[next()%8]}
			if next()%5 == 0 {
				r.State = "blackhole"
			}
			r6 := graph.Route{DestinationIPv6CIDR: cidr(), TargetID: "igw-0"}
			rpl := graph.Route{DestinationPrefixList: "pl-0", TargetID: "igw-0"}
			t := &graph.RouteTable{Base: base(id("rtb"), graph.KindRouteTable), VPCID: id("vpc"), Main: next()%3 == 0, Routes: []graph.Route{r, r6, rpl}}
			t.Associations = []graph.RouteTableAssociation{{SubnetID: id("subnet")}}
			n = t
		case 3:
			n = &graph.InternetGateway{Base: base(id("igw"), graph.KindInternetGateway), VPCIDs: []string{id("vpc")}}
		case 4:
			var es []graph.ACLEntry
			for k := next() % 4; k >= 0; k-- {
				es = append(es, graph.ACLEntry{RuleNumber: next(), Egress: next()%2 == 0, Allow: next()%3 != 0, Protocol: proto(), CIDR: cidr(), IPv6CIDR: cidr(), FromPort: port(), ToPort: port()})
			}
			n = &graph.NetworkACL{Base: base(id("acl"), graph.KindNetworkACL), VPCID: id("vpc"), IsDefault: next()%2 == 0, SubnetIDs: []string{id("subnet")}, Entries: es}
		case 5:
			var rs []graph.SGRule
			for k := next() % 4; k >= 0; k-- {
				peer := cidr()
				kind := graph.PeerCIDR
				switch next() % 4 {
				case 1:
					peer, kind = id("sg"), graph.PeerSG
				case 2:
					kind = graph.PeerIPv6CIDR
				case 3:
					peer, kind = "pl-0", graph.PeerPrefixList
				}
				rs = append(rs, graph.SGRule{Protocol: proto(), FromPort: port(), ToPort: port(), PeerKind: kind, Peer: peer})
			}
			n = &graph.SecurityGroup{Base: base(id("sg"), graph.KindSecurityGroup), VPCID: id("vpc"), Ingress: rs}
		case 6:
			n = &graph.Instance{Base: base(id("i"), graph.KindInstance, "Name", cidr()), State: []string{"running", "stopped", ""}[next()%3], SubnetID: id("subnet"), PublicIP: []string{"", "54.0.0.1"}[next()%2], IPv6Addresses: []string{"2600::1"}[:next()%2], SecurityGroups: []string{id("sg"), id("sg")}, NetworkInterfaces: []string{id("eni")}, AutoScalingGroup: id("asg")}
		case 7:
			n = &graph.NetworkInterface{Base: base(id("eni"), graph.KindNetworkInterface), SubnetID: id("subnet"), PublicIP: []string{"", "54.0.0.2"}[next()%2], SecurityGroups: []string{id("sg")}, InstanceID: id("i"), PrivateIP: "10.0.1.5", Status: "in-use"}
		case 8:
			n = &graph.LoadBalancer{Base: base(id("lb"), graph.KindLoadBalancer), LBName: id("lb"), Type: []string{"application", "network", "classic", "gateway"}[next()%4], Scheme: []string{"internet-facing", "internal"}[next()%2], SubnetIDs: []string{id("subnet")}, SecurityGroups: []string{id("sg")}[:next()%2], Instances: []string{id("i")}}
		case 9:
			n = &graph.Listener{Base: base(id("l"), graph.KindListener), LoadBalancerARN: id("lb"), Port: port(), Protocol: []string{"HTTP", "UDP", "TCP_UDP"}[next()%3], DefaultActions: []graph.ListenerAction{{Type: "forward", TargetGroupARNs: []string{id("tg")}}}}
		case 10:
			n = &graph.TargetGroup{Base: base(id("tg"), graph.KindTargetGroup), Port: port(), TargetType: []string{"instance", "ip", "lambda"}[next()%3], Targets: []graph.Target{{ID: id("i"), Port: port()}, {ID: "10.0.1.5"}}}
		case 11:
			n = &graph.AutoScalingGroup{Base: base(id("asg"), graph.KindAutoScalingGroup), MaxSize: next() % 3, SubnetIDs: []string{id("subnet")}, LaunchTemplateID: id("lt"), TargetGroupARNs: []string{id("tg")}, LoadBalancerNames: []string{id("lb")}}
		case 12:
			n = &graph.DBInstance{Base: base(id("db"), graph.KindDBInstance), Port: port(), PubliclyAccessible: next()%2 == 0, DBSubnetGroup: id("dbsg"), SecurityGroups: []string{id("sg")}, Status: []string{"available", "stopped"}[next()%2]}
		case 13:
			n = &graph.PrefixList{Base: base("pl-0", graph.KindPrefixList), Entries: []string{cidr(), cidr()}, EntriesKnown: next()%2 == 0}
		}
		g.Add(n)
	}
	g.Add(&graph.DBSubnetGroup{Base: base("dbsg-0", graph.KindDBSubnetGroup), SubnetIDs: []string{"subnet-0", "subnet-1"}})
	g.Add(&graph.LaunchTemplate{Base: base("lt-0", graph.KindLaunchTemplate), SecurityGroups: []string{"sg-0"}})
	return g
}

// FuzzDerive checks that Derive and Explain never panic on arbitrary,
// incomplete graphs, that every evaluated node is either reachable or
// blocked, and that the result does not vary between runs.
func FuzzDerive(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 1, 1, 1, 3, 0, 0, 2, 0, 1, 1, 1, 1, 5, 0, 0, 0, 0, 1, 1, 0, 6, 0, 0, 0, 0, 1, 0, 0, 0})
	f.Add([]byte("a fairly long seed to get many different steps going 0123456789"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g := fuzzGraph(data)
		Derive(g)
		first, err := json.Marshal(g.Facts)
		if err != nil {
			t.Fatal(err)
		}
		for id, nf := range g.Facts.Nodes {
			if len(nf.InternetReachable) == 0 && nf.InternetBlocked == nil {
				t.Errorf("%s is neither reachable nor blocked", id)
			}
			for _, proto := range []string{"tcp", "udp", "icmp"} {
				if _, err := Explain(g, id, proto, 443); err != nil {
					t.Errorf("explain %s: %v", id, err)
				}
			}
		}
		Derive(g)
		again, _ := json.Marshal(g.Facts)
		if !bytes.Equal(first, again) {
			t.Error("derivation differs between runs")
		}
	})
}
