package terraform_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/policies"
)

const root = "../../.."

// findingKeys analyzes path and returns its findings in a form that does
// not depend on ids: rule, kind of resource, and the resource's name.
func findingKeys(t *testing.T, eng *policies.Engine, path string) []string {
	t.Helper()
	res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{path}})
	if err != nil {
		t.Fatalf("analyze %s: %v", path, err)
	}
	for _, d := range res.Diagnostics {
		if d.Severity == graph.SeverityError {
			t.Errorf("%s: %s", path, d.Error())
		}
	}
	fs, err := eng.Evaluate(context.Background(), res.Graph)
	if err != nil {
		t.Fatalf("evaluate %s: %v", path, err)
	}
	var out []string
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %s undetermined=%v", f.RuleID, f.Resource.Kind, nameOf(res.Graph, f.Resource.ID), f.Undetermined))
	}
	sort.Strings(out)
	return out
}

// nameOf names a node independently of the form it was read from.
func nameOf(g *graph.Graph, id string) string {
	n := g.Node(id)
	if n == nil {
		return "?" + id
	}
	switch v := n.(type) {
	case *graph.SecurityGroup:
		if v.IsDefault() {
			return "default"
		}
		if v.GroupName != "" {
			return v.GroupName
		}
	case *graph.NetworkACL:
		if v.IsDefault {
			return "default"
		}
	case *graph.RouteTable:
		if v.Main {
			return "main"
		}
	case *graph.LoadBalancer:
		if v.LBName != "" {
			return v.LBName
		}
	case *graph.AutoScalingGroup, *graph.DBInstance:
		return n.Meta().ID
	}
	if b := n.Meta(); b.Name != "" {
		return b.Name
	}
	return id
}

// TestSameFindingsAsDescribe checks that each architecture written as
// Terraform gives the same findings (rule, kind, resource) as the describe
// dump of the same architecture built on moto.
func TestSameFindingsAsDescribe(t *testing.T) {
	t.Parallel()
	eng, err := policies.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, arch := range []string{"basic", "improved", "production"} {
		t.Run(arch, func(t *testing.T) {
			want := findingKeys(t, eng, filepath.Join(root, "testdata", "describe", arch))
			got := findingKeys(t, eng, filepath.Join(root, "examples", "terraform", arch))
			if len(want) == 0 {
				t.Fatalf("the describe fixture of %s gives no findings", arch)
			}
			t.Logf("%d findings: %v", len(got), got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings differ (-describe +terraform):\n%s", diff)
			}
		})
	}
}
