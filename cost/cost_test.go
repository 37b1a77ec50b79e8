package cost

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/cost/prices"
	"github.com/vpcgate/vpcgate/internal/golden"
)

func catalog(t testing.TB) *prices.Catalog {
	t.Helper()
	c, err := prices.Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func base(id string, k graph.Kind) graph.Base { return graph.Base{ID: id, Kind: k} }

func ptr[T any](v T) *T { return &v }

// sampleGraph is a small production-like VPC in us-east-1: two public and
// two private subnets, one NAT gateway in 1a serving both private subnets
// (so 1b crosses AZs), an internet-facing ALB, an ASG of m5.large, a
// Multi-AZ MySQL, a Fargate service, a bastion with a public IP and an
// idle Elastic IP.
func sampleGraph(t testing.TB) *graph.Graph {
	t.Helper()
	g := graph.New()
	add := func(n graph.Node) {
		if d := g.Add(n); d != nil {
			t.Fatal(d)
		}
	}
	add(&graph.Subnet{Base: base("subnet-pub-a", graph.KindSubnet), AvailabilityZone: "us-east-1a", MapPublicIPOnLaunch: true})
	add(&graph.Subnet{Base: base("subnet-pub-b", graph.KindSubnet), AvailabilityZone: "us-east-1b", MapPublicIPOnLaunch: true})
	add(&graph.Subnet{Base: base("subnet-app-a", graph.KindSubnet), AvailabilityZone: "us-east-1a"})
	add(&graph.Subnet{Base: base("subnet-app-b", graph.KindSubnet), AvailabilityZone: "us-east-1b"})
	add(&graph.NATGateway{Base: base("nat-1", graph.KindNATGateway), SubnetID: "subnet-pub-a", ConnectivityType: "public", State: "available",
		Addresses: []graph.NATAddress{{AllocationID: "eipalloc-nat", PublicIP: "3.3.3.3", IsPrimary: true}}})
	add(&graph.EIP{Base: base("eipalloc-nat", graph.KindEIP), PublicIP: "3.3.3.3", NATGatewayID: "nat-1", AssociationID: "eipassoc-1"})
	add(&graph.EIP{Base: base("eipalloc-idle", graph.KindEIP), PublicIP: "4.4.4.4"})
	add(&graph.LoadBalancer{Base: base("arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/1", graph.KindLoadBalancer), Type: "application",
		Scheme: "internet-facing", SubnetIDs: []string{"subnet-pub-a", "subnet-pub-b"}})
	add(&graph.LaunchTemplate{Base: base("lt-1", graph.KindLaunchTemplate), InstanceType: "m5.large", AssociatePublicIP: ptr(false)})
	add(&graph.AutoScalingGroup{Base: base("web-asg", graph.KindAutoScalingGroup), MinSize: 2, DesiredCapacity: 2, MaxSize: 8,
		LaunchTemplateID: "lt-1", SubnetIDs: []string{"subnet-app-a", "subnet-app-b"}, Instances: []string{"i-asg1"}})
	add(&graph.Instance{Base: base("i-asg1", graph.KindInstance), InstanceType: "m5.large", State: "running", AutoScalingGroup: "web-asg", SubnetID: "subnet-app-a"})
	add(&graph.Instance{Base: base("i-bastion", graph.KindInstance), InstanceType: "t3.micro", State: "running", PublicIP: "5.5.5.5", SubnetID: "subnet-pub-a"})
	add(&graph.Instance{Base: base("i-stopped", graph.KindInstance), InstanceType: "t3.micro", State: "stopped", SubnetID: "subnet-app-a"})
	add(&graph.DBInstance{Base: base("appdb", graph.KindDBInstance), Engine: "mysql", InstanceClass: "db.t3.micro", MultiAZ: true, AllocatedStorage: 20, StorageType: "gp2"})
	add(&graph.DBInstance{Base: base("aurora-1", graph.KindDBInstance), Engine: "aurora-mysql", InstanceClass: "db.r6g.large"})
	add(&graph.ECSService{Base: base("svc", graph.KindECSService), LaunchType: "FARGATE", DesiredCount: 2, MinCount: 1, MaxCount: 3, CPU: 256, Memory: 512})
	g.Facts.Subnets = map[string]*graph.SubnetFacts{
		"subnet-pub-a": {Public: true, Egress: graph.EgressIGW},
		"subnet-pub-b": {Public: true, Egress: graph.EgressIGW},
		"subnet-app-a": {Egress: graph.EgressNAT, NATGateway: "nat-1"},
		"subnet-app-b": {Egress: graph.EgressNAT, NATGateway: "nat-1"},
	}
	return g
}

const sampleUsage = `version: "1"
resources:
  nat-1:
    internet_egress_gb: 10
  arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/1:
    new_connections_per_second: 50
    active_connections: 3000
    processed_gb_per_hour: 0.5
    rule_evaluations_per_second: 100
  subnet-app-a: {nat_gb: 50}
  subnet-app-b: {nat_gb: 100}
`

type compKey struct{ ID, Name, Detail string }

func monthlies(r *Report) map[compKey]string {
	out := map[compKey]string{}
	for _, res := range r.Resources {
		for _, c := range res.Components {
			m := DependsOnUsage
			if c.Monthly != nil {
				m = c.Monthly.StringFixed(2)
			}
			out[compKey{res.ID, c.Name, c.Detail}] = m
		}
	}
	return out
}

const albID = "arn:aws:elasticloadbalancing:us-east-1:1:loadbalancer/app/web/1"

// TestEstimateByHand checks every component against figures computed by
// hand from the us-east-1 prices (730 hours a month).
func TestEstimateByHand(t *testing.T) {
	t.Parallel()
	usage, err := ParseUsage(strings.NewReader(sampleUsage), "usage.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		usage *Usage
		want  map[compKey]string
		total string
	}{
		{
			name: "no usage",
			want: map[compKey]string{
				{"nat-1", CompNATHours, ""}: "32.85", // 730 × 0.045
				{"nat-1", CompNATData, ""}:  DependsOnUsage,
				{"nat-1", CompCrossAZ, "subnet-app-b us-east-1b → us-east-1a (each direction)"}: DependsOnUsage,
				{"eipalloc-nat", CompPublicIPv4, "3.3.3.3"}:                                     "3.65", // 730 × 0.005
				{"eipalloc-idle", CompIdlePublicIPv4, "4.4.4.4"}:                                "3.65",
				{"i-bastion", CompCompute, "t3.micro × 1"}:                                      "7.59", // 730 × 0.0104 = 7.592
				{"i-bastion", CompPublicIPv4, ""}:                                               "3.65",
				{albID, CompLBHours, "application"}:                                             "16.43", // 730 × 0.0225 = 16.425
				{albID, CompLCU, ""}:                                                            DependsOnUsage,
				{albID, CompPublicIPv4, "2 AZ"}:                                                 "7.30",   // 2 × 730 × 0.005
				{"web-asg", CompCompute, "m5.large × 2"}:                                        "140.16", // 2 × 730 × 0.096
				{"appdb", CompDBInstance, "db.t3.micro Multi-AZ"}:                               "24.82",  // 730 × 0.034
				{"appdb", CompDBStorage, "gp2"}:                                                 "4.60",   // 20 × 0.23
				{"svc", CompFargateVCPU, "2 tasks × 0.25 vCPU"}:                                 "14.78",  // 2 × 0.25 × 730 × 0.04048 = 14.7752
				{"svc", CompFargateMemory, "2 tasks × 0.5 GB"}:                                  "3.24",   // 2 × 0.5 × 730 × 0.004445 = 3.244850
				{"aurora-1", CompAuroraInstance, "db.r6g.large aurora-mysql"}:                   "189.80", // 730 × 0.26
			},
			total: "452.52",
		},
		{
			name:  "with usage",
			usage: usage,
			want: map[compKey]string{
				{"nat-1", CompNATHours, ""}: "32.85",
				{"nat-1", CompNATData, ""}:  "6.75", // (50 + 100) GB × 0.045
				{"nat-1", CompCrossAZ, "subnet-app-b us-east-1b → us-east-1a (each direction)"}: "2.00", // 100 GB × 2 × 0.01
				{"nat-1", CompInternetEgress, ""}:                                               "0.90", // 10 GB × 0.09
				{"eipalloc-nat", CompPublicIPv4, "3.3.3.3"}:                                     "3.65",
				{"eipalloc-idle", CompIdlePublicIPv4, "4.4.4.4"}:                                "3.65",
				{"i-bastion", CompCompute, "t3.micro × 1"}:                                      "7.59",
				{"i-bastion", CompPublicIPv4, ""}:                                               "3.65",
				{albID, CompLBHours, "application"}:                                             "16.43",
				{albID, CompLCU, ""}:                                                            "11.68", // max(50/25, 3000/3000, 0.5/1, 100/1000) = 2 LCU × 730 × 0.008
				{albID, CompPublicIPv4, "2 AZ"}:                                                 "7.30",
				{"web-asg", CompCompute, "m5.large × 2"}:                                        "140.16",
				{"appdb", CompDBInstance, "db.t3.micro Multi-AZ"}:                               "24.82",
				{"appdb", CompDBStorage, "gp2"}:                                                 "4.60",
				{"svc", CompFargateVCPU, "2 tasks × 0.25 vCPU"}:                                 "14.78",
				{"svc", CompFargateMemory, "2 tasks × 0.5 GB"}:                                  "3.24",
				{"aurora-1", CompAuroraInstance, "db.r6g.large aurora-mysql"}:                   "189.80",
			},
			total: "473.85",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			rep, err := Estimate(sampleGraph(t), Options{Catalog: catalog(t), Usage: tt.usage})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, monthlies(rep)); diff != "" {
				t.Errorf("components (-want +got):\n%s", diff)
			}
			if got := rep.TotalMonthly.StringFixed(2); got != tt.total {
				t.Errorf("total = %s, want %s", got, tt.total)
			}
			if diff := cmp.Diff([]Unpriced(nil), rep.Unpriced); diff != "" {
				t.Errorf("unpriced (-want +got):\n%s", diff)
			}
			if rep.Region != "us-east-1" || rep.Currency != "USD" {
				t.Errorf("region %s currency %s", rep.Region, rep.Currency)
			}
		})
	}
}

