package analyzer

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/reach"
	"github.com/vpcgate/vpcgate/internal/golden"
)

// probePorts are the ports every compute node is asked about in the golden
// facts: SSH, HTTP, HTTPS and MySQL.
var probePorts = []int{22, 80, 443, 3306}

// factsReport renders the derived facts of a fixture as readable text:
// subnets with their class, then each compute node's tier, exposures with
// their paths, and the verdict on each probe port.
func factsReport(t *testing.T, res *Result) string {
	t.Helper()
	g := res.Graph
	var b strings.Builder
	name := func(n graph.Node) string {
		m := n.Meta()
		if m.Name != "" {
			return m.ID + " (" + m.Name + ")"
		}
		return m.ID
	}
	for _, s := range g.Subnets() {
		f := g.Facts.Subnets[s.ID]
		fmt.Fprintf(&b, "subnet %s %s %s class=%s public=%v egress=%s route_table=%s explicit=%v\n",
			name(s), s.CIDRBlock, s.AvailabilityZone, f.Class, f.Public, f.Egress, f.RouteTable, f.RouteTableExplicit)
	}
	for _, k := range []graph.Kind{graph.KindInstance, graph.KindLoadBalancer, graph.KindDBInstance, graph.KindAutoScalingGroup, graph.KindNATGateway} {
		for _, n := range g.Of(k) {
			id := n.Meta().ID
			f := g.Facts.Nodes[id]
			if f == nil {
				fmt.Fprintf(&b, "%s %s: no facts\n", k, name(n))
				continue
			}
			fmt.Fprintf(&b, "%s %s tier=%s public_address=%v\n", k, name(n), f.Tier, f.PublicAddress)
			for _, e := range f.InternetReachable {
				var hops []string
				for _, h := range e.Path {
					hops = append(hops, h.Node)
				}
				fmt.Fprintf(&b, "  reachable %s %d-%d ipv6=%v via %s sources=%v: %s\n", e.Protocol, e.FromPort, e.ToPort, e.IPv6, e.Via, e.Sources, strings.Join(hops, " > "))
			}
			if k == graph.KindAutoScalingGroup {
				continue
			}
			for _, p := range probePorts {
				v, err := reach.Explain(g, id, "tcp", p)
				if err != nil {
					fmt.Fprintf(&b, "  tcp/%d: %v\n", p, err)
					continue
				}
				if v.Reachable {
					fmt.Fprintf(&b, "  tcp/%d: reachable in %d hops\n", p, len(v.Path))
				} else if v.BlockedBy != nil {
					fmt.Fprintf(&b, "  tcp/%d: blocked %s at %s\n", p, v.BlockedBy.Code, v.BlockedBy.Node)
				}
			}
		}
	}
	return b.String()
}

func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	golden.Check(t, path, []byte(got))
}

// TestFixtureFacts asserts the derived facts of each architecture built on
// moto: golden files for the whole picture, explicit checks for what the
// design documents say about each.
func TestFixtureFacts(t *testing.T) {
	t.Parallel()
	for _, arch := range []string{"basic", "improved", "production"} {
		t.Run(arch, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("..", "testdata", "describe", arch)
			if _, err := os.Stat(dir); err != nil {
				t.Fatalf("fixture missing: %v", err)
			}
			res, err := Analyze(context.Background(), Options{Paths: []string{dir}})
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range res.Diagnostics {
				if d.Severity == graph.SeverityError {
					t.Errorf("error diagnostic on a real fixture: %v", d)
				}
			}
			again, err := Analyze(context.Background(), Options{Paths: []string{dir}})
			if err != nil {
				t.Fatal(err)
			}
			got := factsReport(t, res)
			if got != factsReport(t, again) {
				t.Error("facts differ between two analyses of the same input")
			}
			checkGolden(t, arch+".facts.txt", got)
			checkArchitecture(t, arch, res.Graph)
		})
	}
}

func covers(exps []graph.Exposure, proto string, port int, via string) bool {
	for _, e := range exps {
		if (e.Protocol == proto || e.Protocol == graph.ProtocolAll) && e.FromPort <= port && port <= e.ToPort && (via == "" || (via == "direct") == (e.Via == "direct")) {
			return true
		}
	}
	return false
}

