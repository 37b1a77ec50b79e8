package estate

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/autoscaling"
	"github.com/aws/aws-sdk-go-v2/service/ec2"
	ec2types "github.com/aws/aws-sdk-go-v2/service/ec2/types"
	elbv2 "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2"
	elbv2types "github.com/aws/aws-sdk-go-v2/service/elasticloadbalancingv2/types"
	"github.com/aws/aws-sdk-go-v2/service/rds"
	"github.com/google/go-cmp/cmp"
)

// memFS collects generated files in memory.
type memFS map[string]*bytes.Buffer

type memFile struct{ *bytes.Buffer }

func (memFile) Close() error { return nil }

func (fs memFS) create(name string) (io.WriteCloser, error) {
	if _, dup := fs[name]; dup {
		return nil, fmt.Errorf("file %s written twice", name)
	}
	b := &bytes.Buffer{}
	fs[name] = b
	return memFile{b}, nil
}

func generate(t testing.TB, opts Options) (memFS, Stats) {
	t.Helper()
	fs := memFS{}
	st, err := Generate(opts, fs.create)
	if err != nil {
		t.Fatalf("Generate(%+v): %v", opts, err)
	}
	return fs, st
}

// targetHealthFile and prefixListEntriesFile are the wrapper documents of the per-resource commands.
type targetHealthFile struct {
	TargetGroupArn string
	elbv2.DescribeTargetHealthOutput
}

type prefixListEntriesFile struct {
	PrefixListId string
	ec2.GetManagedPrefixListEntriesOutput
}

// sdkOutput returns the aws-sdk-go-v2 output type a describe file decodes into, from its name.
func sdkOutput(name string) (any, bool) {
	command := regexp.MustCompile(`(-\d{3})?\.json$`).ReplaceAllString(name, "")
	switch {
	case strings.HasPrefix(command, "elbv2-describe-target-health-"):
		return &targetHealthFile{}, true
	case strings.HasPrefix(command, "ec2-get-managed-prefix-list-entries-"):
		return &prefixListEntriesFile{}, true
	case strings.HasPrefix(command, "elbv2-describe-listeners"):
		return &elbv2.DescribeListenersOutput{}, true
	}
	outputs := map[string]func() any{
		"ec2-describe-vpcs":                          func() any { return &ec2.DescribeVpcsOutput{} },
		"ec2-describe-subnets":                       func() any { return &ec2.DescribeSubnetsOutput{} },
		"ec2-describe-route-tables":                  func() any { return &ec2.DescribeRouteTablesOutput{} },
		"ec2-describe-internet-gateways":             func() any { return &ec2.DescribeInternetGatewaysOutput{} },
		"ec2-describe-egress-only-internet-gateways": func() any { return &ec2.DescribeEgressOnlyInternetGatewaysOutput{} },
		"ec2-describe-nat-gateways":                  func() any { return &ec2.DescribeNatGatewaysOutput{} },
		"ec2-describe-addresses":                     func() any { return &ec2.DescribeAddressesOutput{} },
		"ec2-describe-network-acls":                  func() any { return &ec2.DescribeNetworkAclsOutput{} },
		"ec2-describe-security-groups":               func() any { return &ec2.DescribeSecurityGroupsOutput{} },
		"ec2-describe-security-group-rules":          func() any { return &ec2.DescribeSecurityGroupRulesOutput{} },
		"ec2-describe-managed-prefix-lists":          func() any { return &ec2.DescribeManagedPrefixListsOutput{} },
		"ec2-describe-instances":                     func() any { return &ec2.DescribeInstancesOutput{} },
		"ec2-describe-network-interfaces":            func() any { return &ec2.DescribeNetworkInterfacesOutput{} },
		"ec2-describe-launch-templates":              func() any { return &ec2.DescribeLaunchTemplatesOutput{} },
		"ec2-describe-launch-template-versions":      func() any { return &ec2.DescribeLaunchTemplateVersionsOutput{} },
		"ec2-describe-vpc-endpoints":                 func() any { return &ec2.DescribeVpcEndpointsOutput{} },
		"ec2-describe-vpc-peering-connections":       func() any { return &ec2.DescribeVpcPeeringConnectionsOutput{} },
		"elbv2-describe-load-balancers":              func() any { return &elbv2.DescribeLoadBalancersOutput{} },
		"elbv2-describe-target-groups":               func() any { return &elbv2.DescribeTargetGroupsOutput{} },
		"autoscaling-describe-auto-scaling-groups":   func() any { return &autoscaling.DescribeAutoScalingGroupsOutput{} },
		"autoscaling-describe-policies":              func() any { return &autoscaling.DescribePoliciesOutput{} },
		"rds-describe-db-instances":                  func() any { return &rds.DescribeDBInstancesOutput{} },
		"rds-describe-db-subnet-groups":              func() any { return &rds.DescribeDBSubnetGroupsOutput{} },
		"rds-describe-db-clusters":                   func() any { return &rds.DescribeDBClustersOutput{} },
		"ec2-describe-transit-gateway-attachments":   func() any { return &ec2.DescribeTransitGatewayAttachmentsOutput{} },
	}
	f, ok := outputs[command]
	if !ok {
		return nil, false
	}
	return f(), true
}

