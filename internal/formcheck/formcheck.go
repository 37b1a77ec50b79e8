// Package formcheck compares the findings that different input forms of
// the same architecture give (describe dumps, Terraform, CloudFormation),
// in a form that does not depend on ids. It serves the ingest packages'
// same-findings tests. Its own tests compare more than findings: the whole
// graphs (nodes, attributes, references, derived facts) of the three
// architectures read from each form (graph_test.go).
package formcheck

import (
	"context"
	"fmt"
	"sort"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/policies"
)

// FindingKeys analyzes path and returns its findings as sorted lines of
// rule, kind of resource, the resource's form-independent name (NameOf)
// and whether the finding is undetermined. Error diagnostics fail t.
func FindingKeys(t testing.TB, eng *policies.Engine, path string) []string {
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
	out := make([]string, 0, len(fs))
	for _, f := range fs {
		out = append(out, fmt.Sprintf("%s %s %s undetermined=%v", f.RuleID, f.Resource.Kind, NameOf(res.Graph, f.Resource.ID), f.Undetermined))
	}
	sort.Strings(out)
	return out
}

// NameOf names a node independently of the form it was read from: the
// group name of a security group, "default" for a VPC's default group or
// ACL, "main" for its main route table, the name of a load balancer, the id
// of an Auto Scaling group or DB instance (their names), else the Name tag.
func NameOf(g *graph.Graph, id string) string {
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
