package policies

import (
	"bytes"
	"flag"
	"os"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite golden files and RULES.md")

// TestRulesDocUpToDate checks that the committed RULES.md is what
// `vpcgate policies doc` generates (go test ./policies -update rewrites it).
func TestRulesDocUpToDate(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteDoc(&buf, newEngine(t).Rules()); err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile("RULES.md", buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile("RULES.md")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), buf.String()); diff != "" {
		t.Errorf("RULES.md is stale; run `vpcgate policies doc > policies/RULES.md` or go test ./policies -update (-want +got):\n%s", diff)
	}
}
