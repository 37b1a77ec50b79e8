package analyzer

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/internal/hostile"
)

// fromBad reports whether g holds a node read from a file under bad.
func fromBad(g *graph.Graph, bad string) bool {
	for _, n := range g.Nodes() {
		if strings.HasPrefix(n.Meta().Source.Range.File, bad) {
			return true
		}
	}
	return false
}

// Issue 13, deliverable 7: a panic injected into the reader of one input,
// the derivation of its resources, the policy evaluation or the pricing
// becomes an error diagnostic (located at the input where it can be) and
// the other input is still analysed: never a crash.
func TestInjectedPanics(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good"), filepath.Join(dir, "bad")
	hostile.Write(t, good, "main.tf", hostile.GoodTF(t))
	hostile.Write(t, bad, "main.tf", hostile.GoodTF(t))
	cases := []struct {
		stage string
		hook  func(stage string, g *graph.Graph)
		want  string // summary of the error diagnostic
		at    string // its file; "" when not located at an input
	}{
		{"read", func(stage string, _ *graph.Graph) {
			if stage == "read:"+bad {
				panic("injected in the reader")
			}
		}, "internal error while reading the input", bad},
		{"derive", func(stage string, g *graph.Graph) {
			if stage == "derive" && fromBad(g, bad) {
				panic("injected in the derivation")
			}
		}, "internal error deriving the reachability", filepath.Join(bad, "main.tf")},
		{"evaluate", func(stage string, _ *graph.Graph) {
			if stage == "evaluate" {
				panic("injected in the policy input")
			}
		}, "internal error evaluating the policies", ""},
		{"cost", func(stage string, _ *graph.Graph) {
			if stage == "cost" {
				panic("injected in pricing")
			}
		}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.stage, func(t *testing.T) {
			panicHook = c.hook
			defer func() { panicHook = nil }()
			e, err := NewEngine(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			snap, err := e.Analyze(context.Background(), Request{Paths: []string{dir}})
			if err != nil {
				t.Fatalf("the analysis failed: %v", err)
			}
			if c.stage == "cost" {
				if snap.CostErr == nil || !strings.Contains(snap.CostErr.Error(), "injected in pricing") {
					t.Errorf("cost error %v", snap.CostErr)
				}
			} else {
				var found bool
				for _, d := range snap.Diagnostics {
					if d.Severity == graph.SeverityError && strings.HasPrefix(d.Summary, c.want) && d.Range.File == c.at && strings.Contains(d.Detail, "injected") {
						found = true
					}
				}
				if !found {
					t.Fatalf("no error %q at %q: %v", c.want, c.at, snap.Diagnostics)
				}
			}
			// The good input is analysed: its nodes, derived facts and
			// findings (unless the policies themselves were hit).
			var goodFindings int
			for _, f := range snap.Findings {
				if strings.HasPrefix(f.Subject.File, good) {
					goodFindings++
				}
			}
			if c.stage != "evaluate" && goodFindings == 0 {
				t.Errorf("no finding of the good input")
			}
			if !fromBad(snap.Graph, good) {
				t.Error("the good input's nodes are missing")
			}
			if c.stage == "derive" {
				var goodFacts, badFacts int
				for id := range snap.Graph.Facts.Subnets {
					if n := snap.Graph.Node(id); n != nil && strings.HasPrefix(n.Meta().Source.Range.File, good) {
						goodFacts++
					} else if n != nil {
						badFacts++
					}
				}
				if goodFacts == 0 || badFacts != 0 {
					t.Errorf("subnet facts: %d of the good input, %d of the bad one", goodFacts, badFacts)
				}
			}
		})
	}
}
