package cloudformation_test

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/internal/formcheck"
	"github.com/vpcgate/vpcgate/internal/golden"
	"github.com/vpcgate/vpcgate/policies"
)

const root = "../../.."

// TestSameFindingsAsDescribe checks that each architecture written as a
// CloudFormation template gives the same findings as the describe dump of
// the same architecture built on moto.
func TestSameFindingsAsDescribe(t *testing.T) {
	t.Parallel()
	eng, err := policies.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, arch := range []string{"basic", "improved", "production"} {
		t.Run(arch, func(t *testing.T) {
			want := formcheck.FindingKeys(t, eng, filepath.Join(root, "testdata", "describe", arch))
			got := formcheck.FindingKeys(t, eng, filepath.Join(root, "examples", "cloudformation", arch+".yaml"))
			if len(want) == 0 {
				t.Fatalf("the describe fixture of %s gives no findings", arch)
			}
			t.Logf("%d findings: %v", len(got), got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("findings differ (-describe +cloudformation):\n%s", diff)
			}
		})
	}
}

// TestCDKFindingsGolden pins the findings on the design documents' CDK app
// (examples/cdk/cdk.out): rule, resource, construct path and the range in
// the synthesized template.
func TestCDKFindingsGolden(t *testing.T) {
	t.Parallel()
	eng, err := policies.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{filepath.Join(root, "examples", "cdk", "cdk.out")}})
	if err != nil {
		t.Fatal(err)
	}
	fs, err := eng.Evaluate(context.Background(), res.Graph)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	nat := false
	for _, f := range fs {
		cp := ""
		if n := res.Graph.Node(f.Resource.ID); n != nil {
			cp = n.Meta().Source.ConstructPath
		}
		rel, _ := filepath.Rel(root, f.Subject.File)
		lines = append(lines, fmt.Sprintf("%s %s %s (%s) at %s:%d:%d undetermined=%v", f.RuleID, f.Resource.Kind, f.Resource.ID, cp, filepath.ToSlash(rel), f.Subject.Start.Line, f.Subject.Start.Column, f.Undetermined))
		if f.RuleID == "private-egress-via-nat" {
			nat = true
		}
	}
	sort.Strings(lines)
	if !nat {
		t.Error("one NAT gateway serving three AZs is not reported (private-egress-via-nat)")
	}
	got := []byte(strings.Join(lines, "\n") + "\n")
	golden.Check(t, filepath.Join(root, "testdata", "cloudformation", "golden", "cdk-example.findings.txt"), got)
}
