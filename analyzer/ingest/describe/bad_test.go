package describe

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// goodVPC returns a valid file read alongside every bad one.
func goodVPC() File {
	return File{Path: "good/ec2-describe-vpcs.json", Data: []byte(`{"Vpcs": [{"VpcId": "vpc-good", "CidrBlock": "10.1.0.0/16"}]}`)}
}

func TestBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		data     string
		wantSev  graph.Severity
		wantMsg  string // in the summary
		wantLine int
		wantCol  int
		wantIDs  []string // nodes of the bad file still read
		wantNot  []string // nodes that must not be read
	}{
		{
			name:     "empty file",
			data:     "  \n",
			wantSev:  graph.SeverityError,
			wantMsg:  "empty file",
			wantLine: 1, wantCol: 1,
		},
		{
			name:     "UTF-16",
			data:     "\xff\xfe{\x00}\x00",
			wantSev:  graph.SeverityError,
			wantMsg:  "UTF-16",
			wantLine: 1, wantCol: 1,
		},
		{
			name:     "a UTF-8 byte order mark is fine",
			data:     "\xef\xbb\xbf{\"Vpcs\": [{\"VpcId\": \"vpc-1\"}],\n \"Bogus\": 1}",
			wantSev:  graph.SeverityError,
			wantMsg:  `unknown top-level key "Bogus"`,
			wantLine: 2, wantCol: 2,
			wantIDs: []string{"vpc-1"},
		},
		{
			name:     "not an object",
			data:     "\n[1, 2, 3]",
			wantSev:  graph.SeverityError,
			wantMsg:  "not describe output: the file holds a JSON array",
			wantLine: 2, wantCol: 1,
		},
		{
			name:     "unknown top-level key",
			data:     "{\n  \"Widgets\": []\n}",
			wantSev:  graph.SeverityError,
			wantMsg:  `unknown top-level key "Widgets"`,
			wantLine: 2, wantCol: 3,
		},
		{
			name:     "truncated JSON keeps the complete elements",
			data:     "{\"Vpcs\": [\n  {\"VpcId\": \"vpc-1\"},\n  {\"VpcId\": \"vpc-",
			wantSev:  graph.SeverityError,
			wantMsg:  "truncated JSON",
			wantLine: 3,
			wantIDs:  []string{"vpc-1"},
		},
		{
			name:     "syntax error",
			data:     "{\"Vpcs\": [\n  {\"VpcId\": \"vpc-1\"},\n  {\"VpcId\": \"vpc-2\",}\n]}",
			wantSev:  graph.SeverityError,
			wantMsg:  "invalid JSON",
			wantLine: 3, wantCol: 21,
			wantIDs: []string{"vpc-1"},
		},
		{
			name:     "a string where a boolean is expected skips that element only",
			data:     "{\"Vpcs\": [\n  {\"VpcId\": \"vpc-1\",\n   \"IsDefault\": \"yes\"},\n  {\"VpcId\": \"vpc-2\"}\n]}",
			wantSev:  graph.SeverityError,
			wantMsg:  "wrong value at /Vpcs/0/IsDefault: a JSON string where a boolean is expected",
			wantLine: 3, wantCol: 17,
			wantIDs: []string{"vpc-2"},
			wantNot: []string{"vpc-1"},
		},
		{
			name:     "a string where a number is expected",
			data:     "{\"SecurityGroups\": [{\"GroupId\": \"sg-1\", \"IpPermissions\": [{\"IpProtocol\": \"tcp\", \"FromPort\": \"22\"}]}]}",
			wantSev:  graph.SeverityError,
			wantMsg:  "wrong value at /SecurityGroups/0/IpPermissions/0/FromPort: a JSON string where an integer is expected",
			wantLine: 1, wantCol: 93,
			wantNot: []string{"sg-1"},
		},
		{
			name:     "an element that is not an object",
			data:     "{\"Vpcs\": [\"vpc-1\", {\"VpcId\": \"vpc-2\"}]}",
			wantSev:  graph.SeverityError,
			wantMsg:  "wrong value at /Vpcs/0: a JSON string where an object is expected",
			wantLine: 1, wantCol: 11,
			wantIDs: []string{"vpc-2"},
		},
		{
			name:     "the list is not an array",
			data:     "{\"Subnets\": {\"SubnetId\": \"subnet-1\"}}",
			wantSev:  graph.SeverityError,
			wantMsg:  `"Subnets" should be an array, not a JSON object`,
			wantLine: 1, wantCol: 2,
		},
		{
			name:     "an unreadable timestamp",
			data:     "{\"NatGateways\": [{\"NatGatewayId\": \"nat-1\", \"CreateTime\": \"last tuesday\"}, {\"NatGatewayId\": \"nat-2\"}]}",
			wantSev:  graph.SeverityError,
			wantMsg:  `unrecognised timestamp "last tuesday"`,
			wantLine: 1, wantCol: 58,
			wantIDs: []string{"nat-2"},
			wantNot: []string{"nat-1"},
		},
		{
			name:     "target health without its target group",
			data:     "{\"TargetHealthDescriptions\": [\n {\"Target\": {\"Id\": \"i-1\"}}]}",
			wantSev:  graph.SeverityWarning,
			wantMsg:  "target health without its target group",
			wantLine: 2, wantCol: 2,
		},
		{
			name:     "prefix list entries without their list",
			data:     "{\"Entries\": [{\"Cidr\": \"10.0.0.0/8\"}]}",
			wantSev:  graph.SeverityError,
			wantMsg:  "prefix list entries without their list",
			wantLine: 1, wantCol: 14,
		},
		{
			name:     "data after the object",
			data:     "{\"Vpcs\": [{\"VpcId\": \"vpc-1\"}]}\n{\"Vpcs\": []}",
			wantSev:  graph.SeverityWarning,
			wantMsg:  "data after the JSON object",
			wantLine: 2,
			wantIDs:  []string{"vpc-1"},
		},
		{
			name:     "a reservation that is not an object",
			data:     "{\"Reservations\": [\"r-1\", {\"Instances\": [{\"InstanceId\": \"i-1\"}]}]}",
			wantSev:  graph.SeverityError,
			wantMsg:  "/Reservations/0 should be an object, not a JSON string",
			wantLine: 1, wantCol: 19,
			wantIDs: []string{"i-1"},
		},
		{
			name:     "a scaling policy of an unknown group",
			data:     "{\"ScalingPolicies\": [{\"AutoScalingGroupName\": \"ghost\", \"PolicyName\": \"p\"}]}",
			wantSev:  graph.SeverityWarning,
			wantMsg:  `scaling policy p of Auto Scaling group "ghost" ignored`,
			wantLine: 1, wantCol: 22,
		},
		{
			name:     "a resource without an id",
			data:     "{\"Vpcs\": [{\"CidrBlock\": \"10.0.0.0/16\"}]}",
			wantSev:  graph.SeverityWarning,
			wantMsg:  "ec2 describe-vpcs: element without VpcId skipped",
			wantLine: 1, wantCol: 11,
		},
		{
			name:     "a classic load balancer without a name",
			data:     "{\"LoadBalancerDescriptions\": [{\"Scheme\": \"internal\"}]}",
			wantSev:  graph.SeverityWarning,
			wantMsg:  "elb describe-load-balancers: element without LoadBalancerName skipped",
			wantLine: 1, wantCol: 31,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			bad := File{Path: "bad/input.json", Data: []byte(tt.data)}
			g := Read(context.Background(), []File{goodVPC(), bad}, Options{})
			if g.Node("vpc-good") == nil {
				t.Error("the good file was not read")
			}
			if len(g.Diagnostics) != 1 {
				for _, d := range g.Diagnostics {
					t.Log(d.Error())
				}
				t.Fatalf("%d diagnostics, want 1", len(g.Diagnostics))
			}
			d := g.Diagnostics[0]
			if d.Severity != tt.wantSev || !strings.Contains(d.Summary, tt.wantMsg) {
				t.Errorf("diagnostic %q, want %s containing %q", d.Error(), tt.wantSev, tt.wantMsg)
			}
			if d.Range.File != bad.Path || d.Range.Start.Line != tt.wantLine || (tt.wantCol != 0 && d.Range.Start.Column != tt.wantCol) {
				t.Errorf("diagnostic at %s (line %d column %d), want %s line %d column %d",
					d.Range, d.Range.Start.Line, d.Range.Start.Column, bad.Path, tt.wantLine, tt.wantCol)
			}
			for _, id := range tt.wantIDs {
				if g.Node(id) == nil {
					t.Errorf("%s was not read", id)
				}
			}
			for _, id := range tt.wantNot {
				if g.Node(id) != nil {
					t.Errorf("%s was read from a bad element", id)
				}
			}
		})
	}
}

