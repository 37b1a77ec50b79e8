package cost

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/cost/prices"
)

// TestCoverageByHand prices every component issue 15 adds — EBS of every
// type with provisioned IOPS and throughput, standalone volumes, mixed
// instances, detailed monitoring, EBS-optimized and dedicated tenancy,
// Aurora, interface endpoints, transit gateway attachments, monthly hours,
// discounts, operating systems and a region without prices — against
// figures computed by hand from the catalog entries (us-east-1, 730 h).
func TestCoverageByHand(t *testing.T) {
	t.Parallel()
	g := graph.New()
	pct := 25
	for _, n := range []graph.Node{
		&graph.Subnet{Base: base("s-a", graph.KindSubnet), AvailabilityZone: "us-east-1a"},
		&graph.Subnet{Base: base("s-b", graph.KindSubnet), AvailabilityZone: "us-east-1b"},
		&graph.Instance{Base: base("i-ebs", graph.KindInstance), InstanceType: "m5.large", SubnetID: "s-a", BlockDevices: []graph.BlockDevice{
			{Root: true, VolumeType: "gp3", SizeGB: 100, IOPS: 6000, Throughput: 250},
			{DeviceName: "/dev/sdf", VolumeType: "io2", SizeGB: 500, IOPS: 40000},
			{DeviceName: "/dev/sdg", VolumeType: "io1", SizeGB: 100, IOPS: 1000},
			{DeviceName: "/dev/sdh", VolumeType: "st1", SizeGB: 1000},
			{DeviceName: "/dev/sdi", VolumeType: "sc1", SizeGB: 2000},
			{DeviceName: "/dev/sdj", SizeGB: 50},
		}},
		&graph.Instance{Base: base("i-root", graph.KindInstance), InstanceType: "t3.micro", SubnetID: "s-a", BlockDevices: []graph.BlockDevice{{Root: true, VolumeType: "gp3"}}},
		&graph.Instance{Base: base("i-old", graph.KindInstance), InstanceType: "m3.xlarge", SubnetID: "s-a", DetailedMonitoring: true, EBSOptimized: true},
		&graph.Instance{Base: base("i-new-opt", graph.KindInstance), InstanceType: "m5.large", SubnetID: "s-a", EBSOptimized: true},
		&graph.Instance{Base: base("i-dedicated", graph.KindInstance), InstanceType: "m5.large", SubnetID: "s-a", Tenancy: "dedicated"},
		&graph.Instance{Base: base("i-host", graph.KindInstance), InstanceType: "m5.large", SubnetID: "s-a", Tenancy: "host"},
		&graph.Instance{Base: base("i-win", graph.KindInstance), InstanceType: "t3.micro", SubnetID: "s-a"},
		&graph.Instance{Base: base("i-part", graph.KindInstance), InstanceType: "t3.micro", SubnetID: "s-a"},
		&graph.Instance{Base: base("i-tokyo", graph.KindInstance), InstanceType: "t3.micro", AvailabilityZone: "ap-northeast-1a"},
		&graph.Volume{Base: base("vol-1", graph.KindVolume), VolumeType: "gp3", SizeGB: 200, AvailabilityZone: "us-east-1a", State: "available"},
		&graph.Volume{Base: base("vol-gone", graph.KindVolume), VolumeType: "gp3", SizeGB: 200, State: "deleted"},
		&graph.LaunchTemplate{Base: base("lt-mixed", graph.KindLaunchTemplate), InstanceType: "t3.large"},
		&graph.AutoScalingGroup{Base: base("mixed-asg", graph.KindAutoScalingGroup), MinSize: 2, MaxSize: 20, DesiredCapacity: 10,
			SubnetIDs: []string{"s-a"}, LaunchTemplateID: "lt-mixed", InstanceTypes: []string{"m5.large", "c5.large"},
			MixedInstances: &graph.MixedInstancesPolicy{OnDemandBase: 2, OnDemandPercentAboveBase: &pct,
				Overrides: []graph.InstanceOverride{{InstanceType: "m5.large", Weight: 2}, {InstanceType: "c5.large", Weight: 2}}}},
		&graph.DBCluster{Base: base("aurora-c", graph.KindDBCluster), Engine: "aurora-postgresql", AvailabilityZones: []string{"us-east-1a"}},
		&graph.DBInstance{Base: base("aurora-w", graph.KindDBInstance), Engine: "aurora-postgresql", InstanceClass: "db.t4g.medium", ClusterID: "aurora-c", AvailabilityZone: "us-east-1a"},
		&graph.VPCEndpoint{Base: base("vpce-ssm", graph.KindVPCEndpoint), EndpointType: "Interface", ServiceName: "com.amazonaws.us-east-1.ssm", SubnetIDs: []string{"s-a", "s-b"}},
		&graph.TransitGatewayAttachment{Base: base("tgw-attach-1", graph.KindTransitGatewayAttachment), ResourceType: "vpc", SubnetIDs: []string{"s-a"}, State: "available"},
	} {
		if d := g.Add(n); d != nil {
			t.Fatal(d)
		}
	}
	u, err := ParseUsage(strings.NewReader(`version: "1"
resources:
  i-root: {storage_gb: 30}
  i-win: {os: windows}
  i-part: {monthly_hours: 200}
  mixed-asg: {discount: {type: savings_plan, percent: 30}}
  aurora-c: {storage_gb: 100, io_requests_millions: 50}
  vpce-ssm: {gb_processed: 100}
  tgw-attach-1: {gb_processed: 1000}
`), "u.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Estimate(g, Options{Catalog: catalog(t), Usage: u})
	if err != nil {
		t.Fatal(err)
	}
	want := map[compKey]string{
		{"i-ebs", CompCompute, "m5.large × 1"}:                                                          "70.08",        // 730 × 0.096
		{"i-ebs", CompEBS, "root gp3"}:                                                                  "8.00",         // 100 GB × 0.08
		{"i-ebs", CompEBSIOPS, "root gp3 IOPS-month 3000"}:                                              "15.00",        // (6000 − 3000 free) × 0.005
		{"i-ebs", CompEBSThroughput, "root gp3 MiBps-month 125"}:                                        "5.00",         // (250 − 125 free) × 0.04
		{"i-ebs", CompEBS, "/dev/sdf io2"}:                                                              "62.50",        // 500 × 0.125
		{"i-ebs", CompEBSIOPS, "/dev/sdf io2 IOPS-month 32000"}:                                         "2080.00",      // 32,000 × 0.065
		{"i-ebs", CompEBSIOPS, "/dev/sdf io2 IOPS-month 8000"}:                                          "364.00",       // (40,000 − 32,000) × 0.0455
		{"i-ebs", CompEBS, "/dev/sdg io1"}:                                                              "12.50",        // 100 × 0.125
		{"i-ebs", CompEBSIOPS, "/dev/sdg io1 IOPS-month 1000"}:                                          "65.00",        // 1,000 × 0.065
		{"i-ebs", CompEBS, "/dev/sdh st1"}:                                                              "45.00",        // 1,000 × 0.045
		{"i-ebs", CompEBS, "/dev/sdi sc1"}:                                                              "30.00",        // 2,000 × 0.015
		{"i-ebs", CompEBS, "/dev/sdj gp2"}:                                                              "5.00",         // 50 × 0.10 (no type: gp2)
		{"i-root", CompCompute, "t3.micro × 1"}:                                                         "7.59",         // 730 × 0.0104
		{"i-root", CompEBS, "root gp3"}:                                                                 "2.40",         // usage 30 GB × 0.08 (size from the image)
		{"i-old", CompCompute, "m3.xlarge × 1"}:                                                         "194.18",       // 730 × 0.266
		{"i-old", CompDetailedMonitor, ""}:                                                              "2.10",         // 7 metrics × 0.30
		{"i-old", CompEBSOptimized, "m3.xlarge"}:                                                        "36.50",        // 730 × 0.05
		{"i-new-opt", CompCompute, "m5.large × 1"}:                                                      "70.08",        // optimized by default: no surcharge
		{"i-part", CompCompute, "t3.micro × 1 (200 h a month)"}:                                         "2.08",         // 200 × 0.0104
		{"i-tokyo", CompCompute, "t3.micro × 1"}:                                                        "7.59",         // no ap-northeast-1 prices: us-east-1's, with a warning
		{"vol-1", CompEBS, "gp3"}:                                                                       "16.00",        // 200 × 0.08
		{"mixed-asg", CompCompute, "m5.large × 2 on-demand (base 2 + 25% above, weight 2)"}:             "140.16",       // base 2 + ⌈8 × 25%⌉ = 4 units = 2 instances × 730 × 0.096
		{"mixed-asg", CompSpot, "m5.large × 3 spot, weight 2 (on-demand price shown; give spot_price)"}: DependsOnUsage, // 6 units = 3 instances
		{"mixed-asg", CompDiscount, "savings plan 30% off compute"}:                                     "-42.05",       // 30% × 140.16 = 42.048
		{"aurora-w", CompAuroraInstance, "db.t4g.medium aurora-postgresql"}:                             "53.29",        // 730 × 0.073
		{"aurora-c", CompAuroraStorage, ""}:                                                             "10.00",        // 100 GB × 0.10
		{"aurora-c", CompAuroraIO, ""}:                                                                  "10.00",        // 50 million × 0.20
		{"vpce-ssm", CompEndpointHours, "com.amazonaws.us-east-1.ssm, 2 AZ"}:                            "14.60",        // 2 AZ × 730 × 0.01
		{"vpce-ssm", CompEndpointData, ""}:                                                              "1.00",         // 100 GB × 0.01
		{"tgw-attach-1", CompTGWAttachment, "vpc"}:                                                      "36.50",        // 730 × 0.05
		{"tgw-attach-1", CompTGWData, ""}:                                                               "20.00",        // 1,000 GB × 0.02
	}
	if diff := cmp.Diff(want, monthlies(rep)); diff != "" {
		t.Errorf("components (-want +got):\n%s", diff)
	}
	wantUnpriced := []string{
		"i-dedicated: no ec2/m5.large/dedicated price for m5.large (linux, dedicated tenancy) in us-east-1: import it with vpcgate prices import (an AmazonEC2 offer file)",
		"i-host: tenancy host: billed per Dedicated Host, not per instance (not in the catalog)",
		"i-win: no ec2/t3.micro/windows price for t3.micro (windows, default tenancy) in us-east-1: import it with vpcgate prices import (an AmazonEC2 offer file)",
	}
	var gotUnpriced []string
	for _, up := range rep.Unpriced {
		gotUnpriced = append(gotUnpriced, up.ID+": "+up.Reason)
	}
	if diff := cmp.Diff(wantUnpriced, gotUnpriced); diff != "" {
		t.Errorf("unpriced (-want +got):\n%s", diff)
	}
	// The mixed group's range: min 2 units = 1 on-demand instance (70.08
	// − 30% = 49.06); max 20 units = 2 + ⌈18 × 25%⌉ = 7 on-demand units =
	// 4 instances (280.32) and 13 spot units = 7 instances bounded at the
	// on-demand price (490.56), less 30% of the on-demand compute (84.10).
	for _, r := range rep.Resources {
		switch r.ID {
		case "mixed-asg":
			if r.MonthlyMin.StringFixed(2) != "49.06" || r.MonthlyMax.StringFixed(2) != "686.78" {
				t.Errorf("mixed range = %s – %s", r.MonthlyMin.StringFixed(2), r.MonthlyMax.StringFixed(2))
			}
		case "i-tokyo":
			if r.Region != "ap-northeast-1" || !r.Estimate() {
				t.Errorf("i-tokyo: region %s, estimate %v", r.Region, r.Estimate())
			}
		case "i-old":
			if !r.Estimate() {
				t.Error("i-old: the monitoring and EBS-optimized figures are estimates")
			}
		case "i-ebs":
			if r.Estimate() {
				t.Error("i-ebs: us-east-1 list prices are not estimates")
			}
		}
	}
	if len(rep.Warnings) != 1 || !strings.Contains(rep.Warnings[0], "no prices for ap-northeast-1: priced from us-east-1 (ec2/t3.micro)") {
		t.Errorf("warnings = %q", rep.Warnings)
	}
	if len(rep.Regions) != 2 || rep.Regions[1].Region != "ap-northeast-1" || rep.Regions[1].Resources != 1 {
		t.Errorf("regions = %+v", rep.Regions)
	}

	// With Windows and dedicated prices imported, the same instances are
	// priced, and the dedicated one carries the region fee.
	cat := catalog(t)
	cat.Set(prices.Entry{Region: "us-east-1", Key: "ec2/t3.micro/windows", Unit: "hour", Price: decimal.RequireFromString("0.0196"), Source: "test offer", AsOf: "2025-05-01"})
	cat.Set(prices.Entry{Region: "us-east-1", Key: "ec2/m5.large/dedicated", Unit: "hour", Price: decimal.RequireFromString("0.106"), Source: "test offer", AsOf: "2025-05-01"})
	rep, err = Estimate(g, Options{Catalog: cat, Usage: u})
	if err != nil {
		t.Fatal(err)
	}
	got := monthlies(rep)
	for k, w := range map[compKey]string{
		{"i-win", CompCompute, "t3.micro × 1 windows"}:                "14.31",   // 730 × 0.0196
		{"i-dedicated", CompCompute, "m5.large × 1 dedicated"}:        "77.38",   // 730 × 0.106
		{"i-dedicated", CompDedicatedFee, "us-east-1, once a region"}: "1460.00", // 730 × 2
	} {
		if got[k] != w {
			t.Errorf("%v = %q, want %s", k, got[k], w)
		}
	}
}

func TestUsageNewFieldsErrors(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{
		"resources:\n  x: {discount: {type: spot, percent: 10}}\n",
		"resources:\n  x: {discount: {type: reserved, percent: 120}}\n",
		"resources:\n  x: {monthly_hours: -5}\n",
		"resources:\n  x: {os: windows, shoe_size: 9}\n",
	} {
		if _, err := ParseUsage(strings.NewReader(bad), "u.yaml"); err == nil || !strings.Contains(err.Error(), "u.yaml") {
			t.Errorf("%q: err = %v, want an error naming the file", bad, err)
		}
	}
}