// decodeStrict decodes data into v, failing on any field the SDK type does not have.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return fmt.Errorf("trailing data")
	}
	return nil
}

// decoded is an estate read back through the SDK types.
type decoded struct {
	vpcs        []ec2types.Vpc
	subnets     []ec2types.Subnet
	routeTables []ec2types.RouteTable
	nats        []ec2types.NatGateway
	addresses   []ec2types.Address
	nacls       []ec2types.NetworkAcl
	sgs         []ec2types.SecurityGroup
	sgRules     []ec2types.SecurityGroupRule
	instances   []ec2types.Instance
	enis        []ec2types.NetworkInterface
	ltVersions  []ec2types.LaunchTemplateVersion
	lbs         []elbv2types.LoadBalancer
	listeners   []elbv2types.Listener
	tgs         []elbv2types.TargetGroup
	health      map[string][]elbv2types.TargetHealthDescription
	asgs        int
	policies    int
	dbs         int
	dbGroups    int
	ltCount     int
	igws        int
	prefixLists int
}

func decodeAll(t *testing.T, fs memFS) decoded {
	t.Helper()
	var d decoded
	d.health = map[string][]elbv2types.TargetHealthDescription{}
	for _, name := range slices.Sorted(maps.Keys(fs)) {
		v, ok := sdkOutput(name)
		if !ok {
			t.Errorf("%s: no SDK output type for this file name", name)
			continue
		}
		if err := decodeStrict(fs[name].Bytes(), v); err != nil {
			t.Errorf("%s: does not decode into %T: %v", name, v, err)
			continue
		}
		switch o := v.(type) {
		case *ec2.DescribeVpcsOutput:
			d.vpcs = append(d.vpcs, o.Vpcs...)
		case *ec2.DescribeSubnetsOutput:
			d.subnets = append(d.subnets, o.Subnets...)
		case *ec2.DescribeRouteTablesOutput:
			d.routeTables = append(d.routeTables, o.RouteTables...)
		case *ec2.DescribeInternetGatewaysOutput:
			d.igws += len(o.InternetGateways)
		case *ec2.DescribeNatGatewaysOutput:
			d.nats = append(d.nats, o.NatGateways...)
		case *ec2.DescribeAddressesOutput:
			d.addresses = append(d.addresses, o.Addresses...)
		case *ec2.DescribeNetworkAclsOutput:
			d.nacls = append(d.nacls, o.NetworkAcls...)
		case *ec2.DescribeSecurityGroupsOutput:
			d.sgs = append(d.sgs, o.SecurityGroups...)
		case *ec2.DescribeSecurityGroupRulesOutput:
			d.sgRules = append(d.sgRules, o.SecurityGroupRules...)
		case *ec2.DescribeManagedPrefixListsOutput:
			d.prefixLists += len(o.PrefixLists)
		case *ec2.DescribeInstancesOutput:
			for _, r := range o.Reservations {
				d.instances = append(d.instances, r.Instances...)
			}
		case *ec2.DescribeNetworkInterfacesOutput:
			d.enis = append(d.enis, o.NetworkInterfaces...)
		case *ec2.DescribeLaunchTemplatesOutput:
			d.ltCount += len(o.LaunchTemplates)
		case *ec2.DescribeLaunchTemplateVersionsOutput:
			d.ltVersions = append(d.ltVersions, o.LaunchTemplateVersions...)
		case *elbv2.DescribeLoadBalancersOutput:
			d.lbs = append(d.lbs, o.LoadBalancers...)
		case *elbv2.DescribeListenersOutput:
			d.listeners = append(d.listeners, o.Listeners...)
		case *elbv2.DescribeTargetGroupsOutput:
			d.tgs = append(d.tgs, o.TargetGroups...)
		case *targetHealthFile:
			d.health[o.TargetGroupArn] = o.TargetHealthDescriptions
		case *autoscaling.DescribeAutoScalingGroupsOutput:
			d.asgs += len(o.AutoScalingGroups)
		case *autoscaling.DescribePoliciesOutput:
			d.policies += len(o.ScalingPolicies)
		case *rds.DescribeDBInstancesOutput:
			d.dbs += len(o.DBInstances)
		case *rds.DescribeDBSubnetGroupsOutput:
			d.dbGroups += len(o.DBSubnetGroups)
		}
	}
	return d
}