func TestASGRange(t *testing.T) {
	t.Parallel()
	rep, err := Estimate(sampleGraph(t), Options{Catalog: catalog(t)})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string][2]string{}
	for _, r := range rep.Resources {
		if r.MonthlyMin != nil {
			got[r.ID] = [2]string{r.MonthlyMin.StringFixed(2), r.MonthlyMax.StringFixed(2)}
		}
	}
	want := map[string][2]string{
		"web-asg": {"140.16", "560.64"}, // 2 and 8 × 730 × 0.096
		"svc":     {"9.01", "27.03"},    // 1 task: 7.39 + 1.62; 3 tasks: 22.17 + 4.87 (each component rounded)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ranges (-want +got):\n%s", diff)
	}
	// The min-max total swaps each scalable resource's monthly for its bounds.
	wantMin := rep.TotalMonthly.Sub(decimal.RequireFromString("140.16")).Add(decimal.RequireFromString("140.16")).
		Sub(decimal.RequireFromString("18.02")).Add(decimal.RequireFromString("9.01"))
	if !rep.TotalMin.Equal(wantMin) {
		t.Errorf("total min = %s, want %s", rep.TotalMin, wantMin)
	}
}

func TestEstimateEURAndRegion(t *testing.T) {
	t.Parallel()
	o, err := prices.ParseOverride(strings.NewReader("currency: EUR\nrate: \"0.5\"\n"), "eur.yaml")
	if err != nil {
		t.Fatal(err)
	}
	eur, err := o.Apply(catalog(t), "eur.yaml")
	if err != nil {
		t.Fatal(err)
	}
	g := graph.New()
	g.Add(&graph.NATGateway{Base: base("nat-x", graph.KindNATGateway), SubnetID: "s", ConnectivityType: "private"})
	g.Add(&graph.Subnet{Base: base("s", graph.KindSubnet), AvailabilityZone: "eu-west-1a"})
	rep, err := Estimate(g, Options{Catalog: eur})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Region != "eu-west-1" || rep.Currency != "EUR" {
		t.Fatalf("region %s currency %s", rep.Region, rep.Currency)
	}
	// 730 × 0.048 USD × 0.5 = 17.52 EUR; a private NAT has no public address.
	if got := rep.TotalMonthly.StringFixed(2); got != "17.52" {
		t.Errorf("total = %s, want 17.52", got)
	}
}

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"unknown resource", "resources:\n  nat-nope: {gb_processed: 1}\n", "usage.yaml:2: usage for \"nat-nope\": no such resource"},
		{"negative", "resources:\n  nat-1: {gb_processed: -1}\n", "is negative"},
		{"not a number", "resources:\n  nat-1: {gb_processed: lots}\n", "is not a number"},
		{"unknown field", "resources:\n  nat-1: {gigabytes: 1}\n", "field gigabytes not found"},
		{"version", "version: \"9\"\n", "unsupported version"},
	}
	t.Run("skipped when asked", func(t *testing.T) {
		t.Parallel()
		u, err := ParseUsage(strings.NewReader("resources:\n  nat-nope: {gb_processed: 1}\n  nat-1: {gb_processed: 10}\n"), "usage.yaml")
		if err != nil {
			t.Fatal(err)
		}
		rep, err := Estimate(sampleGraph(t), Options{Catalog: catalog(t), Usage: u, SkipUnknownUsage: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := monthlies(rep)[compKey{"nat-1", CompNATData, ""}]; got != "0.45" { // 10 GB × 0.045
			t.Errorf("nat data = %s", got)
		}
	})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			u, err := ParseUsage(strings.NewReader(tt.in), "usage.yaml")
			if err == nil {
				_, err = Estimate(sampleGraph(t), Options{Catalog: catalog(t), Usage: u})
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func FuzzParseUsage(f *testing.F) {
	f.Add(sampleUsage)
	f.Add("defaults: {nat_gateway: {gb_processed: 1}}")
	f.Fuzz(func(t *testing.T, s string) {
		u, err := ParseUsage(strings.NewReader(s), "f.yaml")
		if err != nil {
			return
		}
		g := graph.New()
		_, _ = Estimate(g, Options{Catalog: prices.New("USD", "", ""), Usage: u})
	})
}

func TestCompareAndGate(t *testing.T) {
	t.Parallel()
	before, err := Estimate(sampleGraph(t), Options{Catalog: catalog(t)})
	if err != nil {
		t.Fatal(err)
	}
	g := sampleGraph(t)
	g.Add(&graph.NATGateway{Base: base("nat-2", graph.KindNATGateway), SubnetID: "subnet-pub-b", ConnectivityType: "public"})
	after, err := Estimate(g, Options{Catalog: catalog(t)})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Compare(before, after)
	if err != nil {
		t.Fatal(err)
	}
	// A second NAT: 32.85 hours + 3.65 for its address.
	want := []ResourceDiff{{ID: "nat-2", Kind: graph.KindNATGateway, Status: Added, Head: decimal.RequireFromString("36.5"), Delta: decimal.RequireFromString("36.5")}}
	if diff := cmp.Diff(want, d.Resources, cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("resources (-want +got):\n%s", diff)
	}
	if got := d.Percent.StringFixed(2); got != "8.07" { // 36.50 / 452.52
		t.Errorf("percent = %s", got)
	}
	if diff := cmp.Diff([]string{"nat-2 nat_data_processed"}, d.NewUsageDependent); diff != "" {
		t.Errorf("new usage dependent (-want +got):\n%s", diff)
	}
	gates := []struct {
		in   string
		fail bool
	}{
		{"36.50", false}, {"36.49", true}, {"5%", true}, {"8.07%", false}, {"20%", false}, {"0", true},
	}
	for _, gt := range gates {
		th, err := ParseThreshold(gt.in)
		if err != nil {
			t.Fatal(err)
		}
		if got := th.Exceeded(d); got != gt.fail {
			t.Errorf("gate %s: exceeded = %v, want %v", gt.in, got, gt.fail)
		}
	}
	for _, bad := range []string{"", "abc", "-5", "%"} {
		if _, err := ParseThreshold(bad); err == nil {
			t.Errorf("threshold %q accepted", bad)
		}
	}
	// Decreases never fail a gate.
	back, _ := Compare(after, before)
	if th, _ := ParseThreshold("0"); th.Exceeded(back) {
		t.Error("a decrease exceeded the gate")
	}
}

// checkGolden compares got with testdata/golden/name, rewriting it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	golden.Check(t, path, got)
}

func TestFormatsGolden(t *testing.T) {
	t.Parallel()
	usage, err := ParseUsage(strings.NewReader(sampleUsage), "usage.yaml")
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Estimate(sampleGraph(t), Options{Catalog: catalog(t), Usage: usage})
	if err != nil {
		t.Fatal(err)
	}
	plain, err := Estimate(sampleGraph(t), Options{Catalog: catalog(t)})
	if err != nil {
		t.Fatal(err)
	}
	ext := map[string]string{FormatTable: "txt", FormatJSON: "json", FormatCSV: "csv", FormatMarkdown: "md"}
	for _, f := range Formats() {
		t.Run(f, func(t *testing.T) {
			t.Parallel()
			for name, r := range map[string]*Report{"sample-usage": rep, "sample": plain} {
				var buf bytes.Buffer
				if err := Write(&buf, r, f); err != nil {
					t.Fatal(err)
				}
				checkGolden(t, name+"."+ext[f], buf.Bytes())
				// Deterministic: a second run writes the same bytes.
				var again bytes.Buffer
				r2, _ := Estimate(sampleGraph(t), Options{Catalog: catalog(t), Usage: map[string]*Usage{"sample-usage": usage}[name]})
				_ = Write(&again, r2, f)
				if !bytes.Equal(buf.Bytes(), again.Bytes()) {
					t.Errorf("%s %s not deterministic", name, f)
				}
			}
			d, err := Compare(plain, rep)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := WriteDiff(&buf, d, f); err != nil {
				t.Fatal(err)
			}
			checkGolden(t, "diff."+ext[f], buf.Bytes())
		})
	}
	if err := Write(&bytes.Buffer{}, rep, "yaml"); err == nil {
		t.Error("unknown format accepted")
	}
}

func mustDec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
