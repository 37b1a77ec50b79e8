package terraform

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

func readPlanFile(t *testing.T, name string, opts Options) (string, *graph.Graph) {
	t.Helper()
	path := filepath.Join("..", "..", "..", "testdata", "terraform", "plan", name)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !DetectPlan(data) {
		t.Fatalf("DetectPlan(%s) = false", name)
	}
	return filepath.Dir(path), ReadPlan(context.Background(), path, data, opts)
}

func TestReadPlanGolden(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"plan.json", "state.json"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir, g := readPlanFile(t, name, Options{})
			checkGolden(t, filepath.Join("..", "..", "..", "testdata", "terraform", "golden", strings.TrimSuffix(name, ".json")+"-json.json"), takeSnapshot(t, dir, g))
		})
	}
}

func TestReadPlanResolvesReferences(t *testing.T) {
	t.Parallel()
	_, g := readPlanFile(t, "plan.json", Options{})
	web := node[*graph.Instance](t, g, "aws_instance.web")
	if web.SubnetID != "aws_subnet.public[0]" || web.VPCID != "aws_vpc.main" {
		t.Errorf("instance subnet %q vpc %q", web.SubnetID, web.VPCID)
	}
	if diff := cmp.Diff([]string{"aws_security_group.web"}, web.SecurityGroups); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	if web.PublicIP != PublicIPPlaceholder {
		t.Errorf("instance in a mapping subnet: public ip %q (unknown %v)", web.PublicIP, web.Unknown)
	}
	rt := node[*graph.RouteTable](t, g, "aws_route_table.public")
	var igw bool
	for _, r := range rt.Routes {
		if r.DestinationCIDR == "0.0.0.0/0" && r.TargetKind == graph.TargetIGW && r.TargetID == "aws_internet_gateway.main" {
			igw = true
		}
	}
	if !igw || len(rt.Associations) != 2 || rt.Associations[1].SubnetID != "aws_subnet.public[1]" {
		t.Errorf("route table %+v", rt)
	}
	db := node[*graph.DBInstance](t, g, "plan-db")
	if db.MultiAZ || !db.PubliclyAccessible || db.Port != 5432 {
		t.Errorf("db %+v", db)
	}
	if r := db.AttrRange("multi_az"); !strings.HasSuffix(r.File, "main.tf") || r.Start.Line != 59 {
		t.Errorf("multi_az range %v, want main.tf:59", r)
	}
	sg := node[*graph.SecurityGroup](t, g, "aws_security_group.web")
	if len(sg.Suppressions) != 1 || sg.Suppressions[0].RuleID != "admin-ports-open-to-world" {
		t.Errorf("suppressions %+v", sg.Suppressions)
	}
	if len(sg.Ingress) != 1 || sg.Ingress[0].Range.Start.Line != 44 {
		t.Errorf("ingress %+v, want the rule's cidr_blocks at line 44", sg.Ingress)
	}
}

func TestReadStateUsesAWSIDs(t *testing.T) {
	t.Parallel()
	_, g := readPlanFile(t, "state.json", Options{})
	web := node[*graph.Instance](t, g, "i-0abcdef1234567890")
	if web.PublicIP != "54.210.10.20" || web.SubnetID != "subnet-0aa11bb22cc33dd44" || web.VPCID != "vpc-0a1b2c3d4e5f60718" {
		t.Errorf("instance %+v", web)
	}
	def := node[*graph.SecurityGroup](t, g, "sg-0c0c0c0c0c0c0c0c0")
	if !def.IsDefault() || def.VPCID != "vpc-0a1b2c3d4e5f60718" {
		t.Errorf("default group from the VPC's default_security_group_id: %+v", def)
	}
	main := node[*graph.RouteTable](t, g, "rtb-0b0b0b0b0b0b0b0b0")
	if !main.Main {
		t.Errorf("main route table not main")
	}
	if r := node[*graph.RouteTable](t, g, "rtb-0123456789abcdef0"); len(r.Associations) != 2 {
		t.Errorf("associations %+v", r.Associations)
	}
}

func TestReadPlanBadInput(t *testing.T) {
	t.Parallel()
	cases := map[string]string{
		"not json":       `{"format_version": "1.2", `,
		"future version": `{"format_version": "9.0", "planned_values": {}}`,
		"no version":     `{"planned_values": {"root_module": {}}}`,
	}
	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			g := ReadPlan(context.Background(), "/nowhere/plan.json", []byte(data), Options{})
			if g.Len() != 0 || len(g.Diagnostics) != 1 || g.Diagnostics[0].Severity != graph.SeverityError || g.Diagnostics[0].Range.File != "/nowhere/plan.json" {
				t.Errorf("got %d nodes, diagnostics %v", g.Len(), g.Diagnostics)
			}
		})
	}
	if DetectPlan([]byte(`{"Vpcs": []}`)) || DetectPlan([]byte(`resource "x" "y" {}`)) {
		t.Error("DetectPlan accepted something else")
	}
}

func FuzzReadPlan(f *testing.F) {
	for _, name := range []string{"plan.json", "state.json"} {
		if b, err := os.ReadFile(filepath.Join("..", "..", "..", "testdata", "terraform", "plan", name)); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"aws_vpc.a","mode":"managed","type":"aws_vpc","name":"a","values":{"cidr_block":1}}]}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		g := ReadPlan(context.Background(), "/nowhere/plan.json", data, Options{})
		if g == nil {
			t.Fatal("nil graph")
		}
		_ = DetectPlan(data)
	})
}
