package reach

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// estate generates a synthetic estate of n instances: a VPC per 2,000
// instances, a subnet per 25 (half public, half private behind a NAT), a
// security group per 3 instances whose rules reference each other, an ENI
// per instance, a load balancer, target group and Auto Scaling group per
// 100 instances and a database per 50. It is deterministic.
func estate(tb testing.TB, n int) *graph.Graph {
	tb.Helper()
	r := rand.New(rand.NewPCG(1, uint64(n)))
	b := newBuilder(tb)
	nVPC := n/2000 + 1
	nSub := max(n/25, 4)
	nSG := max(n/3, 4)
	for v := 0; v < nVPC; v++ {
		vpc := fmt.Sprintf("vpc-%d", v)
		b.vpc(vpc, fmt.Sprintf("10.%d.0.0/16", v))
		b.igw(fmt.Sprintf("igw-%d", v), vpc)
		b.rt(fmt.Sprintf("rtb-main-%d", v), vpc, true, nil, rte(fmt.Sprintf("10.%d.0.0/16", v), "local"))
		b.acl(fmt.Sprintf("acl-default-%d", v), vpc, true, nil, openACL()...)
	}
	subnetVPC := func(s int) int { return s % nVPC }
	for s := 0; s < nSub; s++ {
		v := subnetVPC(s)
		vpc := fmt.Sprintf("vpc-%d", v)
		id := fmt.Sprintf("subnet-%d", s)
		b.subnet(id, vpc, fmt.Sprintf("10.%d.%d.0/24", v, s/nVPC%250))
		local := rte(fmt.Sprintf("10.%d.0.0/16", v), "local")
		switch s % 4 {
		case 0, 1: // public, one in ten with a more specific route to a peering
			routes := []graph.Route{local, rte("0.0.0.0/0", fmt.Sprintf("igw-%d", v)), rte("::/0", fmt.Sprintf("igw-%d", v))}
			if s%10 == 0 {
				routes = append(routes, rte("198.51.100.0/24", "pcx-1"))
			}
			b.rt(fmt.Sprintf("rtb-%d", s), vpc, false, []string{id}, routes...)
		case 2:
			b.rt(fmt.Sprintf("rtb-%d", s), vpc, false, []string{id}, local, rte("0.0.0.0/0", fmt.Sprintf("nat-%d", v)))
		}
		if s%5 == 0 {
			b.acl(fmt.Sprintf("acl-%d", s), vpc, false, []string{id},
				entry(90, false, false, "6", 22, 22, "0.0.0.0/0"),
				entry(100, false, true, "-1", 0, 0, "0.0.0.0/0"),
				entry(100, true, true, "6", 1024, 65535, "0.0.0.0/0"),
				entry(110, true, true, "6", 443, 443, "0.0.0.0/0"),
			)
		}
	}
	b.add(&graph.PrefixList{Base: base("pl-office", graph.KindPrefixList), Entries: []string{"198.51.100.0/24", "203.0.113.0/24"}, EntriesKnown: true})
	for g := 0; g < nSG; g++ {
		rules := []graph.SGRule{
			rule("tcp", 8080, 8080, fmt.Sprintf("sg-%d", r.IntN(nSG))),
			rule("tcp", 5432, 5432, fmt.Sprintf("sg-%d", r.IntN(nSG))),
			rule("-1", -1, -1, fmt.Sprintf("sg-%d", g)),
			rule("tcp", 22, 22, fmt.Sprintf("203.0.113.%d/32", g%250)),
			rule("tcp", 0, 65535, "10.0.0.0/8"),
		}
		switch g % 6 {
		case 0:
			rules = append(rules, rule("tcp", 443, 443, "0.0.0.0/0"), rule("tcp", 80, 80, "0.0.0.0/0"))
		case 1:
			rules = append(rules, rule("tcp", 0, 65535, "0.0.0.0/0"))
		case 2:
			rules = append(rules, rule("tcp", 443, 443, "pl-office"), rule("tcp", 443, 443, "::/0"))
		case 3:
			rules = append(rules, rule("-1", -1, -1, "0.0.0.0/0"))
		}
		b.sg(fmt.Sprintf("sg-%d", g), fmt.Sprintf("vpc-%d", g%nVPC), rules...)
	}
	for i := 0; i < n; i++ {
		s := i % nSub
		v := subnetVPC(s)
		id := fmt.Sprintf("i-%d", i)
		eni := fmt.Sprintf("eni-%d", i)
		sgs := []string{fmt.Sprintf("sg-%d", (i/3)%nSG), fmt.Sprintf("sg-%d", r.IntN(nSG))}
		pub := ""
		if s%4 < 2 && i%2 == 0 {
			pub = fmt.Sprintf("54.%d.%d.%d", i>>16&255, i>>8&255, i&255)
		}
		state := "running"
		if i%50 == 0 {
			state = "stopped"
		}
		priv := fmt.Sprintf("10.%d.%d.%d", v, i>>8&255, i&255)
		b.add(&graph.NetworkInterface{Base: base(eni, graph.KindNetworkInterface), VPCID: fmt.Sprintf("vpc-%d", v), SubnetID: fmt.Sprintf("subnet-%d", s), PublicIP: pub, PrivateIP: priv, SecurityGroups: sgs, InstanceID: id, Status: "in-use"})
		b.add(&graph.Instance{Base: base(id, graph.KindInstance, "Name", fmt.Sprintf("app-%d", i)), State: state, InstanceType: "m5.large", VPCID: fmt.Sprintf("vpc-%d", v), SubnetID: fmt.Sprintf("subnet-%d", s), PublicIP: pub, PrivateIP: priv, SecurityGroups: sgs, NetworkInterfaces: []string{eni}})
	}
	for v := 0; v < nVPC; v++ {
		b.add(&graph.NATGateway{Base: base(fmt.Sprintf("nat-%d", v), graph.KindNATGateway), VPCID: fmt.Sprintf("vpc-%d", v), SubnetID: fmt.Sprintf("subnet-%d", v), ConnectivityType: "public"})
	}
	for l := 0; l < max(n/100, 1); l++ {
		arn := fmt.Sprintf("arn:lb/%d", l)
		tg := fmt.Sprintf("arn:tg/%d", l)
		s := (l * 4) % nSub
		b.add(&graph.LoadBalancer{Base: base(arn, graph.KindLoadBalancer), Type: "application", Scheme: "internet-facing", SubnetIDs: []string{fmt.Sprintf("subnet-%d", s), fmt.Sprintf("subnet-%d", (s+1)%nSub)}, SecurityGroups: []string{fmt.Sprintf("sg-%d", (l*6)%nSG)}, State: "active"})
		b.add(&graph.Listener{Base: base(arn+"/l443", graph.KindListener), LoadBalancerARN: arn, Port: 443, Protocol: "HTTPS", DefaultActions: []graph.ListenerAction{{Type: "forward", TargetGroupARNs: []string{tg}}}})
		b.add(&graph.Listener{Base: base(arn+"/l80", graph.KindListener), LoadBalancerARN: arn, Port: 80, Protocol: "HTTP", DefaultActions: []graph.ListenerAction{{Type: "redirect"}}})
		var targets []graph.Target
		for k := 0; k < 10; k++ {
			targets = append(targets, graph.Target{ID: fmt.Sprintf("i-%d", (l*10+k)%n), Port: 8080, Health: "healthy"})
		}
		b.add(&graph.TargetGroup{Base: base(tg, graph.KindTargetGroup), Port: 8080, TargetType: "instance", Targets: targets})
		b.add(&graph.LaunchTemplate{Base: base(fmt.Sprintf("lt-%d", l), graph.KindLaunchTemplate), SecurityGroups: []string{fmt.Sprintf("sg-%d", r.IntN(nSG))}})
		b.add(&graph.AutoScalingGroup{Base: base(fmt.Sprintf("asg-%d", l), graph.KindAutoScalingGroup), MaxSize: 4, DesiredCapacity: 2, SubnetIDs: []string{fmt.Sprintf("subnet-%d", (s+2)%nSub), fmt.Sprintf("subnet-%d", (s+3)%nSub)}, LaunchTemplateID: fmt.Sprintf("lt-%d", l), TargetGroupARNs: []string{tg}})
	}
	for d := 0; d < max(n/50, 1); d++ {
		id := fmt.Sprintf("dbsg-%d", d)
		b.add(&graph.DBSubnetGroup{Base: base(id, graph.KindDBSubnetGroup), SubnetIDs: []string{fmt.Sprintf("subnet-%d", (d*4+2)%nSub), fmt.Sprintf("subnet-%d", (d*4+6)%nSub)}})
		b.add(&graph.DBInstance{Base: base(fmt.Sprintf("db-%d", d), graph.KindDBInstance), Engine: "postgres", Port: 5432, PubliclyAccessible: d%10 == 0, DBSubnetGroup: id, SecurityGroups: []string{fmt.Sprintf("sg-%d", r.IntN(nSG))}, Status: "available"})
	}
	return b.g
}

