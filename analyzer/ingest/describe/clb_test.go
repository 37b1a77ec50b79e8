package describe

import (
	"context"
	"os"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// TestClassicLoadBalancer reads elb describe-load-balancers: the id is
// the ARN AWS gives a classic load balancer when the dump's folders name
// the account and region, the name an alias; listeners are nodes with
// the instance port; registered instances are kept.
func TestClassicLoadBalancer(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../../cost/testdata/describe-classic/123456789012/eu-west-1/elb-describe-load-balancers.json")
	if err != nil {
		t.Fatal(err)
	}
	arn := "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/legacy-web"
	for _, tt := range []struct{ path, id string }{
		{"dump/123456789012/eu-west-1/elb-describe-load-balancers.json", arn},
		{"elb-describe-load-balancers.json", "legacy-web"}, // no account: the name
	} {
		g := Read(context.Background(), []File{{Path: tt.path, Data: data}}, Options{})
		if len(g.Diagnostics) > 0 {
			t.Fatalf("%s: %v", tt.path, g.Diagnostics)
		}
		n, ok := g.Node(tt.id).(*graph.LoadBalancer)
		if !ok {
			t.Fatalf("%s: no load balancer %s", tt.path, tt.id)
		}
		if n.Type != "classic" || n.Scheme != "internet-facing" || n.LBName != "legacy-web" || n.VPCID != "vpc-0a1b2c3d4e5f60000" ||
			len(n.SubnetIDs) != 2 || len(n.SecurityGroups) != 1 || len(n.Instances) != 1 || n.Instances[0] != "i-0a1b2c3d4e5f60003" {
			t.Errorf("%s: %+v", tt.path, n)
		}
		if tt.id == arn && (len(n.Aliases) != 1 || n.Aliases[0] != "legacy-web") {
			t.Errorf("aliases %v", n.Aliases)
		}
		l, ok := g.Node(tt.id + "/listener/80").(*graph.Listener)
		if !ok || l.Protocol != "HTTP" || l.InstancePort != 8080 || l.LoadBalancerARN != tt.id || l.Source.Range.Start.Line != 8 {
			t.Errorf("%s: listener %+v", tt.path, l)
		}
	}
}
