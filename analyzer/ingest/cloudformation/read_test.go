package cloudformation

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// rangeType is ignored when comparing rules: positions are tested apart.
var rangeType = reflect.TypeOf(graph.Range{})

// read evaluates a template given as text.
func read(t *testing.T, name, text string, opts Options) *graph.Graph {
	t.Helper()
	g := ReadTemplate(context.Background(), name, []byte(text), opts)
	if g == nil {
		t.Fatal("ReadTemplate returned nil")
	}
	return g
}

func nodeOf[T graph.Node](t *testing.T, g *graph.Graph, id string) T {
	t.Helper()
	n, ok := graph.Get[T](g, id)
	if !ok {
		var ids []string
		for _, n := range g.Nodes() {
			ids = append(ids, n.Meta().ID)
		}
		t.Fatalf("no %T %q in the graph (have %v)", n, id, ids)
	}
	return n
}

func diagnostics(g *graph.Graph, sev graph.Severity) string {
	var out []string
	for _, d := range g.Diagnostics {
		if d.Severity == sev {
			out = append(out, d.Error())
		}
	}
	return strings.Join(out, "\n")
}

// posOf returns the 1-based line and byte column of the n-th occurrence
// (0-based) of needle in text.
func posOf(t *testing.T, text, needle string, n int) graph.Pos {
	t.Helper()
	off := -1
	for i := 0; i <= n; i++ {
		j := strings.Index(text[off+1:], needle)
		if j < 0 {
			t.Fatalf("%q not found %d times", needle, n+1)
		}
		off += 1 + j
	}
	line := strings.Count(text[:off], "\n") + 1
	col := off - strings.LastIndex(text[:off], "\n")
	return graph.Pos{Line: line, Column: col, Byte: off}
}

func TestSecurityGroupSemantics(t *testing.T) {
	t.Parallel()
	g := read(t, "sg.yaml", `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  NoEgress:
    Type: AWS::EC2::SecurityGroup
    Properties: {GroupDescription: a, VpcId: !Ref Vpc}
  InlineEgress:
    Type: AWS::EC2::SecurityGroup
    Properties:
      GroupDescription: b
      VpcId: !Ref Vpc
      SecurityGroupEgress:
        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}
  StandaloneEgress:
    Type: AWS::EC2::SecurityGroupEgress
    Properties: {GroupId: !Ref NoEgress, IpProtocol: "6", FromPort: 5432, ToPort: 5432, DestinationSecurityGroupId: !Ref InlineEgress}
  StandaloneIngress:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: !GetAtt InlineEgress.GroupId, IpProtocol: -1, SourcePrefixListId: pl-12345678}
  Orphan:
    Type: AWS::EC2::SecurityGroupIngress
    Properties: {GroupId: sg-0123456789abcdef0, IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 0.0.0.0/0}
`, Options{})
	allEgress := graph.SGRule{Protocol: "-1", FromPort: -1, ToPort: -1, PeerKind: graph.PeerCIDR, Peer: "0.0.0.0/0"}
	ignoreRanges := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().Type() == rangeType }, cmp.Ignore())
	// No SecurityGroupEgress: AWS's allow-all rule, and a standalone egress
	// resource adds to it rather than replacing it.
	want := []graph.SGRule{allEgress, {ID: "StandaloneEgress", Protocol: "tcp", FromPort: 5432, ToPort: 5432, PeerKind: graph.PeerSG, Peer: "InlineEgress"}}
	if diff := cmp.Diff(want, nodeOf[*graph.SecurityGroup](t, g, "NoEgress").Egress, ignoreRanges); diff != "" {
		t.Errorf("NoEgress egress (-want +got):\n%s", diff)
	}
	inline := nodeOf[*graph.SecurityGroup](t, g, "InlineEgress")
	if diff := cmp.Diff([]graph.SGRule{{Protocol: "tcp", FromPort: 443, ToPort: 443, PeerKind: graph.PeerCIDR, Peer: "0.0.0.0/0"}}, inline.Egress, ignoreRanges); diff != "" {
		t.Errorf("inline egress replaces the default (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]graph.SGRule{{ID: "StandaloneIngress", Protocol: "-1", FromPort: -1, ToPort: -1, PeerKind: graph.PeerPrefixList, Peer: "pl-12345678"}}, inline.Ingress, ignoreRanges); diff != "" {
		t.Errorf("standalone ingress merged (-want +got):\n%s", diff)
	}
	if w := diagnostics(g, graph.SeverityWarning); !strings.Contains(w, "sg-0123456789abcdef0 is not defined") {
		t.Errorf("orphan rule not reported: %s", w)
	}
	def := nodeOf[*graph.SecurityGroup](t, g, "Vpc/DefaultSecurityGroup")
	if !def.IsDefault() || len(def.Ingress) != 1 || def.Ingress[0].Peer != def.ID {
		t.Errorf("default security group = %+v", def)
	}
}

