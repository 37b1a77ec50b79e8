package terraform_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/policies"
)

// TestPlanGivesSameFindingsAsConfiguration checks that the plan JSON of a
// configuration gives the same findings, on the same resources and the same
// lines of main.tf, as the configuration itself.
func TestPlanGivesSameFindingsAsConfiguration(t *testing.T) {
	t.Parallel()
	eng, err := policies.New(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	src := filepath.Join(root, "testdata", "terraform", "plan")
	// The configuration alone, in a folder without the JSON files.
	hcl := t.TempDir()
	b, err := os.ReadFile(filepath.Join(src, "main.tf"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(hcl, "main.tf"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	keys := func(path string) []string {
		t.Helper()
		res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{path}})
		if err != nil {
			t.Fatalf("analyze %s: %v", path, err)
		}
		fs, err := eng.Evaluate(context.Background(), res.Graph)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range fs {
			out = append(out, fmt.Sprintf("%s %s %s:%d suppressed=%v undetermined=%v", f.RuleID, f.Resource.ID, filepath.Base(f.Subject.File), f.Subject.Start.Line, f.Suppressed, f.Undetermined))
		}
		sort.Strings(out)
		return out
	}
	want := keys(hcl)
	got := keys(filepath.Join(src, "plan.json"))
	if len(want) == 0 {
		t.Fatal("the configuration gives no findings")
	}
	t.Logf("%d findings: %v", len(got), got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings differ (-configuration +plan):\n%s", diff)
	}
}