func TestGenerateDecodesIntoSDKTypes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		opts      Options
		wantVPCs  int
		wantFiles []string // files that must exist
	}{
		{
			name:      "one instance",
			opts:      Options{Instances: 1, Seed: 7},
			wantVPCs:  1,
			wantFiles: []string{"ec2-describe-instances.json", "ec2-describe-vpcs.json"},
		},
		{
			name:     "split files",
			opts:     Options{Instances: 450, Seed: 3, ItemsPerFile: 200},
			wantVPCs: 1,
			wantFiles: []string{
				"ec2-describe-instances-001.json", "ec2-describe-instances-002.json", "ec2-describe-instances-003.json",
				"ec2-describe-network-interfaces-003.json",
			},
		},
		{
			name:      "two VPCs in another region",
			opts:      Options{Instances: 2600, Seed: 11, Region: "eu-west-2", Account: "210987654321"},
			wantVPCs:  2,
			wantFiles: []string{"elbv2-describe-listeners.json", "rds-describe-db-subnet-groups.json"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fs, st := generate(t, tt.opts)
			for _, f := range tt.wantFiles {
				if _, ok := fs[f]; !ok {
					t.Errorf("missing file %s; have %v", f, slices.Sorted(maps.Keys(fs)))
				}
			}
			d := decodeAll(t, fs)
			var total int64
			for _, b := range fs {
				total += int64(b.Len())
			}
			got := Stats{
				Files: len(fs), Bytes: total,
				VPCs: len(d.vpcs), Subnets: len(d.subnets), RouteTables: len(d.routeTables),
				InternetGateways: d.igws, NATGateways: len(d.nats), Addresses: len(d.addresses),
				NetworkACLs: len(d.nacls), SecurityGroups: len(d.sgs), SecurityGroupRules: len(d.sgRules),
				PrefixLists: d.prefixLists, Instances: len(d.instances), NetworkInterfaces: len(d.enis),
				LaunchTemplates: d.ltCount, LoadBalancers: len(d.lbs), Listeners: len(d.listeners),
				TargetGroups: len(d.tgs), AutoScalingGroups: d.asgs, ScalingPolicies: d.policies,
				DBInstances: d.dbs, DBSubnetGroups: d.dbGroups,
			}
			if diff := cmp.Diff(st, got); diff != "" {
				t.Errorf("Stats differ from what the files hold (-stats +files):\n%s", diff)
			}
			if got.Instances != tt.opts.Instances {
				t.Errorf("instances = %d, want %d", got.Instances, tt.opts.Instances)
			}
			if got.VPCs != tt.wantVPCs {
				t.Errorf("VPCs = %d, want %d", got.VPCs, tt.wantVPCs)
			}
			if got.Subnets != 9*got.VPCs {
				t.Errorf("subnets = %d, want 9 per VPC (%d)", got.Subnets, 9*got.VPCs)
			}
			region := tt.opts.Region
			if region == "" {
				region = DefaultRegion
			}
			for _, s := range d.subnets {
				if !strings.HasPrefix(*s.AvailabilityZone, region) {
					t.Errorf("subnet %s in %s, want region %s", *s.SubnetId, *s.AvailabilityZone, region)
				}
			}
		})
	}
}

