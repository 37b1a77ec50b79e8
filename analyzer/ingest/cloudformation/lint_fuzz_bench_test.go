package cloudformation

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// TestFixturesPassCfnLint checks that every fixture and example template is
// a valid CloudFormation template according to cfn-lint (one run over all
// of them: cfn-lint's start-up dominates). The synthesized CDK templates are
// CDK's output, validated by CDK itself, and not linted here.
func TestFixturesPassCfnLint(t *testing.T) {
	t.Parallel()
	lint, err := exec.LookPath("cfn-lint")
	if err != nil {
		t.Skip("cfn-lint is not installed (pip install cfn-lint); the fixtures' validity is not checked")
	}
	var files []string
	for _, pat := range []string{
		filepath.Join(repoRoot, "testdata", "cloudformation", "*.yaml"),
		filepath.Join(repoRoot, "testdata", "cloudformation", "*.json"),
		filepath.Join(repoRoot, "testdata", "cloudformation", "nested", "*.yaml"),
		filepath.Join(repoRoot, "examples", "cloudformation", "*.yaml"),
	} {
		m, err := filepath.Glob(pat)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range m {
			if !strings.HasSuffix(f, ".params.json") {
				files = append(files, f)
			}
		}
	}
	if len(files) < 7 {
		t.Fatalf("found only %d templates: %v", len(files), files)
	}
	out, err := exec.Command(lint, append([]string{"--format", "parseable", "--"}, files...)...).CombinedOutput()
	if err != nil {
		t.Errorf("cfn-lint finds problems in the fixtures (%v):\n%s", err, out)
	}
}

func FuzzReadTemplate(f *testing.F) {
	for _, dir := range []string{filepath.Join(repoRoot, "testdata", "cloudformation"), filepath.Join(repoRoot, "examples", "cloudformation")} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.*"))
		for _, p := range files {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add([]byte("Resources:\n  A: !Ref B\n  B: {Type: AWS::EC2::VPC, Properties: {CidrBlock: !Select [0, !Cidr [!GetAtt B.CidrBlock, 2, 8]]}}\n"))
	f.Add([]byte("Conditions: {A: !Condition A}\nResources:\n  X: {Type: AWS::EC2::VPC, Condition: A}\n"))
	f.Add([]byte("a: &a [*a]\nResources: {}\n"))
	f.Add([]byte(`{"Resources": {"S": {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "../x.yaml"}}}}`))
	root := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte) {
		done := make(chan struct{})
		defer close(done)
		go func() {
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				os.WriteFile(filepath.Join(os.TempDir(), "cfn-fuzz-hang.yaml"), data, 0o644)
				panic(fmt.Sprintf("ReadTemplate runs for more than 30s on %q", data))
			}
		}()
		g := ReadTemplate(context.Background(), filepath.Join(root, "fuzz.yaml"), data, Options{Options: ingest.Options{Limits: ingest.Limits{MaxAliases: 50, MaxDepth: 40}}})
		if g == nil {
			t.Fatal("nil graph")
		}
		for _, d := range g.Diagnostics {
			if strings.Contains(d.Summary, "internal error") {
				t.Fatalf("panic recovered: %s", d.Summary)
			}
		}
		for _, n := range g.Nodes() {
			r := n.Meta().Source.Range
			if r.Start.Byte > r.End.Byte || r.End.Byte > len(data) {
				t.Fatalf("%s: range %+v outside the input of %d bytes", n.Meta().ID, r, len(data))
			}
		}
	})
}

