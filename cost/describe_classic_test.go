package cost_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/cost/prices"
)

// TestClassicFromDescribe prices a classic load balancer read from elb
// describe-load-balancers in a dump's eu-west-1 folder, by hand from the
// catalog: hours 730 × ~0.028, two public addresses 2 × 730 × 0.005, and
// the data processed from a usage entry naming it by its name.
func TestClassicFromDescribe(t *testing.T) {
	t.Parallel()
	res := analyze(t, filepath.Join("testdata", "describe-classic"))
	cat, err := prices.Default()
	if err != nil {
		t.Fatal(err)
	}
	u, err := cost.ParseUsage(strings.NewReader("resources:\n  legacy-web: {gb_processed: 1000}\n"), "usage.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := cost.Estimate(res.Graph, cost.Options{Catalog: cat, Usage: u})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, r := range rep.Resources {
		if r.Name != "legacy-web" {
			continue
		}
		if r.Region != "eu-west-1" || r.ID != "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/legacy-web" {
			t.Errorf("priced as %s in %s", r.ID, r.Region)
		}
		for _, c := range r.Components {
			got[c.Name] = c.Monthly.StringFixed(2)
		}
	}
	want := map[string]string{
		cost.CompLBHours:    "20.44", // 730 × ~0.028 (eu-west-1)
		cost.CompPublicIPv4: "7.30",  // 2 AZ × 730 × 0.005
		cost.CompELBData:    "8.00",  // 1,000 GB × ~0.008
	}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %s", k, got[k], w)
		}
	}
}