func TestConflictingDuplicates(t *testing.T) {
	t.Parallel()
	a := File{Path: "a/ec2-describe-vpcs.json", Data: []byte(`{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "State": "available"}]}`)}
	same := File{Path: "b/ec2-describe-vpcs.json", Data: []byte(`{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]}`)}
	other := File{Path: "c/ec2-describe-vpcs.json", Data: []byte("{\"Vpcs\": [\n{\"VpcId\": \"vpc-1\", \"CidrBlock\": \"10.9.0.0/16\"}]}")}

	g := Read(context.Background(), []File{same, a}, Options{})
	noDiagnostics(t, g)
	vpc, _ := graph.Get[*graph.VPC](g, "vpc-1")
	if vpc.State != "available" || vpc.Source.Range.File != a.Path {
		t.Errorf("merged VPC %+v: want the state filled in and the first file's position", vpc)
	}

	g = Read(context.Background(), []File{other, a}, Options{})
	if len(g.Diagnostics) != 1 {
		t.Fatalf("diagnostics %v, want one conflict", g.Diagnostics)
	}
	d := g.Diagnostics[0]
	if !strings.Contains(d.Summary, "vpc vpc-1 is described differently in two places") || !strings.Contains(d.Detail, "cidr_blocks") ||
		d.Range.File != other.Path || d.Range.Start.Line != 2 {
		t.Errorf("conflict diagnostic %s (%s)", d.Error(), d.Detail)
	}
	vpc, _ = graph.Get[*graph.VPC](g, "vpc-1")
	if vpc.CIDRBlocks[0] != "10.0.0.0/16" {
		t.Errorf("kept %v, want the first file's CIDR", vpc.CIDRBlocks)
	}
}

