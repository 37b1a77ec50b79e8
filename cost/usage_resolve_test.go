package cost

import (
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// TestUsageByAddress: a usage key naming a classic load balancer by its
// address reaches it although its listeners share the address (they are
// not priced); two priced resources under one name stay ambiguous.
func TestUsageByAddress(t *testing.T) {
	t.Parallel()
	g := graph.New()
	lb := &graph.LoadBalancer{Base: graph.Base{ID: "aws_elb.web", Kind: graph.KindLoadBalancer, Source: graph.Source{Address: "aws_elb.web"}}, LBName: "web", Type: "classic", Scheme: "internal"}
	l := &graph.Listener{Base: graph.Base{ID: "aws_elb.web/listener/80", Kind: graph.KindListener, Source: graph.Source{Address: "aws_elb.web"}}, LoadBalancerARN: lb.ID, Port: 80}
	for _, n := range []graph.Node{lb, l,
		&graph.Instance{Base: graph.Base{ID: "i-1", Kind: graph.KindInstance, Name: "twin"}, InstanceType: "t3.micro", State: "running"},
		&graph.Instance{Base: graph.Base{ID: "i-2", Kind: graph.KindInstance, Name: "twin"}, InstanceType: "t3.micro", State: "running"},
	} {
		if d := g.Add(n); d != nil {
			t.Fatal(d)
		}
	}
	if len(g.Resolve("aws_elb.web")) != 2 {
		t.Fatalf("the listener should share the load balancer's address: %v", g.Resolve("aws_elb.web"))
	}
	u, err := ParseUsage(strings.NewReader("resources:\n  aws_elb.web: {gb_processed: 100}\n"), "usage.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Estimate(g, Options{Catalog: catalog(t), Usage: u})
	if err != nil {
		t.Fatal(err)
	}
	if got := monthlies(rep)[compKey{"aws_elb.web", CompELBData, ""}]; got != "0.80" { // 100 GB × 0.008
		t.Errorf("classic load balancer data = %q, want 0.80", got)
	}
	u, _ = ParseUsage(strings.NewReader("resources:\n  twin: {monthly_hours: 100}\n"), "usage.yaml")
	if _, err := Estimate(g, Options{Catalog: catalog(t), Usage: u}); err == nil || !strings.Contains(err.Error(), "ambiguous: i-1, i-2") {
		t.Errorf("two instances named twin: %v", err)
	}
}