// TestReferencesResolve checks that every id one resource names is a resource of the estate, and
// that ids are unique.
func TestReferencesResolve(t *testing.T) {
	t.Parallel()
	fs, _ := generate(t, Options{Instances: 2300, Seed: 5})
	d := decodeAll(t, fs)

	ids := map[string]string{} // id → kind
	add := func(kind, id string) {
		t.Helper()
		if prev, dup := ids[id]; dup {
			t.Errorf("id %s used by a %s and a %s", id, prev, kind)
		}
		ids[id] = kind
	}
	for _, v := range d.vpcs {
		add("vpc", *v.VpcId)
	}
	for _, s := range d.subnets {
		add("subnet", *s.SubnetId)
	}
	for _, r := range d.routeTables {
		add("route table", *r.RouteTableId)
	}
	for _, n := range d.nats {
		add("nat", *n.NatGatewayId)
	}
	for _, sg := range d.sgs {
		add("security group", *sg.GroupId)
	}
	for _, i := range d.instances {
		add("instance", *i.InstanceId)
	}
	for _, e := range d.enis {
		add("eni", *e.NetworkInterfaceId)
	}
	for _, r := range d.sgRules {
		add("rule", *r.SecurityGroupRuleId)
	}
	for _, tg := range d.tgs {
		add("target group", *tg.TargetGroupArn)
	}
	for _, lb := range d.lbs {
		add("load balancer", *lb.LoadBalancerArn)
	}
	want := func(kind, id, where string) {
		t.Helper()
		if ids[id] != kind {
			t.Errorf("%s names %s %q, which is %q", where, kind, id, ids[id])
		}
	}
	for _, s := range d.subnets {
		want("vpc", *s.VpcId, "subnet "+*s.SubnetId)
	}
	for _, r := range d.routeTables {
		for _, a := range r.Associations {
			if a.SubnetId != nil {
				want("subnet", *a.SubnetId, "route table "+*r.RouteTableId)
			}
		}
		for _, rt := range r.Routes {
			if rt.NatGatewayId != nil {
				want("nat", *rt.NatGatewayId, "route table "+*r.RouteTableId)
			}
		}
	}
	for _, sg := range d.sgs {
		for _, p := range append(sg.IpPermissions, sg.IpPermissionsEgress...) {
			for _, pair := range p.UserIdGroupPairs {
				want("security group", *pair.GroupId, "security group "+*sg.GroupId)
			}
		}
	}
	for _, i := range d.instances {
		want("subnet", *i.SubnetId, "instance "+*i.InstanceId)
		want("vpc", *i.VpcId, "instance "+*i.InstanceId)
		for _, g := range i.SecurityGroups {
			want("security group", *g.GroupId, "instance "+*i.InstanceId)
		}
		for _, e := range i.NetworkInterfaces {
			want("eni", *e.NetworkInterfaceId, "instance "+*i.InstanceId)
		}
	}
	for _, e := range d.enis {
		want("subnet", *e.SubnetId, "eni "+*e.NetworkInterfaceId)
		if e.Attachment != nil && e.Attachment.InstanceId != nil {
			want("instance", *e.Attachment.InstanceId, "eni "+*e.NetworkInterfaceId)
		}
	}
	for _, lb := range d.lbs {
		for _, g := range lb.SecurityGroups {
			want("security group", g, "load balancer "+*lb.LoadBalancerName)
		}
	}
	for _, l := range d.listeners {
		want("load balancer", *l.LoadBalancerArn, "listener "+*l.ListenerArn)
		for _, a := range l.DefaultActions {
			if a.TargetGroupArn != nil {
				want("target group", *a.TargetGroupArn, "listener "+*l.ListenerArn)
			}
		}
	}
	if len(d.health) != len(d.tgs) {
		t.Errorf("target health files for %d target groups, want %d", len(d.health), len(d.tgs))
	}
	registered := 0
	for arn, descs := range d.health {
		want("target group", arn, "target health")
		for _, th := range descs {
			want("instance", *th.Target.Id, "target health of "+arn)
			registered++
		}
	}
	if registered == 0 {
		t.Error("no target is registered in any target group")
	}
	// Every private subnet reaches a NAT; private addresses stay inside their subnet.
	for _, e := range d.enis {
		if !strings.HasPrefix(*e.PrivateIpAddress, "10.") {
			t.Errorf("eni %s has private address %s outside 10.0.0.0/8", *e.NetworkInterfaceId, *e.PrivateIpAddress)
		}
	}
}

