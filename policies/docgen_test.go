package policies

import (
	"bytes"
	"testing"

	"github.com/vpcgate/vpcgate/internal/golden"
)

// TestRulesDocUpToDate checks that the committed RULES.md is what
// `vpcgate policies doc` generates (go test ./policies -update rewrites it).
func TestRulesDocUpToDate(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteDoc(&buf, newEngine(t).Rules()); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "RULES.md", buf.Bytes())
	if t.Failed() {
		t.Log("RULES.md is stale: go test ./policies -update, or vpcgate policies doc > policies/RULES.md")
	}
}