// template2000 generates a template of n resources in 50-resource blocks:
// a VPC with subnets, route tables, routes, associations, security groups
// with inline and standalone rules, instances and NAT gateways.
func template2000(n int) []byte {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: \"2010-09-09\"\nParameters:\n  Env: {Type: String, Default: prod}\nConditions:\n  IsProd: !Equals [!Ref Env, prod]\nResources:\n")
	count := 0
	for blk := 0; count < n; blk++ {
		fmt.Fprintf(&b, "  Vpc%d:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.%d.0.0/16\n      Tags: [{Key: Name, Value: !Sub \"${Env}-vpc-%d\"}]\n", blk, blk%256, blk)
		fmt.Fprintf(&b, "  Igw%d: {Type: AWS::EC2::InternetGateway}\n  Att%d: {Type: AWS::EC2::VPCGatewayAttachment, Properties: {VpcId: !Ref Vpc%d, InternetGatewayId: !Ref Igw%d}}\n", blk, blk, blk, blk)
		count += 3
		for i := 0; i < 6 && count < n; i++ {
			fmt.Fprintf(&b, "  Subnet%d_%d:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc%d\n      CidrBlock: !Select [%d, !Cidr [!GetAtt Vpc%d.CidrBlock, 8, 8]]\n      AvailabilityZone: !Select [%d, !GetAZs \"\"]\n      MapPublicIpOnLaunch: !If [IsProd, false, true]\n", blk, i, blk, i, blk, i%3)
			fmt.Fprintf(&b, "  Rt%d_%d: {Type: AWS::EC2::RouteTable, Properties: {VpcId: !Ref Vpc%d}}\n", blk, i, blk)
			fmt.Fprintf(&b, "  Route%d_%d: {Type: AWS::EC2::Route, Properties: {RouteTableId: !Ref Rt%d_%d, DestinationCidrBlock: 0.0.0.0/0, GatewayId: !Ref Igw%d}}\n", blk, i, blk, i, blk)
			fmt.Fprintf(&b, "  Assoc%d_%d: {Type: AWS::EC2::SubnetRouteTableAssociation, Properties: {RouteTableId: !Ref Rt%d_%d, SubnetId: !Ref Subnet%d_%d}}\n", blk, i, blk, i, blk, i)
			fmt.Fprintf(&b, "  Sg%d_%d:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      GroupDescription: sg %d %d\n      VpcId: !Ref Vpc%d\n      SecurityGroupIngress:\n        - {IpProtocol: tcp, FromPort: 443, ToPort: 443, CidrIp: 0.0.0.0/0}\n        - {IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 10.0.0.0/8}\n", blk, i, blk, i, blk)
			fmt.Fprintf(&b, "  SgIn%d_%d: {Type: AWS::EC2::SecurityGroupIngress, Properties: {GroupId: !Ref Sg%d_%d, IpProtocol: tcp, FromPort: 8080, ToPort: 8080, SourceSecurityGroupId: !Ref Sg%d_0}}\n", blk, i, blk, i, blk)
			fmt.Fprintf(&b, "  # vpcgate:ignore private-app-tier generated\n  Inst%d_%d: {Type: AWS::EC2::Instance, Properties: {ImageId: ami-12345678, InstanceType: t3.micro, SubnetId: !Ref Subnet%d_%d, SecurityGroupIds: [!Ref Sg%d_%d]}}\n", blk, i, blk, i, blk, i)
			count += 7
		}
		fmt.Fprintf(&b, "  Eip%d: {Type: AWS::EC2::EIP, Properties: {Domain: vpc}}\n  Nat%d: {Type: AWS::EC2::NatGateway, Properties: {SubnetId: !Ref Subnet%d_0, AllocationId: !GetAtt Eip%d.AllocationId}}\n", blk, blk, blk, blk)
		count += 2
	}
	return []byte(b.String())
}

func TestGeneratedTemplate(t *testing.T) {
	t.Parallel()
	data := template2000(2000)
	if got := strings.Count(string(data), "Type: AWS::"); got < 2000 {
		t.Fatalf("generated %d resources, want 2000", got)
	}
	g := ReadTemplate(context.Background(), "gen.yaml", data, Options{})
	if len(g.Diagnostics) != 0 {
		t.Fatalf("diagnostics on the generated template: %v", g.Diagnostics[:min(3, len(g.Diagnostics))])
	}
	if got := len(g.Instances()); got < 250 {
		t.Errorf("%d instances read", got)
	}
}

// BenchmarkReadTemplate2000 reads a generated 2,000-resource template. Next
// to the wall time it reports the process CPU time per read (cpu-ms/op),
// which does not depend on how busy a shared machine is.
func BenchmarkReadTemplate2000(b *testing.B) {
	data := template2000(2000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	before := cpuTime()
	n := 0
	for b.Loop() {
		g := ReadTemplate(context.Background(), "gen.yaml", data, Options{})
		if g.Len() == 0 {
			b.Fatal("empty graph")
		}
		n++
	}
	if n > 0 {
		b.ReportMetric(float64((cpuTime()-before).Milliseconds())/float64(n), "cpu-ms/op")
	}
}

// minifiedJSON renders the generated template as one line of JSON (long
// forms of the intrinsics), as "aws cloudformation get-template" prints it.
func minifiedJSON(tb testing.TB, n int) []byte {
	tb.Helper()
	src := newSource("gen.yaml", template2000(n))
	root, _, err := parseTemplate(src, limits{maxAliases: 10, maxDepth: 100, maxNodes: maxValues})
	if err != nil {
		tb.Fatal(err)
	}
	var plain func(n *node) any
	plain = func(n *node) any {
		switch n.kind {
		case mapNode:
			m := map[string]any{}
			for _, e := range n.ents {
				m[e.key] = plain(e.val)
			}
			return m
		case seqNode:
			l := []any{}
			for _, it := range n.items {
				l = append(l, plain(it))
			}
			return l
		}
		return n.value
	}
	data, err := json.Marshal(plain(root))
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

func TestMinifiedJSON(t *testing.T) {
	t.Parallel()
	data := minifiedJSON(t, 300)
	if bytes.Count(data, []byte("\n")) != 0 {
		t.Fatal("not one line")
	}
	g := ReadTemplate(context.Background(), "gen.json", data, Options{})
	if len(g.Diagnostics) != 0 {
		t.Fatalf("diagnostics: %v", g.Diagnostics[0])
	}
	sg := nodeOf[*graph.SecurityGroup](t, g, "Sg0_1")
	if r := sg.Ingress[0].Range; r.Start.Line != 1 || string(data[r.Start.Byte:r.End.Byte]) != `{"CidrIp":"0.0.0.0/0","FromPort":"443","IpProtocol":"tcp","ToPort":"443"}` {
		t.Errorf("rule range %v spans %q", r, data[r.Start.Byte:r.End.Byte])
	}
}

// BenchmarkReadMinifiedJSON2000 reads the 2,000-resource template as one
// line of JSON.
func BenchmarkReadMinifiedJSON2000(b *testing.B) {
	data := minifiedJSON(b, 2000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if g := ReadTemplate(context.Background(), "gen.json", data, Options{}); g.Len() == 0 {
			b.Fatal("empty graph")
		}
	}
}