func TestVPCDefaults(t *testing.T) {
	t.Parallel()
	g := read(t, "vpc.yaml", `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  A: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}}
  B: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.2.0/24, AvailabilityZone: us-east-1b, MapPublicIpOnLaunch: "true"}}
  Acl: {Type: AWS::EC2::NetworkAcl, Properties: {VpcId: !Ref Vpc}}
  AclB: {Type: AWS::EC2::SubnetNetworkAclAssociation, Properties: {SubnetId: !Ref B, NetworkAclId: !Ref Acl}}
  Rt: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc}}
`, Options{})
	main := nodeOf[*graph.RouteTable](t, g, "Vpc/MainRouteTable")
	if !main.Main || main.VPCID != "Vpc" || len(main.Routes) != 1 || main.Routes[0].TargetKind != graph.TargetLocal || main.Routes[0].DestinationCIDR != "10.0.0.0/16" {
		t.Errorf("main route table = %+v", main)
	}
	if rt := nodeOf[*graph.RouteTable](t, g, "Rt"); len(rt.Routes) != 1 || rt.Routes[0].TargetKind != graph.TargetLocal {
		t.Errorf("a route table starts with the local route: %+v", rt.Routes)
	}
	acl := nodeOf[*graph.NetworkACL](t, g, "Vpc/DefaultNetworkAcl")
	if !acl.IsDefault || !cmp.Equal(acl.SubnetIDs, []string{"A"}) {
		t.Errorf("default ACL covers the subnets without an explicit ACL: %+v", acl.SubnetIDs)
	}
	var allows []bool
	for _, e := range acl.Entries {
		allows = append(allows, e.Allow)
	}
	if !cmp.Equal(allows, []bool{true, false, true, false}) {
		t.Errorf("default ACL entries = %+v", acl.Entries)
	}
	if got := nodeOf[*graph.NetworkACL](t, g, "Acl"); !cmp.Equal(got.SubnetIDs, []string{"B"}) || len(got.Entries) != 2 || got.Entries[0].Allow {
		t.Errorf("explicit ACL = %+v", got)
	}
	if !nodeOf[*graph.Subnet](t, g, "B").MapPublicIPOnLaunch || nodeOf[*graph.Subnet](t, g, "A").MapPublicIPOnLaunch {
		t.Error("MapPublicIpOnLaunch misread")
	}
}

func TestComputeSemantics(t *testing.T) {
	t.Parallel()
	g := read(t, "compute.yaml", `
Conditions:
  Never: !Equals [a, b]
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Sub: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}}
  Alb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Subnets: [!Ref Sub]}
  Internal:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties: {Scheme: internal, Type: network, Subnets: [!Ref Sub]}
  Tg: {Type: AWS::ElasticLoadBalancingV2::TargetGroup, Properties: {Port: 80, Protocol: HTTP, VpcId: !Ref Vpc, TargetType: ip}}
  Listener:
    Type: AWS::ElasticLoadBalancingV2::Listener
    Properties:
      LoadBalancerArn: !Ref Alb
      Port: 80
      Protocol: HTTP
      DefaultActions: [{Type: forward, ForwardConfig: {TargetGroups: [{TargetGroupArn: !Ref Tg}]}}]
  Task: {Type: AWS::ECS::TaskDefinition, Properties: {Cpu: "512", Memory: "1024", RequiresCompatibilities: [FARGATE]}}
  Svc:
    Type: AWS::ECS::Service
    Properties:
      TaskDefinition: !Ref Task
      DesiredCount: 2
      NetworkConfiguration:
        AwsvpcConfiguration: {Subnets: [!Ref Sub], AssignPublicIp: ENABLED}
      LoadBalancers: [{TargetGroupArn: !Ref Tg, ContainerName: web, ContainerPort: 8080}]
  Target:
    Type: AWS::ApplicationAutoScaling::ScalableTarget
    Properties:
      ServiceNamespace: ecs
      ScalableDimension: ecs:service:DesiredCount
      ResourceId: !Sub service/default/${Svc.Name}
      MinCapacity: 2
      MaxCapacity: 6
  Policy:
    Type: AWS::ApplicationAutoScaling::ScalingPolicy
    Properties:
      PolicyName: cpu
      PolicyType: TargetTrackingScaling
      ScalingTargetId: !Ref Target
      TargetTrackingScalingPolicyConfiguration:
        TargetValue: 60
        ScaleOutCooldown: 30
        PredefinedMetricSpecification: {PredefinedMetricType: ECSServiceAverageCPUUtilization}
  Gone:
    Type: AWS::EC2::Instance
    Condition: Never
    Properties: {SubnetId: !Ref Sub, ImageId: ami-1}
`, Options{})
	if lb := nodeOf[*graph.LoadBalancer](t, g, "Alb"); lb.Scheme != "internet-facing" || lb.Type != "application" || lb.VPCID != "Vpc" || !cmp.Equal(lb.AvailabilityZones, []string{"us-east-1a"}) {
		t.Errorf("ALB defaults: %+v", lb)
	}
	if lb := nodeOf[*graph.LoadBalancer](t, g, "Internal"); lb.Scheme != "internal" || lb.Type != "network" {
		t.Errorf("NLB: %+v", lb)
	}
	if tg := nodeOf[*graph.TargetGroup](t, g, "Tg"); !cmp.Equal(tg.LoadBalancerARNs, []string{"Alb"}) {
		t.Errorf("target group load balancers = %v", tg.LoadBalancerARNs)
	}
	svc := nodeOf[*graph.ECSService](t, g, "Svc")
	want := &graph.ECSService{Base: svc.Base, Cluster: "default", LaunchType: "FARGATE", DesiredCount: 2, MinCount: 2, MaxCount: 6,
		SubnetIDs: []string{"Sub"}, SecurityGroups: []string{"Vpc/DefaultSecurityGroup"}, AssignPublicIP: true, CPU: 512, Memory: 1024,
		LoadBalancers: []graph.ECSLoadBalancer{{TargetGroupARN: "Tg", ContainerName: "web", ContainerPort: 8080}},
		Policies:      []graph.ScalingPolicy{{Name: "cpu", PolicyType: "TargetTrackingScaling", MetricType: "ECSServiceAverageCPUUtilization", TargetValue: 60, Cooldown: 30, Enabled: true}}}
	if diff := cmp.Diff(want, svc, cmp.FilterPath(func(p cmp.Path) bool { return p.Last().Type() == rangeType }, cmp.Ignore())); diff != "" {
		t.Errorf("ECS service (-want +got):\n%s", diff)
	}
	if g.Node("Gone") != nil {
		t.Error("a resource whose condition is false was read")
	}
}

