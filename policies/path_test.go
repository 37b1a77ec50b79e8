package policies_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/policies"
)

// TestExposurePath: a finding located at an internet exposure carries the
// reachability path hop by hop, each with its most precise range (the route
// back to the gateway, the security group rule), for the SARIF codeFlow.
func TestExposurePath(t *testing.T) {
	t.Parallel()
	e, err := policies.New(context.Background(), policies.WithRules("only-lb-public", "admin-ports-open-to-world"))
	if err != nil {
		t.Fatal(err)
	}
	res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{"../examples/terraform/basic"}})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := e.Evaluate(context.Background(), res.Graph)
	if err != nil {
		t.Fatal(err)
	}
	var db *policies.Finding
	for i, f := range fs {
		if f.RuleID == "admin-ports-open-to-world" && len(f.Path) > 0 {
			t.Errorf("%s: a finding not located at an exposure has a path", f.Message)
		}
		if f.RuleID == "only-lb-public" && len(f.Path) == 0 {
			t.Errorf("%s: an exposure finding without its path", f.Message)
		}
		if f.RuleID == "only-lb-public" && strings.Contains(f.Message, "three-tier-db") {
			db = &fs[i]
		}
	}
	if db == nil {
		t.Fatal("no finding for the database reachable on 3306")
	}
	var got []string
	for _, h := range db.Path {
		got = append(got, fmt.Sprintf("%s %s %s:%d:%d-%d:%d", h.Kind, h.ID, strings.TrimPrefix(h.Range.File, "../examples/terraform/"), h.Range.Start.Line, h.Range.Start.Column, h.Range.End.Line, h.Range.End.Column))
	}
	want := []string{
		"internet internet :0:0-0:0",
		"internet_gateway aws_internet_gateway.main basic/main.tf:53:1-56:2",
		"route_table aws_route_table.public basic/main.tf:71:3-74:4",
		"network_acl aws_vpc.main.default_network_acl basic/main.tf:47:1-51:2",
		"security_group aws_security_group.db basic/main.tf:117:5-117:32",
		"db_instance three-tier-db basic/main.tf:150:1-165:2",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("path (-want +got):\n%s", diff)
	}
	if db.Path[4].Role != "inbound rule 0 allows tcp 3306 from 0.0.0.0/0" {
		t.Errorf("hop detail: %q", db.Path[4].Role)
	}
}
