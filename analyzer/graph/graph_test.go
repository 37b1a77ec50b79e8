package graph

import (
	"testing"
)

func TestAddMergeAndConflict(t *testing.T) {
	t.Parallel()
	g := New()
	a := &VPC{Base: Base{ID: "vpc-1", Kind: KindVPC, Name: "prod", Source: Source{Range: Range{File: "a.json", Start: Pos{Line: 3, Column: 5}}}}, CIDRBlocks: []string{"10.0.0.0/16"}}
	same := &VPC{Base: Base{ID: "vpc-1", Kind: KindVPC, Name: "prod", Source: Source{Range: Range{File: "b.json", Start: Pos{Line: 9, Column: 1}}}}, CIDRBlocks: []string{"10.0.0.0/16"}}
	diff := &VPC{Base: Base{ID: "vpc-1", Kind: KindVPC, Name: "prod", Source: Source{Range: Range{File: "c.json", Start: Pos{Line: 2, Column: 1}}}}, CIDRBlocks: []string{"10.1.0.0/16"}}
	if d := g.Add(a); d != nil {
		t.Fatalf("first add: %v", d)
	}
	if d := g.Add(same); d != nil {
		t.Fatalf("identical duplicate should merge silently, got %v", d)
	}
	d := g.Add(diff)
	if d == nil {
		t.Fatal("conflicting duplicate gave no diagnostic")
	}
	if d.Range.File != "c.json" || d.Range.Start.Line != 2 {
		t.Errorf("conflict diagnostic points at %v, want c.json:2", d.Range)
	}
	if got := g.Node("vpc-1").(*VPC).CIDRBlocks[0]; got != "10.0.0.0/16" {
		t.Errorf("kept %s, want the first", got)
	}
	if d := g.Add(&Subnet{Base: Base{Kind: KindSubnet}}); d == nil {
		t.Error("node without id accepted")
	}
}

func TestResolveAndEdges(t *testing.T) {
	t.Parallel()
	g := New()
	g.Add(&VPC{Base: Base{ID: "vpc-1", Kind: KindVPC, Name: "prod"}})
	g.Add(&Subnet{Base: Base{ID: "subnet-b", Kind: KindSubnet, Name: "web"}, VPCID: "vpc-1"})
	g.Add(&Subnet{Base: Base{ID: "subnet-a", Kind: KindSubnet, Name: "web"}, VPCID: "vpc-1"})
	g.Add(&LoadBalancer{Base: Base{ID: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/alb/1", Kind: KindLoadBalancer, Aliases: []string{"alb"}}, SubnetIDs: []string{"subnet-a", "subnet-b"}})

	if got := g.Resolve("vpc-1"); len(got) != 1 {
		t.Errorf("by id: %d matches", len(got))
	}
	if got := g.Resolve("PROD"); len(got) != 1 || got[0].Meta().ID != "vpc-1" {
		t.Errorf("by Name tag, case-insensitive: %v", got)
	}
	if got := g.Resolve("web"); len(got) != 2 || got[0].Meta().ID != "subnet-a" {
		t.Errorf("ambiguous name: %v", got)
	}
	if got := g.Resolve("alb"); len(got) != 1 {
		t.Errorf("by alias: %v", got)
	}
	subs := g.Subnets()
	if len(subs) != 2 || subs[0].ID != "subnet-a" {
		t.Errorf("Subnets not sorted: %v", subs)
	}
	edges := g.Edges()
	want := []Edge{
		{From: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/alb/1", To: "subnet-a", Kind: EdgeInSubnet},
		{From: "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/alb/1", To: "subnet-b", Kind: EdgeInSubnet},
		{From: "subnet-a", To: "vpc-1", Kind: EdgeInVPC},
		{From: "subnet-b", To: "vpc-1", Kind: EdgeInVPC},
	}
	if len(edges) != len(want) {
		t.Fatalf("edges = %v", edges)
	}
	for i := range want {
		if edges[i] != want[i] {
			t.Errorf("edge %d = %v, want %v", i, edges[i], want[i])
		}
	}
}

func TestSGRuleCovers(t *testing.T) {
	t.Parallel()
	cases := []struct {
		rule  SGRule
		proto string
		port  int
		want  bool
	}{
		{SGRule{Protocol: "-1", FromPort: -1, ToPort: -1}, "tcp", 22, true},
		{SGRule{Protocol: "tcp", FromPort: 0, ToPort: 65535}, "tcp", 3306, true},
		{SGRule{Protocol: "tcp", FromPort: 80, ToPort: 80}, "tcp", 22, false},
		{SGRule{Protocol: "tcp", FromPort: 20, ToPort: 25}, "udp", 22, false},
		{SGRule{Protocol: "tcp", FromPort: 20, ToPort: 25}, "tcp", 22, true},
	}
	for _, c := range cases {
		if got := c.rule.Covers(c.proto, c.port); got != c.want {
			t.Errorf("%+v covers %s/%d = %v, want %v", c.rule, c.proto, c.port, got, c.want)
		}
	}
}

// TestMergeKeepsKindsSorted merges fragments whose ids come after, before
// and among the graph's, with a node two fragments share: every kind reads
// sorted by id, shared nodes once, and the names and addresses resolve.
func TestMergeKeepsKindsSorted(t *testing.T) {
	t.Parallel()
	frag := func(ids ...string) *Graph {
		f := New()
		for _, id := range ids {
			f.Add(&Subnet{Base: Base{ID: id, Kind: KindSubnet, Name: "n-" + id, Source: Source{Address: "aws_subnet." + id}}, VPCID: "vpc-1"})
		}
		f.Add(&VPC{Base: Base{ID: "vpc-1", Kind: KindVPC}})
		f.Freeze()
		return f
	}
	g := New()
	for _, f := range []*Graph{frag("s-10", "s-20"), frag("s-30", "s-40"), frag("s-05", "s-25"), frag("s-50", "s-20")} {
		g.Merge(f)
	}
	var got []string
	for _, s := range g.Subnets() {
		got = append(got, s.ID)
	}
	want := []string{"s-05", "s-10", "s-20", "s-25", "s-30", "s-40", "s-50"}
	if len(got) != len(want) {
		t.Fatalf("subnets %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("subnets %v, want %v", got, want)
		}
	}
	if len(g.VPCs()) != 1 || g.Len() != 8 || len(g.Diagnostics) != 0 {
		t.Errorf("%d VPCs, %d nodes, diagnostics %v", len(g.VPCs()), g.Len(), g.Diagnostics)
	}
	if r := g.Resolve("n-s-25"); len(r) != 1 || r[0].Meta().ID != "s-25" {
		t.Errorf("by name: %v", r)
	}
	if r := g.Resolve("aws_subnet.s-40"); len(r) != 1 || r[0].Meta().ID != "s-40" {
		t.Errorf("by address: %v", r)
	}
	g.Freeze()
	if g.Subnets()[0].ID != "s-05" {
		t.Error("frozen graph unsorted")
	}
}