func TestPositionsYAML(t *testing.T) {
	t.Parallel()
	path := filepath.Join(repoRoot, "examples", "cloudformation", "production.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	g := ReadTemplate(context.Background(), path, data, Options{})
	db := nodeOf[*graph.DBInstance](t, g, "prod-db")
	checkRange(t, "prod-db publicly_accessible", text, db.AttrRange("publicly_accessible"), "PubliclyAccessible: false", 0)
	checkRange(t, "prod-db multi_az", text, db.AttrRange("multi_az"), "MultiAZ: !If [IsProduction, true, false]", 0)
	if start := posOf(t, text, "  Database:\n", 0); db.Source.Range.Start.Line != start.Line+1-1 && db.Source.Range.Start.Line != start.Line {
		t.Errorf("prod-db starts at %v, want line %d", db.Source.Range, start.Line)
	}
	sub := nodeOf[*graph.Subnet](t, g, "PublicSubnetA")
	checkRange(t, "subnet map_public_ip_on_launch", text, sub.AttrRange("map_public_ip_on_launch"), "MapPublicIpOnLaunch: true", 0)
	lb := nodeOf[*graph.LoadBalancer](t, g, "LoadBalancer")
	checkRange(t, "load balancer scheme", text, lb.AttrRange("scheme"), "Scheme: internet-facing", 0)
	alb := nodeOf[*graph.SecurityGroup](t, g, "AlbSecurityGroup")
	checkRange(t, "flow-style rule", text, alb.Ingress[1].Range, "{ IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0, Description: HTTPS from anywhere }", 0)
	dbsg := nodeOf[*graph.SecurityGroup](t, g, "DatabaseSecurityGroup")
	if r := dbsg.Ingress[0].Range; r.Start != posOf(t, text, "DatabaseFromApp:", 0) {
		t.Errorf("standalone rule range starts at %v, want the DatabaseFromApp resource", r)
	}
}

// checkRange asserts that r spans exactly the n-th occurrence of want.
func checkRange(t *testing.T, what, text string, r graph.Range, want string, n int) {
	t.Helper()
	start := posOf(t, text, want, n)
	if r.Start != start {
		t.Errorf("%s starts at %d:%d (byte %d), want %d:%d (byte %d)", what, r.Start.Line, r.Start.Column, r.Start.Byte, start.Line, start.Column, start.Byte)
		return
	}
	if got := text[r.Start.Byte:r.End.Byte]; got != want {
		t.Errorf("%s spans %q, want %q", what, got, want)
	}
}

func TestPositionsJSON(t *testing.T) {
	t.Parallel()
	path := filepath.Join(repoRoot, "testdata", "cloudformation", "elb-asg-rds.json")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(data)
	g := ReadTemplate(context.Background(), path, data, Options{})
	db := nodeOf[*graph.DBInstance](t, g, "MySQLDatabase")
	checkRange(t, "MultiAZ", text, db.AttrRange("multi_az"), `"MultiAZ": { "Fn::If": ["IsMultiAZ", true, false] }`, 0)
	checkRange(t, "StorageEncrypted", text, db.AttrRange("storage_encrypted"), `"StorageEncrypted": true`, 0)
	sg := nodeOf[*graph.SecurityGroup](t, g, "LoadBalancerSecurityGroup")
	checkRange(t, "JSON rule", text, sg.Ingress[0].Range, `{ "IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "CidrIp": "0.0.0.0/0" }`, 0)
	if !strings.HasPrefix(text[db.Source.Range.Start.Byte:], `"MySQLDatabase": {`) || text[db.Source.Range.End.Byte-1] != '}' {
		t.Errorf("resource range %v does not span the resource", db.Source.Range)
	}
	// Unknown values stay unknown: an imported CIDR, an SSM parameter.
	inst := nodeOf[*graph.SecurityGroup](t, g, "InstanceSecurityGroup")
	if len(inst.Ingress) != 2 || !inst.Ingress[1].Unknown || inst.Ingress[0].Unknown {
		t.Errorf("imported CIDR not marked unknown: %+v", inst.Ingress)
	}
	if lc := nodeOf[*graph.LaunchTemplate](t, g, "LaunchConfig"); !lc.IsUnknown("image_id") {
		t.Errorf("image id from SSM should be unknown: %v", lc.Unknown)
	}
	if !db.IsUnknown("publicly_accessible") {
		t.Error("PubliclyAccessible left to AWS should be unknown")
	}
}

func TestSuppressions(t *testing.T) {
	t.Parallel()
	text := `Resources:
  # an unrelated comment
  # vpcgate:ignore multi-az single AZ is fine for the demo
  Vpc:
    Type: AWS::EC2::VPC
    Properties: {CidrBlock: 10.0.0.0/16}

  Sg: # vpcgate:ignore admin-ports-open-to-world break-glass access
    Type: AWS::EC2::SecurityGroup
    Metadata:
      vpcgate:
        ignore:
          - {rule: default-sg-closed, reason: not the default group}
          - {rule: sg-reference-between-tiers}
    Properties: {GroupDescription: x, VpcId: !Ref Vpc}
  # vpcgate:ignore idle-eip

  Eip: {Type: AWS::EC2::EIP}
`
	g := read(t, "suppress.yaml", text, Options{})
	strip := func(ss []graph.Suppression) []graph.Suppression {
		for i := range ss {
			ss[i].Range = graph.Range{}
		}
		return ss
	}
	vpc := nodeOf[*graph.VPC](t, g, "Vpc")
	if diff := cmp.Diff([]graph.Suppression{{RuleID: "multi-az", Reason: "single AZ is fine for the demo", Source: "inline"}}, strip(append([]graph.Suppression(nil), vpc.Suppressions...))); diff != "" {
		t.Errorf("comment above (-want +got):\n%s", diff)
	}
	checkRange(t, "comment suppression", text, vpc.Suppressions[0].Range, "# vpcgate:ignore multi-az single AZ is fine for the demo", 0)
	sg := nodeOf[*graph.SecurityGroup](t, g, "Sg")
	want := []graph.Suppression{
		{RuleID: "default-sg-closed", Reason: "not the default group", Source: "inline"},
		{RuleID: "admin-ports-open-to-world", Reason: "break-glass access", Source: "inline"},
	}
	if diff := cmp.Diff(want, strip(sg.Suppressions)); diff != "" {
		t.Errorf("metadata and line comment (-want +got):\n%s", diff)
	}
	if e := nodeOf[*graph.EIP](t, g, "Eip"); len(e.Suppressions) != 0 {
		t.Errorf("a comment separated by a blank line applied: %v", e.Suppressions)
	}
	if w := diagnostics(g, graph.SeverityWarning); !strings.Contains(w, "sg-reference-between-tiers on Sg has no reason") {
		t.Errorf("missing reason not reported: %s", w)
	}
}

func TestDetect(t *testing.T) {
	t.Parallel()
	cases := []struct {
		path, data string
		want       bool
	}{
		{"a.yaml", "AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n", true},
		{"a.yml", "Resources:\n  X: {Type: AWS::EC2::VPC}\n", true},
		{"a.template", `{"Resources": {}}`, true},
		{"a.json", `{"AWSTemplateFormatVersion": "2010-09-09"}`, true},
		{"a.json", `{"Vpcs": [{"VpcId": "vpc-1"}]}`, false},
		{"a.json", `{"resource_changes": [], "Resources": 1}`, true},
		{"a.json", `{"x": {"Resources": {}}}`, false},
		{"a.yaml", "spec:\n  Resources: {}\n", false},
		{"a.tf", "Resources:\n", false},
		{"kustomization.yaml", "resources:\n  - a.yaml\n", false},
		{"bom.json", "\ufeff{\n  \"Resources\": {}\n}\n", true},
		{"bom.yaml", "\ufeffResources: {}\n", true},
	}
	for _, c := range cases {
		if got := Detect(c.path, []byte(c.data)); got != c.want {
			t.Errorf("Detect(%s, %q) = %v, want %v", c.path, c.data, got, c.want)
		}
	}
}

func TestHostileInput(t *testing.T) {
	t.Parallel()
	var laughs strings.Builder
	laughs.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 9; i++ {
		fmt.Fprintf(&laughs, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1, i-1)
	}
	laughs.WriteString("Resources:\n  X: {Type: AWS::EC2::VPC, Properties: {Tags: *a8}}\n")
	deep := "Resources:\n  X: {Type: AWS::EC2::VPC, Properties: {CidrBlock: " + strings.Repeat("[", 500) + strings.Repeat("]", 500) + "}}\n"
	huge := "Resources:\n  X: {Type: AWS::EC2::VPC}\n# " + strings.Repeat("x", 2048) + "\n"
	cases := []struct {
		name, data string
		opts       Options
		want       string
	}{
		{name: "billion laughs", data: laughs.String(), want: "YAML alias expansions"},
		{name: "deep nesting", data: deep, want: "nest deeper than 100 levels"},
		{name: "huge file", data: huge, opts: Options{Options: ingest.Options{Limits: ingest.Limits{MaxFileSize: 1024}}}, want: "larger than the limit of 1024 bytes"},
		{name: "not yaml", data: "Resources: [\n", want: "cannot read template"},
		{name: "not a mapping", data: "- Resources\n", want: "not a mapping"},
		{name: "no resources", data: "AWSTemplateFormatVersion: '2010-09-09'\n", want: "no Resources"},
		{name: "resource without type", data: "Resources:\n  X: {Properties: {}}\n", want: "X has no Type"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			g := read(t, "hostile.yaml", c.data, c.opts)
			errs := diagnostics(g, graph.SeverityError)
			if !strings.Contains(errs, c.want) || !strings.Contains(errs, "hostile.yaml") {
				t.Errorf("errors %q do not name the file and %q", errs, c.want)
			}
		})
	}
}