func TestReadCanceled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	g := Read(ctx, []File{goodVPC()}, Options{})
	if len(g.Diagnostics) != 1 || !strings.Contains(g.Diagnostics[0].Summary, "context canceled") {
		t.Errorf("diagnostics %v, want one saying the read was canceled", g.Diagnostics)
	}
}

func TestRulesNotCountedTwice(t *testing.T) {
	t.Parallel()
	files := readFiles(t, unitDir, "ec2-describe-security-groups.json", "ec2-describe-security-group-rules.json")
	// The same dumps again under another folder, as two collections of one
	// account would give them.
	for _, f := range files[:2] {
		files = append(files, File{Path: "again/" + f.Path, Data: f.Data})
	}
	g := Read(context.Background(), files, Options{})
	noDiagnostics(t, g)
	for _, sg := range g.SecurityGroups() {
		seen := map[string]bool{}
		for dir, rules := range [][]graph.SGRule{sg.Ingress, sg.Egress} {
			for _, r := range rules {
				k := strconv.Itoa(dir) + " " + r.Protocol + " " + r.Peer + " " + strconv.Itoa(r.FromPort)
				if seen[k] {
					t.Errorf("%s: rule %s counted twice", sg.ID, k)
				}
				seen[k] = true
			}
		}
	}
	alb, _ := graph.Get[*graph.SecurityGroup](g, sgALB)
	if len(alb.Ingress) != 3 || len(alb.Egress) != 1 {
		t.Errorf("%s: %d ingress and %d egress rules, want 3 and 1", sgALB, len(alb.Ingress), len(alb.Egress))
	}
}