func checkArchitecture(t *testing.T, arch string, g *graph.Graph) {
	t.Helper()
	public := 0
	for _, s := range g.Subnets() {
		if g.Facts.Subnets[s.ID].Public {
			public++
		}
	}
	switch arch {
	case "basic", "improved":
		if public == 0 {
			t.Error("no public subnet")
		}
		for _, db := range g.DBInstances() {
			exps := g.Facts.Nodes[db.ID].InternetReachable
			if arch == "basic" && !covers(exps, "tcp", 3306, "direct") {
				t.Errorf("basic: database %s should be reachable from anywhere on 3306: %v", db.ID, exps)
			}
			if arch == "improved" && covers(exps, "tcp", 3306, "") {
				t.Errorf("improved: database %s should not be reachable from the internet: %v", db.ID, exps)
			}
		}
		apps := 0
		for _, i := range g.Instances() {
			exps := g.Facts.Nodes[i.ID].InternetReachable
			if !covers(exps, "tcp", 80, "direct") {
				continue
			}
			apps++
			if arch == "basic" && !covers(exps, "tcp", 3306, "direct") {
				t.Errorf("basic: app %s is open on all ports, yet 3306 is not reachable: %v", i.ID, exps)
			}
			if arch == "improved" && covers(exps, "tcp", 3306, "") {
				t.Errorf("improved: app %s reachable on 3306: %v", i.ID, exps)
			}
		}
		if apps == 0 {
			t.Error("the app server should be reachable on HTTP")
		}
	case "production":
		if public != 2 {
			t.Errorf("production: %d public subnets, want 2 (10.0.1.0/24, 10.0.2.0/24)", public)
		}
		for _, s := range g.Subnets() {
			f := g.Facts.Subnets[s.ID]
			if strings.HasPrefix(s.CIDRBlock, "10.0.1") && len(s.CIDRBlock) == len("10.0.11.0/24") && f.Egress != graph.EgressNAT {
				t.Errorf("private app subnet %s egress %s, want nat", s.CIDRBlock, f.Egress)
			}
		}
		for _, i := range g.Instances() {
			f := g.Facts.Nodes[i.ID]
			for _, e := range f.InternetReachable {
				if e.Via == "direct" && f.Tier != graph.TierBastion {
					t.Errorf("production: %s (%s, tier %s) reachable directly: %+v", i.ID, i.Name, f.Tier, e)
				}
				if e.Via == "direct" && f.Tier == graph.TierBastion && !(e.Protocol == "tcp" && e.FromPort == 22 && e.ToPort == 22) {
					t.Errorf("production: the bastion is reachable on more than SSH: %+v", e)
				}
			}
		}
		for _, db := range g.DBInstances() {
			if exps := g.Facts.Nodes[db.ID].InternetReachable; len(exps) > 0 {
				t.Errorf("production: database reachable from the internet: %v", exps)
			}
			v, err := reach.Explain(g, db.ID, "tcp", 3306)
			if err != nil || v.Reachable || v.BlockedBy == nil {
				t.Errorf("production: database verdict on 3306 = %+v, %v; want blocked", v, err)
			}
		}
		lbs := 0
		for _, lb := range g.LoadBalancers() {
			f := g.Facts.Nodes[lb.ID]
			if lb.InternetFacing() {
				lbs++
				if f.Tier != graph.TierEdge || !covers(f.InternetReachable, "tcp", 443, "direct") {
					t.Errorf("production: ALB %s tier %s exposures %v; want edge, reachable on 443", lb.ID, f.Tier, f.InternetReachable)
				}
			}
		}
		if lbs != 1 {
			t.Errorf("production: %d internet-facing load balancers, want 1", lbs)
		}
		appsViaLB := 0
		for _, i := range g.Instances() {
			f := g.Facts.Nodes[i.ID]
			if f.Tier == graph.TierApp && covers(f.InternetReachable, "tcp", 80, "lb") {
				appsViaLB++
			}
		}
		if appsViaLB < 2 {
			t.Errorf("production: %d app instances reachable via the load balancer, want the ASG's 2", appsViaLB)
		}
	}
}