func TestNestedStackOutsideRoot(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	child := "Resources:\n  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.9.0.0/16}}\n"
	for name, data := range map[string]string{filepath.Join(dir, "outside.yaml"): child, filepath.Join(root, "inside.yaml"): child} {
		if err := os.WriteFile(name, []byte(child), 0o644); err != nil {
			t.Fatal(err)
		}
		_ = data
	}
	if err := os.Symlink(filepath.Join(dir, "outside.yaml"), filepath.Join(root, "link.yaml")); err != nil {
		t.Fatal(err)
	}
	parent := func(url string) []byte {
		return []byte("Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: " + url + "\n")
	}
	cases := []struct {
		url     string
		allow   bool
		want    string // error substring, "" when the child is read
		wantVPC bool
	}{
		{url: "inside.yaml", wantVPC: true},
		{url: "../outside.yaml", want: "outside the scanned root"},
		{url: filepath.Join(dir, "outside.yaml"), want: "outside the scanned root"},
		{url: "link.yaml", want: "outside the scanned root"},
		{url: "../outside.yaml", allow: true, wantVPC: true},
		{url: "missing.yaml", want: "missing.yaml"},
	}
	for _, c := range cases {
		g := ReadTemplate(context.Background(), filepath.Join(root, "parent.yaml"), parent(c.url), Options{Options: ingest.Options{Root: root, AllowOutsideRoot: c.allow}})
		errs := diagnostics(g, graph.SeverityError)
		if c.want != "" && !strings.Contains(errs, c.want) {
			t.Errorf("%s: errors %q, want %q", c.url, errs, c.want)
		}
		if c.want == "" && errs != "" {
			t.Errorf("%s: unexpected errors %q", c.url, errs)
		}
		if got := g.Node("Child/Vpc") != nil; got != c.wantVPC {
			t.Errorf("%s: nested VPC read = %v, want %v", c.url, got, c.wantVPC)
		}
	}
}