// TestMistakesPresent checks the estate holds what the analyzer should flag and what it should not.
// It reads the model rather than the files (TestGenerateDecodesIntoSDKTypes covers the files).
func TestMistakesPresent(t *testing.T) {
	t.Parallel()
	m, err := build(Options{Instances: 4000, Seed: 1, Region: DefaultRegion, Account: DefaultAccount, ItemsPerFile: DefaultItemsPerFile})
	if err != nil {
		t.Fatal(err)
	}
	count := map[string]int{}
	for _, sg := range m.sgs {
		for _, p := range sg.IPPermissions {
			for _, r := range p.IPRanges {
				if r.CidrIP != "0.0.0.0/0" {
					continue
				}
				switch {
				case p.IPProtocol == "-1":
					count["all traffic from anywhere"]++
				case *p.FromPort == 22:
					count["ssh from anywhere"]++
				case *p.FromPort == 3306 || *p.FromPort == 5432:
					count["database from anywhere"]++
				case *p.FromPort == 443:
					count["https from anywhere"]++
				}
			}
			if len(p.PrefixListIDs) > 0 {
				count["prefix list source"]++
			}
			if len(p.UserIDGroupPairs) > 0 {
				count["group source"]++
			}
		}
	}
	for _, p := range m.instances {
		if !p.running {
			count["stopped instance"]++
		}
		if p.publicIP != 0 {
			count["public instance"]++
		}
	}
	for _, a := range m.addresses {
		if a.AssociationID == "" {
			count["idle elastic ip"]++
		}
	}
	for _, lb := range m.lbs {
		count["scheme "+lb.Scheme]++
	}
	for _, db := range m.dbs {
		if db.PubliclyAccessible {
			count["public database"]++
		}
	}
	for _, key := range []string{
		"all traffic from anywhere", "ssh from anywhere", "database from anywhere", "https from anywhere",
		"prefix list source", "group source", "stopped instance", "public instance", "idle elastic ip",
		"scheme internet-facing", "scheme internal", "public database",
	} {
		if count[key] == 0 {
			t.Errorf("estate of 4,000 instances holds no %q; counts: %v", key, count)
		}
	}
	if count["public instance"] > len(m.instances)/10 {
		t.Errorf("%d of %d instances are public, want a few", count["public instance"], len(m.instances))
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	a, _ := generate(t, Options{Instances: 700, Seed: 42, ItemsPerFile: 300})
	b, _ := generate(t, Options{Instances: 700, Seed: 42, ItemsPerFile: 300})
	c, _ := generate(t, Options{Instances: 700, Seed: 43, ItemsPerFile: 300})
	if diff := cmp.Diff(slices.Sorted(maps.Keys(a)), slices.Sorted(maps.Keys(b))); diff != "" {
		t.Fatalf("same seed, different files:\n%s", diff)
	}
	for name := range a {
		if !bytes.Equal(a[name].Bytes(), b[name].Bytes()) {
			t.Errorf("same seed, %s differs", name)
		}
	}
	if bytes.Equal(a["ec2-describe-instances-001.json"].Bytes(), c["ec2-describe-instances-001.json"].Bytes()) {
		t.Error("seeds 42 and 43 give the same instances")
	}
}

func TestLayoutMatchesCLI(t *testing.T) {
	t.Parallel()
	fs, _ := generate(t, Options{Instances: 3, Seed: 1})
	tests := []struct {
		file, prefix string
	}{
		{"ec2-describe-vpcs.json", "{\n    \"Vpcs\": [\n        {\n            \"OwnerId\": \"123456789012\",\n"},
		{"rds-describe-db-instances.json", "{\n    \"DBInstances\": [\n        {\n            \"DBInstanceIdentifier\": "},
	}
	for _, tt := range tests {
		got := fs[tt.file].String()
		if !strings.HasPrefix(got, tt.prefix) {
			t.Errorf("%s starts %q, want %q", tt.file, got[:min(len(got), len(tt.prefix))], tt.prefix)
		}
		if !strings.HasSuffix(got, "\n    ]\n}\n") {
			t.Errorf("%s does not end like the CLI's output: %q", tt.file, got[max(0, len(got)-20):])
		}
	}
	// A small estate with a list the generator has nothing for prints an empty list as the CLI does.
	fs, _ = generate(t, Options{Instances: 1, Seed: 1})
	if got, want := fs["autoscaling-describe-auto-scaling-groups.json"].String(), "{\n    \"AutoScalingGroups\": []\n}\n"; got != want {
		t.Errorf("empty list printed %q, want %q", got, want)
	}
}

func TestOptionsRejected(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		opts Options
		want string
	}{
		{"no instances", Options{}, "instances must be at least 1"},
		{"negative instances", Options{Instances: -3}, "instances must be at least 1"},
		{"negative per file", Options{Instances: 1, ItemsPerFile: -1}, "items per file must not be negative"},
		{"short account", Options{Instances: 1, Account: "1234"}, "account id must have 12 digits"},
		{"letters in account", Options{Instances: 1, Account: "12345678901x"}, "account id must have 12 digits"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Generate(tt.opts, memFS{}.create)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Generate(%+v) error = %v, want one containing %q", tt.opts, err, tt.want)
			}
		})
	}
}

