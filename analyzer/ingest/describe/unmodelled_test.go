package describe

import (
	"context"
	"sort"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// TestRealDumpOutputsNotModelled reads the genuine outputs a CloudMapper,
// Batfish or AWS CLI collection holds beside the ones read here: each kind
// gives one info diagnostic for the whole read, a file combining a read
// output with others keeps what is read, target health without its group
// is a warning saying how to name the file, and a key of no AWS output is
// still an error.
func TestRealDumpOutputsNotModelled(t *testing.T) {
	files := []File{
		{Path: "123456789012/us-east-1/ec2-describe-availability-zones.json", Data: []byte(`{"AvailabilityZones": [{"ZoneName": "us-east-1a", "State": "available"}]}`)},
		{Path: "123456789012/eu-west-1/ec2-describe-availability-zones.json", Data: []byte(`{"AvailabilityZones": [{"ZoneName": "eu-west-1a", "State": "available"}]}`)},
		{Path: "123456789012/us-east-1/ec2-describe-snapshots.json", Data: []byte(`{"Snapshots": [{"SnapshotId": "snap-1"}]}`)},
		{Path: "123456789012/us-east-1/ec2-describe-vpn-connections.json", Data: []byte(`{"VpnConnections": []}`)},
		{Path: "123456789012/us-east-1/ec2-describe-transit-gateways.json", Data: []byte(`{"TransitGateways": []}`)},
		{Path: "123456789012/iam-get-account-authorization-details.json", Data: []byte(`{"UserDetailList": [], "GroupDetailList": [], "RoleDetailList": [], "Policies": []}`)},
		// One file combining outputs (as some collectors write them).
		{Path: "123456789012/us-east-1/combined.json", Data: []byte(`{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}], "FlowLogs": [{"FlowLogId": "fl-1"}]}`)},
		// The AWS CLI's documented example of describe-target-health.
		{Path: "123456789012/us-east-1/elbv2-describe-target-health.json", Data: []byte(`{"TargetHealthDescriptions": [{"Target": {"Id": "i-0f76fade", "Port": 80}, "HealthCheckPort": "80", "TargetHealth": {"State": "healthy"}}]}`)},
	}
	g := Read(context.Background(), files, Options{})
	if g.Node("vpc-1") == nil {
		t.Error("the combined file's VPC was not read")
	}
	var infos, warnings, errs []string
	for _, d := range g.Diagnostics {
		switch d.Severity {
		case graph.SeverityInfo:
			infos = append(infos, d.Summary)
		case graph.SeverityWarning:
			warnings = append(warnings, d.Summary)
		default:
			errs = append(errs, d.Error())
		}
	}
	if len(errs) > 0 {
		t.Errorf("errors for genuine AWS outputs: %q", errs)
	}
	wantInfos := []string{
		"not modelled: AvailabilityZones in 2 files (123456789012/eu-west-1/ec2-describe-availability-zones.json, …)",
		"not modelled: FlowLogs in 123456789012/us-east-1/combined.json",
		"not modelled: GroupDetailList in 123456789012/iam-get-account-authorization-details.json",
		"not modelled: Policies in 123456789012/iam-get-account-authorization-details.json",
		"not modelled: RoleDetailList in 123456789012/iam-get-account-authorization-details.json",
		"not modelled: Snapshots in 123456789012/us-east-1/ec2-describe-snapshots.json",
		"not modelled: TransitGateways in 123456789012/us-east-1/ec2-describe-transit-gateways.json",
		"not modelled: UserDetailList in 123456789012/iam-get-account-authorization-details.json",
		"not modelled: VpnConnections in 123456789012/us-east-1/ec2-describe-vpn-connections.json",
	}
	sort.Strings(infos)
	if strings.Join(infos, "\n") != strings.Join(wantInfos, "\n") {
		t.Errorf("info diagnostics:\n%s\nwant:\n%s", strings.Join(infos, "\n"), strings.Join(wantInfos, "\n"))
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "target health without its target group") || !strings.Contains(warnings[0], "name the file") {
		t.Errorf("warnings: %q", warnings)
	}

	g = Read(context.Background(), []File{{Path: "x.json", Data: []byte(`{"Widgets": [1]}`)}}, Options{})
	if len(g.Diagnostics) != 1 || g.Diagnostics[0].Severity != graph.SeverityError {
		t.Errorf("JSON that is no AWS output: %v", g.Diagnostics)
	}
}