func TestCloudAssembly(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(repoRoot, "examples", "cdk", "cdk.out")
	g := ReadCloudAssembly(context.Background(), dir, Options{})
	if errs := diagnostics(g, graph.SeverityError); errs != "" {
		t.Fatalf("errors: %s", errs)
	}
	lbs := g.LoadBalancers()
	if len(lbs) != 1 || !lbs[0].InternetFacing() || lbs[0].Type != "application" {
		t.Fatalf("want one internet-facing ALB, got %+v", lbs)
	}
	routeOf := map[string]*graph.RouteTable{}
	for _, rt := range g.RouteTables() {
		for _, a := range rt.Associations {
			routeOf[a.SubnetID] = rt
		}
	}
	defaultTarget := func(subnet string) graph.TargetKind {
		rt := routeOf[subnet]
		if rt == nil {
			return ""
		}
		for _, r := range rt.Routes {
			if r.DestinationCIDR == "0.0.0.0/0" {
				return r.TargetKind
			}
		}
		return ""
	}
	for _, s := range lbs[0].SubnetIDs {
		if k := defaultTarget(s); k != graph.TargetIGW {
			t.Errorf("ALB subnet %s routes to %q, want an internet gateway", s, k)
		}
	}
	svcs := g.ECSServices()
	if len(svcs) != 1 {
		t.Fatalf("want one ECS service, got %d", len(svcs))
	}
	svc := svcs[0]
	if svc.AssignPublicIP || svc.LaunchType != "FARGATE" || svc.MinCount != 1 || svc.MaxCount != 3 || len(svc.SubnetIDs) != 3 {
		t.Errorf("Fargate service = %+v", svc)
	}
	for _, s := range svc.SubnetIDs {
		if g.Node(s) == nil {
			t.Errorf("service subnet %s (imported from NetworkStack) is not in the graph", s)
		}
		if k := defaultTarget(s); k != graph.TargetNAT {
			t.Errorf("service subnet %s routes to %q, want a NAT gateway (private)", s, k)
		}
	}
	if len(svc.Policies) != 1 || svc.Policies[0].MetricType != "ECSServiceAverageCPUUtilization" || svc.Policies[0].TargetValue != 70 {
		t.Errorf("scaling policies = %+v", svc.Policies)
	}
	if nats := g.NATGateways(); len(nats) != 1 {
		t.Errorf("want one NAT gateway, got %d", len(nats))
	}
	if svc.Source.ConstructPath != "HelloWorldApplicationStack/HelloWorldApplication/Service/Service" || lbs[0].Source.ConstructPath == "" {
		t.Errorf("construct paths: %q, %q", svc.Source.ConstructPath, lbs[0].Source.ConstructPath)
	}
	for _, n := range g.Nodes() {
		if n.Meta().Source.ConstructPath == "" {
			t.Errorf("%s has no construct path", n.Meta().ID)
		}
	}
	if IsCloudAssembly(filepath.Join(repoRoot, "examples", "cdk")) {
		t.Error("the CDK app folder is not a cloud assembly")
	}
}

func TestDeterministic(t *testing.T) {
	t.Parallel()
	path := filepath.Join(repoRoot, "testdata", "cloudformation", "vpc-nat-private.yaml")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	first := dump(t, ReadTemplate(context.Background(), path, data, Options{}))
	for i := 0; i < 5; i++ {
		if again := dump(t, ReadTemplate(context.Background(), path, data, Options{})); !bytes.Equal(first, again) {
			t.Fatal("two reads of the same template differ")
		}
	}
}

