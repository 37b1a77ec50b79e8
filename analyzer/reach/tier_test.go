package reach

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

func TestSGLinks(t *testing.T) {
	t.Parallel()
	b := newBuilder(t)
	b.sg("sg-b", "vpc-1", rule("tcp", 22, 22, "sg-a"), rule("-1", -1, -1, "sg-b"), rule("tcp", 22, 22, "sg-a"), rule("tcp", 443, 443, "0.0.0.0/0"))
	b.sg("sg-a", "vpc-1", rule("tcp", 80, 90, "sg-c"), rule("udp", 53, 53, "sg-gone"))
	Derive(b.g)
	want := []graph.SGLink{
		{From: "sg-a", To: "sg-b", Protocol: "tcp", FromPort: 22, ToPort: 22},
		{From: "sg-b", To: "sg-b", Protocol: "-1", FromPort: -1, ToPort: -1},
		{From: "sg-c", To: "sg-a", Protocol: "tcp", FromPort: 80, ToPort: 90},
		{From: "sg-gone", To: "sg-a", Protocol: "udp", FromPort: 53, ToPort: 53},
	}
	if diff := cmp.Diff(want, b.g.Facts.SGLinks, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Rule" }, cmp.Ignore())); diff != "" {
		t.Errorf("SG links (-want +got):\n%s", diff)
	}
	if b.g.Facts.SGLinks[0].Rule.Start.Line != 1 {
		t.Errorf("link points at %v, want the first rule", b.g.Facts.SGLinks[0].Rule)
	}
}

func TestTiers(t *testing.T) {
	t.Parallel()
	b := production(t)
	// Tags second, override first.
	tagged := func(id string, tags ...string) {
		i := &graph.Instance{Base: base(id, graph.KindInstance, tags...), State: "running", SubnetID: "subnet-app-a", SecurityGroups: []string{"sg-nlbapp"}}
		b.add(i)
	}
	tagged("i-tag-tier", "Tier", "Data")
	tagged("i-tag-role", "Role", "web")
	tagged("i-name", "Name", "prod-jump-01")
	tagged("i-nothing", "Name", "misc")
	tagged("i-override", "Name", "prod-db-1", "vpcgate:tier", "bastion")
	b.instance("i-dbclient", "subnet-app-b", "", "sg-app")
	// Exposure is not evidence: a public host whose only rule opens SSH to
	// the world is an exposed host, not a bastion; nor is a host whose
	// group another group admits on every port.
	b.sg("sg-open", "vpc-1", rule("tcp", 22, 22, "0.0.0.0/0"))
	b.instance("i-exposed", "subnet-pub-b", "54.0.0.9", "sg-open")
	b.sg("sg-mgmt", "vpc-1")
	b.sg("sg-trusts-mgmt", "vpc-1", rule("-1", -1, -1, "sg-mgmt"), rule("tcp", 0, 65535, "sg-mgmt"))
	b.instance("i-mgmt", "subnet-pub-b", "54.0.0.10", "sg-mgmt")
	// A private jump host is a bastion when other groups admit RDP from it.
	b.sg("sg-jump", "vpc-1")
	b.sg("sg-win", "vpc-1", rule("tcp", 3389, 3389, "sg-jump"))
	b.instance("i-jump-private", "subnet-app-b", "", "sg-jump")
	// The override wins over structure too.
	lb, _ := graph.Get[*graph.LoadBalancer](b.g, albARN)
	lb.Tags = map[string]string{TierTag: "app"}
	Derive(b.g)
	want := map[string][2]string{
		albARN:           {"app", "tag vpcgate:tier=app"},
		nlbARN:           {"edge", "internet-facing load balancer"},
		intARN:           {"", ""},
		"db-1":           {"data", "database"},
		"i-app-1":        {"app", "target of target group " + tgApp + " (load balancer " + albARN + ")"},
		"i-bastion":      {"bastion", "group sg-app admits SSH/RDP from its security group sg-bastion"},
		"i-exposed":      {"", ""},
		"i-mgmt":         {"", ""},
		"i-jump-private": {"bastion", "group sg-win admits SSH/RDP from its security group sg-jump"},
		"i-dbclient":     {"app", "security group sg-app is admitted by database db-1's group sg-db on port 3306"},
		"i-tag-tier":     {"data", "tag Tier=Data"},
		"i-tag-role":     {"app", "tag Role=web"},
		"i-name":         {"bastion", `name contains "jump"`},
		"i-nothing":      {"", ""},
		"i-override":     {"bastion", "tag vpcgate:tier=bastion"},
		"asg-app":        {"app", "target of target group " + tgApp + " (load balancer " + albARN + ")"},
		"nat-1":          {"", ""},
		"eni-not-here":   {},
	}
	delete(want, "eni-not-here")
	got := map[string][2]string{}
	for id := range want {
		nf := b.g.Facts.Nodes[id]
		if nf == nil {
			t.Fatalf("no facts for %s", id)
		}
		got[id] = [2]string{string(nf.Tier), nf.TierReason}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tiers (-want +got):\n%s", diff)
	}
}

func TestASGDefaultsToApp(t *testing.T) {
	t.Parallel()
	b := publicVPC(t)
	b.sg("sg-w", "vpc-1")
	b.add(&graph.AutoScalingGroup{Base: base("asg-plain", graph.KindAutoScalingGroup), MaxSize: 1, SubnetIDs: []string{"subnet-pub"}})
	b.add(&graph.AutoScalingGroup{Base: base("asg-jump", graph.KindAutoScalingGroup, "Role", "bastion"), MaxSize: 1, SubnetIDs: []string{"subnet-pub"}})
	Derive(b.g)
	for id, want := range map[string]graph.Tier{"asg-plain": graph.TierApp, "asg-jump": graph.TierBastion} {
		if got := b.g.Facts.Nodes[id].Tier; got != want {
			t.Errorf("%s tier %q, want %q", id, got, want)
		}
	}
}

func TestASGMembersInheritTier(t *testing.T) {
	t.Parallel()
	b := publicVPC(t)
	b.sg("sg-w", "vpc-1")
	b.add(&graph.AutoScalingGroup{Base: base("asg-w", graph.KindAutoScalingGroup, "Role", "worker"), MaxSize: 1, SubnetIDs: []string{"subnet-pub"}})
	i := b.instance("i-w", "subnet-pub", "", "sg-w")
	i.AutoScalingGroup = "asg-w"
	b.g.Facts = graph.Facts{}
	Derive(b.g)
	// A member is what its group is, however the group's tier was decided.
	nf := b.g.Facts.Nodes["i-w"]
	if nf.Tier != graph.TierApp || nf.TierReason != "member of Auto Scaling group asg-w (tag Role=worker)" {
		t.Errorf("member tier %q (%s), want app from its group", nf.Tier, nf.TierReason)
	}
}