func TestCreateErrorStopsGeneration(t *testing.T) {
	t.Parallel()
	calls := 0
	_, err := Generate(Options{Instances: 5}, func(name string) (io.WriteCloser, error) {
		calls++
		return nil, fmt.Errorf("disk full")
	})
	if err == nil || !strings.Contains(err.Error(), "disk full") || !strings.Contains(err.Error(), "ec2-describe-vpcs.json") {
		t.Errorf("error = %v, want the create error naming the file", err)
	}
	if calls != 1 {
		t.Errorf("create called %d times after failing, want 1", calls)
	}
}

func TestWrite(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "estate")
	st, err := Write(dir, Options{Instances: 120, Seed: 9, ItemsPerFile: 50})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		total += info.Size()
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if !json.Valid(data) {
			t.Errorf("%s is not valid JSON", e.Name())
		}
	}
	if len(entries) != st.Files || total != st.Bytes {
		t.Errorf("dir holds %d files, %d bytes; Stats says %d files, %d bytes", len(entries), total, st.Files, st.Bytes)
	}
	mem, _ := generate(t, Options{Instances: 120, Seed: 9, ItemsPerFile: 50})
	for name, b := range mem {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("Write did not write %s: %v", name, err)
			continue
		}
		if !bytes.Equal(data, b.Bytes()) {
			t.Errorf("%s on disk differs from Generate's", name)
		}
	}
}