func TestParametersAndAddresses(t *testing.T) {
	t.Parallel()
	text := `
Parameters:
  Size: {Type: String, Default: small, AllowedValues: [small, large]}
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Sub: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24}}
  NlbIp: {Type: AWS::EC2::EIP, Properties: {Domain: vpc}}
  Idle: {Type: AWS::EC2::EIP, Properties: {Domain: vpc}}
  Nlb:
    Type: AWS::ElasticLoadBalancingV2::LoadBalancer
    Properties:
      Type: network
      SubnetMappings: [{SubnetId: !Ref Sub, AllocationId: !GetAtt NlbIp.AllocationId}]
`
	g := read(t, "params.yaml", text, Options{Parameters: map[string]string{"Size": "huge"}})
	if w := diagnostics(g, graph.SeverityWarning); !strings.Contains(w, `parameter Size is "huge", not one of its AllowedValues [small large]`) {
		t.Errorf("AllowedValues not checked: %q", w)
	}
	if e := nodeOf[*graph.EIP](t, g, "NlbIp"); !e.Associated() {
		t.Error("an Elastic IP of a network load balancer's subnet mapping is in use")
	}
	if e := nodeOf[*graph.EIP](t, g, "Idle"); e.Associated() || !e.IsUnknown("public_ip") {
		t.Errorf("idle EIP = %+v", e)
	}
	if lb := nodeOf[*graph.LoadBalancer](t, g, "Nlb"); !cmp.Equal(lb.SubnetIDs, []string{"Sub"}) || lb.Scheme != "internet-facing" {
		t.Errorf("NLB = %+v", lb)
	}
	if s := nodeOf[*graph.Subnet](t, g, "Sub"); !s.IsUnknown("availability_zone") {
		t.Error("a subnet without AvailabilityZone gets one from AWS: unknown")
	}
	if g2 := read(t, "params.yaml", text, Options{}); diagnostics(g2, graph.SeverityWarning) != "" {
		t.Errorf("defaults raise warnings: %s", diagnostics(g2, graph.SeverityWarning))
	}
}