func TestDeriveIsDeterministic(t *testing.T) {
	t.Parallel()
	var outs [][]byte
	for range 2 {
		g := estate(t, 400)
		Derive(g)
		out, err := json.Marshal(g.Facts)
		if err != nil {
			t.Fatal(err)
		}
		outs = append(outs, out)
	}
	if !bytes.Equal(outs[0], outs[1]) {
		t.Error("two derivations of the same estate differ")
	}
	g := estate(t, 400)
	Derive(g)
	exposed, blocked := 0, 0
	for _, nf := range g.Facts.Nodes {
		if len(nf.InternetReachable) > 0 {
			exposed++
		}
		if nf.InternetBlocked != nil {
			blocked++
		}
	}
	if exposed == 0 || blocked == 0 || len(g.Facts.SGLinks) == 0 || len(g.Facts.LBTargets) == 0 {
		t.Errorf("estate too uniform to test anything: %d exposed, %d blocked, %d links, %d targets", exposed, blocked, len(g.Facts.SGLinks), len(g.Facts.LBTargets))
	}
}

// TestIncompleteGraphs drops every k-th node of an estate and checks that
// Derive and Explain still answer for every node without panicking.
func TestIncompleteGraphs(t *testing.T) {
	t.Parallel()
	full := estate(t, 200)
	for _, k := range []int{2, 3, 7} {
		g := graph.New()
		for i, n := range full.Nodes() {
			if i%k != 0 {
				g.Add(n)
			}
		}
		Derive(g)
		for _, n := range g.Nodes() {
			_, _ = Explain(g, n.Meta().ID, "tcp", 443)
		}
		for id, nf := range g.Facts.Nodes {
			if len(nf.InternetReachable) == 0 && nf.InternetBlocked == nil {
				t.Errorf("k=%d: %s neither reachable nor blocked", k, id)
			}
		}
	}
}

func BenchmarkDerive(b *testing.B) {
	for _, n := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			g := estate(b, n)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				Derive(g)
			}
		})
	}
}
