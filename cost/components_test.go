package cost

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// TestMoreComponents covers the components the sample graph does not:
// NLB and classic load balancers, PostgreSQL Single-AZ, EBS from usage,
// count, stopped and private instances, kind defaults, and the
// unpriced cases. Figures by hand, us-east-1, 730 h.
func TestMoreComponents(t *testing.T) {
	t.Parallel()
	g := graph.New()
	for _, n := range []graph.Node{
		&graph.Subnet{Base: base("s-a", graph.KindSubnet), AvailabilityZone: "us-east-1a"},
		&graph.Subnet{Base: base("s-b", graph.KindSubnet), AvailabilityZone: "us-east-1b"},
		&graph.Subnet{Base: base("s-c", graph.KindSubnet), AvailabilityZone: "us-east-1c"},
		&graph.LoadBalancer{Base: base("nlb", graph.KindLoadBalancer), Type: "network", Scheme: "internet-facing", SubnetIDs: []string{"s-a", "s-b", "s-c"}},
		&graph.LoadBalancer{Base: base("clb", graph.KindLoadBalancer), Type: "classic", Scheme: "internal"},
		&graph.LoadBalancer{Base: base("gwlb", graph.KindLoadBalancer), Type: "gateway"},
		&graph.DBInstance{Base: base("pg", graph.KindDBInstance), Engine: "postgres", InstanceClass: "db.m5.large", AllocatedStorage: 50, StorageType: "gp3"},
		&graph.DBInstance{Base: base("odd", graph.KindDBInstance), Engine: "mysql", InstanceClass: "db.x9.huge"},
		&graph.Instance{Base: base("i-many", graph.KindInstance), InstanceType: "c6i.large", Count: 3, SubnetID: "s-a"},
		&graph.Instance{Base: base("i-off", graph.KindInstance), InstanceType: "c6i.large", State: "stopped"},
		&graph.Instance{Base: base("i-weird", graph.KindInstance), InstanceType: "z9.mega"},
		&graph.VPCEndpoint{Base: base("vpce-1", graph.KindVPCEndpoint), EndpointType: "Interface"},
		&graph.VPCEndpoint{Base: base("vpce-2", graph.KindVPCEndpoint), EndpointType: "Gateway"},
	} {
		if d := g.Add(n); d != nil {
			t.Fatal(d)
		}
	}
	u, err := ParseUsage(strings.NewReader(`version: "1"
defaults:
  instance: {storage_gb: 8}
resources:
  nlb: {new_connections_per_second: 1600}
  clb: {gb_processed: 500}
  i-many: {storage_gb: 30, storage_type: gp2, internet_egress_gb: 20}
`), "u.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Estimate(g, Options{Catalog: catalog(t), Usage: u})
	if err != nil {
		t.Fatal(err)
	}
	want := map[compKey]string{
		{"nlb", CompLBHours, "network"}:                 "16.43",  // 730 × 0.0225
		{"nlb", CompLCU, ""}:                            "8.76",   // 1600/800 = 2 NLCU × 730 × 0.006
		{"nlb", CompPublicIPv4, "3 AZ"}:                 "10.95",  // 3 × 730 × 0.005
		{"clb", CompLBHours, "classic"}:                 "18.25",  // 730 × 0.025
		{"clb", CompELBData, ""}:                        "4.00",   // 500 × 0.008
		{"pg", CompDBInstance, "db.m5.large Single-AZ"}: "129.94", // 730 × 0.178
		{"pg", CompDBStorage, "gp3"}:                    "5.75",   // 50 × 0.115
		{"i-many", CompCompute, "c6i.large × 3"}:        "186.15", // 3 × 730 × 0.085
		{"i-many", CompEBS, "gp2"}:                      "9.00",   // 3 × 30 GB × 0.10
		{"i-many", CompInternetEgress, ""}:              "1.80",   // 20 × 0.09
		{"i-off", CompEBS, "gp3"}:                       "0.64",   // kind default 8 GB × 0.08, no compute
		{"i-weird", CompEBS, "gp3"}:                     "0.64",   // storage is priced even when the type is not
		{"vpce-1", CompEndpointHours, "1 AZ"}:           "7.30",   // 1 AZ × 730 × 0.01
		{"vpce-1", CompEndpointData, ""}:                DependsOnUsage,
	}
	if diff := cmp.Diff(want, monthlies(rep)); diff != "" {
		t.Errorf("components (-want +got):\n%s", diff)
	}
	var reasons []string
	for _, u := range rep.Unpriced {
		reasons = append(reasons, u.ID+": "+u.Reason)
	}
	wantReasons := []string{
		`i-weird: instance type "z9.mega" has no price in us-east-1`,
		"gwlb: gateway load balancers are not in the price catalog",
		`odd: instance class "db.x9.huge" (mysql) has no price in us-east-1`,
	}
	if diff := cmp.Diff(wantReasons, reasons); diff != "" {
		t.Errorf("unpriced (-want +got):\n%s", diff)
	}
}

func TestLCUs(t *testing.T) {
	t.Parallel()
	q := func(s string) *Quantity {
		var v Quantity
		v.Decimal = mustDec(s)
		return &v
	}
	tests := []struct {
		name string
		typ  string
		u    ResourceUsage
		want string
	}{
		{"explicit", "application", ResourceUsage{LCU: q("3.5")}, "3.5"},
		{"new connections", "application", ResourceUsage{NewConnectionsPerSecond: q("50")}, "2"},
		{"active wins", "application", ResourceUsage{NewConnectionsPerSecond: q("25"), ActiveConnections: q("6000")}, "2"},
		{"bytes", "application", ResourceUsage{ProcessedGBPerHour: q("2.5")}, "2.5"},
		{"rules", "application", ResourceUsage{RuleEvaluationsPerSecond: q("500")}, "0.5"},
		{"nlb ignores rules", "network", ResourceUsage{RuleEvaluationsPerSecond: q("5000"), ActiveConnections: q("50000")}, "0.5"},
		{"nothing", "application", ResourceUsage{}, "<nil>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := "<nil>"
			if l := LCUs(tt.typ, tt.u); l != nil {
				got = l.String()
			}
			if got != tt.want {
				t.Errorf("LCUs = %s, want %s", got, tt.want)
			}
		})
	}
}