// TestCloudAssemblyNestedAndStages reads a hand-made cloud assembly: a
// stage (nested assembly) holding a stack with a CDK nested stack
// (Metadata aws:asset:path), and a second stack importing its export.
func TestCloudAssemblyNestedAndStages(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	stage := filepath.Join(dir, "assembly-Prod")
	files := map[string]string{
		filepath.Join(dir, "manifest.json"): `{"version": "55.0.0", "artifacts": {
			"assembly-Prod": {"type": "cdk:cloud-assembly", "properties": {"directoryName": "assembly-Prod", "displayName": "Prod"}},
			"Tree": {"type": "cdk:tree", "properties": {"file": "tree.json"}}}}`,
		filepath.Join(stage, "manifest.json"): `{"version": "55.0.0", "artifacts": {
			"ProdApp": {"type": "aws:cloudformation:stack", "environment": "aws://111122223333/eu-west-1", "dependencies": ["ProdNet"], "properties": {"templateFile": "ProdApp.template.json"}},
			"ProdNet": {"type": "aws:cloudformation:stack", "environment": "aws://unknown-account/unknown-region", "properties": {"templateFile": "ProdNet.template.json", "stackName": "prod-net"}}}}`,
		filepath.Join(stage, "ProdNet.template.json"): `{"Resources": {
			"Net": {"Type": "AWS::CloudFormation::Stack", "Metadata": {"aws:cdk:path": "Prod/Net/Nested", "aws:asset:path": "ProdNetNested.nested.template.json"},
				"Properties": {"TemplateURL": {"Fn::Join": ["", ["https://s3.", {"Ref": "AWS::Region"}, ".amazonaws.com/x.json"]]}, "Parameters": {"Cidr": "10.7.0.0/16"}}}},
			"Outputs": {"SubnetOut": {"Value": {"Fn::GetAtt": ["Net", "Outputs.Subnet"]}, "Export": {"Name": "prod-net:Subnet"}}}}`,
		filepath.Join(stage, "ProdNetNested.nested.template.json"): `{"Parameters": {"Cidr": {"Type": "String"}}, "Resources": {
			"Vpc": {"Type": "AWS::EC2::VPC", "Metadata": {"aws:cdk:path": "Prod/Net/Nested/Vpc"}, "Properties": {"CidrBlock": {"Ref": "Cidr"}}},
			"Subnet": {"Type": "AWS::EC2::Subnet", "Metadata": {"aws:cdk:path": "Prod/Net/Nested/Subnet"},
				"Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": {"Fn::Select": [0, {"Fn::Cidr": [{"Ref": "Cidr"}, 1, 8]}]}, "AvailabilityZone": {"Fn::Select": [0, {"Fn::GetAZs": ""}]}}}},
			"Outputs": {"Subnet": {"Value": {"Ref": "Subnet"}}}}`,
		filepath.Join(stage, "ProdApp.template.json"): `{"Resources": {
			"Web": {"Type": "AWS::EC2::Instance", "Metadata": {"aws:cdk:path": "Prod/App/Web"},
				"Properties": {"ImageId": "ami-1", "SubnetId": {"Fn::ImportValue": "prod-net:Subnet"}}}}}`,
	}
	for name, data := range files {
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if !IsCloudAssembly(dir) {
		t.Fatal("not recognised as a cloud assembly")
	}
	g := ReadCloudAssembly(context.Background(), dir, Options{})
	if d := diagnostics(g, graph.SeverityError) + diagnostics(g, graph.SeverityWarning); d != "" {
		t.Fatalf("diagnostics: %s", d)
	}
	sub := nodeOf[*graph.Subnet](t, g, "ProdNet/Net/Subnet")
	if sub.CIDRBlock != "10.7.0.0/24" || sub.VPCID != "ProdNet/Net/Vpc" || sub.Source.ConstructPath != "Prod/Net/Nested/Subnet" || sub.Source.Address != "Subnet" {
		t.Errorf("nested subnet = %+v", sub)
	}
	// ProdNet has no environment: the default region applies.
	if sub.AvailabilityZone != "us-east-1a" {
		t.Errorf("nested subnet AZ = %s", sub.AvailabilityZone)
	}
	web := nodeOf[*graph.Instance](t, g, "ProdApp/Web")
	if web.SubnetID != "ProdNet/Net/Subnet" || web.VPCID != "ProdNet/Net/Vpc" {
		t.Errorf("import of the nested stack's export: subnet %q, vpc %q", web.SubnetID, web.VPCID)
	}
	if web.Source.Account != "111122223333" || web.Source.Region != "eu-west-1" {
		t.Errorf("environment of ProdApp: %s/%s", web.Source.Account, web.Source.Region)
	}
	// The input does not say ProdNet's region: the node says none (cost
	// then fills it from --region or the zones), not the us-east-1 default.
	if sub.Source.Region != "" {
		t.Errorf("ProdNet region = %q, want none stated", sub.Source.Region)
	}
	g = ReadCloudAssembly(context.Background(), dir, Options{Options: ingest.Options{Region: "eu-north-1"}})
	if sub := nodeOf[*graph.Subnet](t, g, "ProdNet/Net/Subnet"); sub.Source.Region != "eu-north-1" {
		t.Errorf("ProdNet with --region: %q", sub.Source.Region)
	}
	if web := nodeOf[*graph.Instance](t, g, "ProdApp/Web"); web.Source.Region != "eu-west-1" {
		t.Errorf("ProdApp with --region: %q (the stack environment wins)", web.Source.Region)
	}
}

func TestNestedStackRecursion(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	self := "Resources:\n  A: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: self.yaml}}\n  B: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: self.yaml}}\n  C: {Type: AWS::CloudFormation::Stack, Properties: {TemplateURL: self.yaml}}\n  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}\n"
	path := filepath.Join(dir, "self.yaml")
	if err := os.WriteFile(path, []byte(self), 0o644); err != nil {
		t.Fatal(err)
	}
	g := ReadTemplate(context.Background(), path, []byte(self), Options{})
	w := diagnostics(g, graph.SeverityWarning)
	if !strings.Contains(w, "more than 200 nested stacks") && !strings.Contains(w, "nested deeper than 8") {
		t.Errorf("self-nesting not bounded: %.300s", w)
	}
	if n := len(g.VPCs()); n == 0 || n > 201 {
		t.Errorf("%d VPCs read", n)
	}
}

func TestCloudAssemblyOutsideRootAndCancel(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "cdk.out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	tmpl := `{"Resources": {"Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.0.0.0/16"}}}}`
	manifest := `{"version": "55.0.0", "artifacts": {
		"Evil": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "../evil.template.json"}},
		"Good": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "Good.template.json"}}}}`
	for name, data := range map[string]string{
		filepath.Join(dir, "evil.template.json"): tmpl,
		filepath.Join(out, "Good.template.json"): tmpl,
		filepath.Join(out, "manifest.json"):      manifest,
	} {
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	g := ReadCloudAssembly(context.Background(), out, Options{})
	if errs := diagnostics(g, graph.SeverityError); !strings.Contains(errs, "stack Evil") || !strings.Contains(errs, "outside the scanned root") {
		t.Errorf("template outside the assembly read or not reported: %q", errs)
	}
	if g.Node("Good/Vpc") == nil || g.Node("Evil/Vpc") != nil {
		t.Errorf("want Good/Vpc only, got %d nodes", g.Len())
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g = ReadCloudAssembly(ctx, out, Options{})
	if errs := diagnostics(g, graph.SeverityError); !strings.Contains(errs, "reading stopped: context canceled") {
		t.Errorf("cancelled read: %q", errs)
	}
}

func TestNoNullLists(t *testing.T) {
	t.Parallel()
	g := read(t, "null.yaml", `
Resources:
  Lb: {Type: AWS::ElasticLoadBalancing::LoadBalancer, Properties: {AvailabilityZones: [us-east-1a], Listeners: [{LoadBalancerPort: 80, InstancePort: 80, Protocol: HTTP}]}}
  Igw: {Type: AWS::EC2::InternetGateway}
  Asg: {Type: AWS::AutoScaling::AutoScalingGroup, Properties: {MinSize: 1, MaxSize: 1, AvailabilityZones: [us-east-1a]}}
`, Options{})
	for _, n := range g.Nodes() {
		data, err := json.Marshal(n)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(":null")) {
			t.Errorf("%s: %s", n.Meta().ID, data)
		}
	}
}

func TestDefaultGroupsAndNames(t *testing.T) {
	t.Parallel()
	g := read(t, "defaults.yaml", `
Resources:
  Vpc: {Type: AWS::EC2::VPC, Properties: {CidrBlock: 10.0.0.0/16}}
  Sub: {Type: AWS::EC2::Subnet, Properties: {VpcId: !Ref Vpc, CidrBlock: 10.0.1.0/24, AvailabilityZone: us-east-1a}}
  Sg: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: x, VpcId: !Ref Vpc}}
  Bare: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, SubnetId: !Ref Sub}}
  Grouped: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-1, SubnetId: !Ref Sub, SecurityGroupIds: [!Ref Sg]}}
  Alb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: {Subnets: [!Ref Sub]}}
  Nlb: {Type: AWS::ElasticLoadBalancingV2::LoadBalancer, Properties: {Type: network, Subnets: [!Ref Sub]}}
  Svc: {Type: AWS::ECS::Service, Properties: {NetworkConfiguration: {AwsvpcConfiguration: {Subnets: [!Ref Sub]}}}}
  Lt: {Type: AWS::EC2::LaunchTemplate, Properties: {LaunchTemplateName: web, LaunchTemplateData: {InstanceType: t3.micro}}}
  Asg: {Type: AWS::AutoScaling::AutoScalingGroup, Properties: {MinSize: 1, MaxSize: 2, VPCZoneIdentifier: [!Ref Sub], LaunchTemplate: {LaunchTemplateName: web, Version: "1"}}}
`, Options{})
	def := []string{"Vpc/DefaultSecurityGroup"}
	for _, c := range []struct {
		id   string
		got  []string
		want []string
	}{
		{"Bare", nodeOf[*graph.Instance](t, g, "Bare").SecurityGroups, def},
		{"Grouped", nodeOf[*graph.Instance](t, g, "Grouped").SecurityGroups, []string{"Sg"}},
		{"Alb", nodeOf[*graph.LoadBalancer](t, g, "Alb").SecurityGroups, def},
		{"Nlb", nodeOf[*graph.LoadBalancer](t, g, "Nlb").SecurityGroups, []string{}},
		{"Svc", nodeOf[*graph.ECSService](t, g, "Svc").SecurityGroups, def},
	} {
		if !cmp.Equal(c.want, c.got, cmpopts.EquateEmpty()) {
			t.Errorf("%s security groups = %v, want %v", c.id, c.got, c.want)
		}
	}
	if got := nodeOf[*graph.AutoScalingGroup](t, g, "Asg").LaunchTemplateID; got != "Lt" {
		t.Errorf("launch template named web resolves to %q, want Lt", got)
	}
}

func TestDetailedMonitoring(t *testing.T) {
	t.Parallel()
	g := read(t, "monitoring.yaml", `
Resources:
  Detailed:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        InstanceType: t3.micro
        Monitoring:
          Enabled: true
  Basic:
    Type: AWS::EC2::LaunchTemplate
    Properties:
      LaunchTemplateData:
        InstanceType: t3.micro
  Config:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-12345678
      InstanceType: t3.micro
  QuietConfig:
    Type: AWS::AutoScaling::LaunchConfiguration
    Properties:
      ImageId: ami-12345678
      InstanceType: t3.micro
      InstanceMonitoring: false
`, Options{})
	want := map[string]string{"Detailed": "true", "Basic": "unset", "Config": "true", "QuietConfig": "false"}
	for id, w := range want {
		lt, ok := graph.Get[*graph.LaunchTemplate](g, id)
		if !ok {
			t.Fatalf("%s missing", id)
		}
		got := "unset"
		if lt.DetailedMonitoring != nil {
			got = fmt.Sprint(*lt.DetailedMonitoring)
		}
		if got != w {
			t.Errorf("%s: detailed monitoring %s, want %s", id, got, w)
		}
	}
}

// TestNamesCollideAcrossTypes: AWS names are per type, so an RDS instance
// and its DB subnet group may share a name; both nodes survive and the
// instance still finds its group, whichever is declared first.
func TestNamesCollideAcrossTypes(t *testing.T) {
	t.Parallel()
	group := `
  Group:
    Type: AWS::RDS::DBSubnetGroup
    Properties:
      DBSubnetGroupName: Orders
      DBSubnetGroupDescription: orders
      SubnetIds: [subnet-a, subnet-b]
`
	instance := `
  Database:
    Type: AWS::RDS::DBInstance
    Properties:
      DBInstanceIdentifier: orders
      Engine: mysql
      DBInstanceClass: db.t3.micro
      PubliclyAccessible: false
      DBSubnetGroupName: !Ref Group
`
	for name, body := range map[string]string{"group first": group + instance, "instance first": instance + group} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			g := read(t, "orders.yaml", "Resources:"+body, Options{})
			for _, d := range g.Diagnostics {
				if strings.Contains(d.Summary, "defined twice") {
					t.Errorf("a node was dropped: %v", d)
				}
			}
			dbs, groups := g.DBInstances(), g.DBSubnetGroups()
			if len(dbs) != 1 || len(groups) != 1 {
				t.Fatalf("%d DB instances and %d subnet groups, want 1 and 1", len(dbs), len(groups))
			}
			if dbs[0].DBSubnetGroup != groups[0].ID {
				t.Errorf("instance names subnet group %q, the group's id is %q", dbs[0].DBSubnetGroup, groups[0].ID)
			}
		})
	}
}