// TestFixturesDecodeIntoSDKTypes checks the moto fixtures the generator is modelled on hold the
// same shapes: every file decodes into its SDK output type with unknown fields disallowed.
func TestFixturesDecodeIntoSDKTypes(t *testing.T) {
	t.Parallel()
	dirs, err := filepath.Glob(filepath.Join("..", "..", "testdata", "describe", "*", "ec2-describe-vpcs.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) == 0 {
		t.Skip("no fixtures under testdata/describe")
	}
	for _, vpcs := range dirs {
		dir := filepath.Dir(vpcs)
		t.Run(filepath.Base(dir), func(t *testing.T) {
			t.Parallel()
			files, err := filepath.Glob(filepath.Join(dir, "*.json"))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range files {
				v, ok := sdkOutput(filepath.Base(f))
				if !ok {
					t.Errorf("%s: no SDK output type for this file name", f)
					continue
				}
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				if err := decodeStrict(data, v); err != nil {
					t.Errorf("%s: %v", f, err)
				}
			}
		})
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			var bytes int64
			for b.Loop() {
				st, err := Generate(Options{Instances: n, Seed: 1}, func(string) (io.WriteCloser, error) {
					return nopCloser{io.Discard}, nil
				})
				if err != nil {
					b.Fatal(err)
				}
				bytes = st.Bytes
			}
			b.SetBytes(bytes)
		})
	}
}

type nopCloser struct{ io.Writer }

func (nopCloser) Close() error { return nil }

func TestIndentMatchesStdlib(t *testing.T) {
	t.Parallel()
	tests := []string{
		`{}`,
		`[]`,
		`{"a":1}`,
		`{"a":[],"b":{},"c":[{}],"d":[[]]}`,
		`{"s":"x, y: {z} [w]","e":"quote \" and backslash \\ and \\\" mix","u":"\u00e9\u2028"}`,
		`[1,-2.5e3,true,false,null,"a"]`,
		`{"k":{"n":{"m":[1,{"x":"y"}]}},"last":""}`,
		`"just a string with \\"`,
	}
	for _, src := range tests {
		for _, prefix := range []string{"", "        "} {
			var want bytes.Buffer
			if err := json.Indent(&want, []byte(src), prefix, "    "); err != nil {
				t.Fatalf("json.Indent(%s): %v", src, err)
			}
			if diff := cmp.Diff(want.String(), string(indent(nil, []byte(src), prefix))); diff != "" {
				t.Errorf("indent(%s, %q) differs from json.Indent (-want +got):\n%s", src, prefix, diff)
			}
		}
	}
}

// TestFilesAreIndentedJSON checks every generated file is exactly what json.Indent makes of it.
func TestFilesAreIndentedJSON(t *testing.T) {
	t.Parallel()
	fs, _ := generate(t, Options{Instances: 60, Seed: 2, ItemsPerFile: 25})
	for name, b := range fs {
		var compact, want bytes.Buffer
		if err := json.Compact(&compact, b.Bytes()); err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if err := json.Indent(&want, compact.Bytes(), "", "    "); err != nil {
			t.Fatal(err)
		}
		want.WriteByte('\n')
		if diff := cmp.Diff(want.String(), b.String()); diff != "" {
			t.Errorf("%s is not laid out as json.Indent would (-want +got):\n%s", name, diff)
		}
	}
}
