package policies

import (
	"context"
	"testing"
)

// TestRego runs every built-in Rego unit test, one subtest each.
func TestRego(t *testing.T) {
	t.Parallel()
	results, err := RunTests(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(results) == 0 {
		t.Fatal("no Rego tests found")
	}
	for _, r := range results {
		t.Run(r.Name, func(t *testing.T) {
			t.Parallel()
			switch {
			case r.Error != "":
				t.Errorf("%s:%d: error: %s", r.File, r.Line, r.Error)
			case r.Skipped:
				t.Skipf("%s:%d: skipped", r.File, r.Line)
			case !r.Pass:
				t.Errorf("%s:%d: failed", r.File, r.Line)
			}
		})
	}
}
