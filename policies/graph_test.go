package policies

import (
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// at returns a range of lines [line, line+1) in file net.json, shifted by
// shift lines.
func at(line, shift int) graph.Range {
	l := line + shift
	return graph.Range{File: "net.json", Start: graph.Pos{Line: l, Column: 3, Byte: l * 100}, End: graph.Pos{Line: l + 1, Column: 4, Byte: l*100 + 50}}
}

func base(kind graph.Kind, id string, line, shift int) graph.Base {
	return graph.Base{ID: id, Kind: kind, Name: id, Source: graph.Source{Form: graph.FormDescribe, Range: at(line, shift)}}
}

// threeTier builds a small, deliberately flawed three-tier network with its
// derived facts set by hand: the app instance sits in a public subnet, its
// group admits SSH from the world, and the database admits its port from a
// CIDR. shift moves every range down by that many lines.
func threeTier(shift int) *graph.Graph {
	g := graph.New()
	add := func(n graph.Node) {
		if d := g.Add(n); d != nil {
			panic(d.Error())
		}
	}
	add(&graph.VPC{Base: withTags(base(graph.KindVPC, "vpc-1", 1, shift), map[string]string{"Environment": "production"}), CIDRBlocks: []string{"10.0.0.0/16"}})
	for i, s := range []struct {
		id, az string
		public bool
	}{{"subnet-pub-a", "us-east-1a", true}, {"subnet-pub-b", "us-east-1b", true}, {"subnet-app-a", "us-east-1a", false}, {"subnet-app-b", "us-east-1b", false}} {
		add(&graph.Subnet{Base: base(graph.KindSubnet, s.id, 10+i*10, shift), VPCID: "vpc-1", AvailabilityZone: s.az, CIDRBlock: "10.0." + string(rune('0'+i)) + ".0/24"})
		class, egress, rt, nat := graph.SubnetPrivate, graph.EgressNAT, "rtb-priv", "nat-a"
		if s.public {
			class, egress, rt, nat = graph.SubnetPublic, graph.EgressIGW, "rtb-pub", ""
		}
		if g.Facts.Subnets == nil {
			g.Facts.Subnets = map[string]*graph.SubnetFacts{}
		}
		g.Facts.Subnets[s.id] = &graph.SubnetFacts{RouteTable: rt, RouteTableExplicit: true, Public: s.public, Class: class, Egress: egress, NATGateway: nat, DefaultRoute: 1}
	}
	add(&graph.RouteTable{Base: base(graph.KindRouteTable, "rtb-pub", 60, shift), VPCID: "vpc-1", Routes: []graph.Route{
		{DestinationCIDR: "10.0.0.0/16", TargetKind: graph.TargetLocal, TargetID: "local", Range: at(61, shift)},
		{DestinationCIDR: "0.0.0.0/0", TargetKind: graph.TargetIGW, TargetID: "igw-1", Range: at(62, shift)},
	}})
	add(&graph.RouteTable{Base: base(graph.KindRouteTable, "rtb-priv", 65, shift), VPCID: "vpc-1", Routes: []graph.Route{
		{DestinationCIDR: "10.0.0.0/16", TargetKind: graph.TargetLocal, TargetID: "local", Range: at(66, shift)},
		{DestinationCIDR: "0.0.0.0/0", TargetKind: graph.TargetNAT, TargetID: "nat-a", Range: at(67, shift)},
	}})
	add(&graph.InternetGateway{Base: base(graph.KindInternetGateway, "igw-1", 70, shift), VPCIDs: []string{"vpc-1"}})
	add(&graph.NATGateway{Base: base(graph.KindNATGateway, "nat-a", 75, shift), VPCID: "vpc-1", SubnetID: "subnet-pub-a", ConnectivityType: "public"})
	add(&graph.SecurityGroup{Base: base(graph.KindSecurityGroup, "sg-lb", 80, shift), VPCID: "vpc-1", GroupName: "lb", Ingress: []graph.SGRule{
		{Protocol: "tcp", FromPort: 443, ToPort: 443, PeerKind: graph.PeerCIDR, Peer: "0.0.0.0/0", Range: at(81, shift)},
	}})
	add(&graph.SecurityGroup{Base: base(graph.KindSecurityGroup, "sg-app", 85, shift), VPCID: "vpc-1", GroupName: "app", Ingress: []graph.SGRule{
		{Protocol: "tcp", FromPort: 8080, ToPort: 8080, PeerKind: graph.PeerSG, Peer: "sg-lb", Range: at(86, shift)},
		{Protocol: "tcp", FromPort: 22, ToPort: 22, PeerKind: graph.PeerCIDR, Peer: "0.0.0.0/0", Range: at(87, shift)},
	}})
	add(&graph.SecurityGroup{Base: base(graph.KindSecurityGroup, "sg-db", 90, shift), VPCID: "vpc-1", GroupName: "db", Ingress: []graph.SGRule{
		{Protocol: "tcp", FromPort: 5432, ToPort: 5432, PeerKind: graph.PeerSG, Peer: "sg-app", Range: at(91, shift)},
		{Protocol: "tcp", FromPort: 5432, ToPort: 5432, PeerKind: graph.PeerCIDR, Peer: "10.0.0.0/16", Range: at(92, shift)},
	}})
	app := &graph.Instance{Base: base(graph.KindInstance, "i-app", 100, shift), State: "running", VPCID: "vpc-1", SubnetID: "subnet-pub-a", PublicIP: "203.0.113.5", SecurityGroups: []string{"sg-app"}}
	app.SetAttr("public_ip", at(103, shift))
	app.SetAttr("subnet_id", at(102, shift))
	add(app)
	app2 := &graph.Instance{Base: base(graph.KindInstance, "i-app2", 110, shift), State: "running", VPCID: "vpc-1", SubnetID: "subnet-app-b", SecurityGroups: []string{"sg-app"}}
	add(app2)
	add(&graph.LoadBalancer{Base: base(graph.KindLoadBalancer, "alb", 120, shift), Type: "application", Scheme: "internet-facing", VPCID: "vpc-1", SubnetIDs: []string{"subnet-pub-a", "subnet-pub-b"}, SecurityGroups: []string{"sg-lb"}})
	add(&graph.Listener{Base: base(graph.KindListener, "alb-443", 125, shift), LoadBalancerARN: "alb", Port: 443, Protocol: "HTTPS", DefaultActions: []graph.ListenerAction{{Type: "forward", TargetGroupARNs: []string{"tg"}}}})
	add(&graph.DBSubnetGroup{Base: base(graph.KindDBSubnetGroup, "dbgrp", 130, shift), VPCID: "vpc-1", SubnetIDs: []string{"subnet-app-a", "subnet-app-b"}})
	db := &graph.DBInstance{Base: base(graph.KindDBInstance, "db-1", 140, shift), Engine: "postgres", MultiAZ: true, Port: 5432, DBSubnetGroup: "dbgrp", VPCID: "vpc-1", SecurityGroups: []string{"sg-db"}, AvailabilityZone: "us-east-1a"}
	add(db)

	g.Facts.Nodes = map[string]*graph.NodeFacts{
		"i-app": {Tier: graph.TierApp, PublicAddress: true, Subnets: []string{"subnet-pub-a"}, SecurityGroups: []string{"sg-app"},
			InternetReachable: []graph.Exposure{{Protocol: "tcp", FromPort: 22, ToPort: 22, Via: "direct", Rule: at(87, shift), Path: []graph.Hop{
				{Node: "internet", Kind: "internet", Detail: "the internet"}, {Node: "igw-1", Kind: graph.KindInternetGateway, Detail: "internet gateway"},
				{Node: "sg-app", Kind: graph.KindSecurityGroup, Detail: "admits tcp 22 from 0.0.0.0/0"}, {Node: "i-app", Kind: graph.KindInstance, Detail: "instance"},
			}}}},
		"i-app2": {Tier: graph.TierApp, Subnets: []string{"subnet-app-b"}, SecurityGroups: []string{"sg-app"}},
		"alb":    {Tier: graph.TierEdge, Subnets: []string{"subnet-pub-a", "subnet-pub-b"}, SecurityGroups: []string{"sg-lb"}, InternetReachable: []graph.Exposure{{Protocol: "tcp", FromPort: 443, ToPort: 443, Via: "direct"}}},
		"db-1":   {Tier: graph.TierData, SecurityGroups: []string{"sg-db"}},
		"nat-a":  {Subnets: []string{"subnet-pub-a"}},
	}
	return g
}

func withTags(b graph.Base, tags map[string]string) graph.Base {
	b.Tags = tags
	return b
}
