package reach

import (
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// blockerKeys summarizes blockers as "CODE node".
func blockerKeys(bs []graph.Blocked) []string {
	out := []string{}
	for _, b := range bs {
		out = append(out, b.Code+" "+b.Node)
	}
	return out
}

// TestExplainListsEveryBlocker follows AWS's documentation of what an
// inbound connection from the internet needs, each on its own: an
// internet gateway attached to the VPC, a public IPv4 address on the
// interface, a route back to the source through the gateway, a network
// ACL allowing the request inbound and the reply (ephemeral ports
// 1024-65535) outbound — stateless, first matching rule by number — and a
// security group rule admitting the port (stateful, allow only). Like
// Reachability Analyzer's explanations of a blocked path, every failing
// setting is listed, not only the first one met.
func TestExplainListsEveryBlocker(t *testing.T) {
	t.Parallel()
	b := newBuilder(t)
	b.vpc("vpc-1", "10.0.0.0/16")
	b.igw("igw-1", "vpc-1")
	b.subnet("subnet-a", "vpc-1", "10.0.1.0/24")
	b.rt("rtb-a", "vpc-1", true, []string{"subnet-a"}, rte("10.0.0.0/16", "local"))
	deny := entry(90, false, false, "tcp", 22, 22, "0.0.0.0/0")
	deny.Range = graph.Range{File: "acl.json", Start: graph.Pos{Line: 7}}
	b.acl("acl-a", "vpc-1", false, []string{"subnet-a"},
		deny,
		entry(100, false, true, "-1", 0, 0, "0.0.0.0/0"),
		entry(32767, false, false, "-1", 0, 0, "0.0.0.0/0"),
		entry(100, true, true, "tcp", 443, 443, "0.0.0.0/0"),
		entry(32767, true, false, "-1", 0, 0, "0.0.0.0/0"),
	)
	b.sg("sg-a", "vpc-1", rule("tcp", 22, 22, "10.0.0.0/8"))
	b.instance("i-1", "subnet-a", "", "sg-a")
	Derive(b.g)

	v, err := Explain(b.g, "i-1", "tcp", 22)
	if err != nil {
		t.Fatal(err)
	}
	if v.Reachable {
		t.Fatal("reachable")
	}
	want := []string{
		"IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS i-1", // no public address
		"NO_ROUTE_TO_DESTINATION rtb-a",              // no route to the IGW
		"SUBNET_ACL_RESTRICTION acl-a",               // inbound rule 90 denies 22
		"SUBNET_ACL_RESTRICTION acl-a",               // outbound allows only 443: no reply
		"ENI_SG_RULES_MISMATCH sg-a",                 // only 10.0.0.0/8 admitted
	}
	got := blockerKeys(v.Blockers)
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("blockers\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	in, out := v.Blockers[2], v.Blockers[3]
	if !strings.Contains(in.Detail, "inbound rule 90") || in.Range.File != "acl.json" || in.Range.Start.Line != 7 || !strings.Contains(in.Fix, "below 90") {
		t.Errorf("inbound ACL blocker %+v: want rule 90, its line and a fix", in)
	}
	if !strings.Contains(out.Detail, "outbound") || !strings.Contains(out.Detail, "reply") || !strings.Contains(out.Fix, "1024-65535") {
		t.Errorf("reply ACL blocker %+v", out)
	}
	for _, bl := range v.Blockers {
		if bl.Fix == "" {
			t.Errorf("%s at %s says nothing of what would change it", bl.Code, bl.Node)
		}
	}
	if v.BlockedBy == nil {
		t.Error("blocked_by is gone")
	}

	// Fix one setting at a time: the others still block.
	b2 := publicVPC(t)
	b2.sg("sg-a", "vpc-1", rule("tcp", 22, 22, "10.0.0.0/8"))
	b2.instance("i-1", "subnet-pub", "203.0.113.5", "sg-a")
	Derive(b2.g)
	v, err = Explain(b2.g, "i-1", "tcp", 22)
	if err != nil {
		t.Fatal(err)
	}
	if got := blockerKeys(v.Blockers); strings.Join(got, ",") != "ENI_SG_RULES_MISMATCH sg-a" {
		t.Errorf("only the security group blocks, got %v", got)
	}
}

// TestExplainBlockersOfALoadBalancer: an internal load balancer has no
// public address and one without a listener on the port accepts nothing
// on it (AWS: a load balancer accepts only on its listeners' ports).
func TestExplainBlockersOfALoadBalancer(t *testing.T) {
	t.Parallel()
	b := publicVPC(t)
	b.sg("sg-lb", "vpc-1", rule("tcp", 443, 443, "0.0.0.0/0"))
	b.add(&graph.LoadBalancer{Base: base("lb-1", graph.KindLoadBalancer), Type: "classic", Scheme: "internal", VPCID: "vpc-1", SubnetIDs: []string{"subnet-pub"}, SecurityGroups: []string{"sg-lb"}, State: "active"})
	b.add(&graph.Listener{Base: base("lb-1/listener/443", graph.KindListener), LoadBalancerARN: "lb-1", Port: 443, Protocol: "HTTPS"})
	Derive(b.g)
	v, err := Explain(b.g, "lb-1", "tcp", 80)
	if err != nil {
		t.Fatal(err)
	}
	want := "ELB_LISTENERS_MISMATCH lb-1,IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS lb-1,ENI_SG_RULES_MISMATCH sg-lb"
	if got := strings.Join(blockerKeys(v.Blockers), ","); got != want {
		t.Errorf("blockers %s, want %s", got, want)
	}
}
