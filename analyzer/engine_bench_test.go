package analyzer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/vpcgate/vpcgate/internal/estate"
	"github.com/vpcgate/vpcgate/internal/gcstart"
	"github.com/vpcgate/vpcgate/internal/tfgen"
)

// workspace writes vpcs VPCs of perVPC resources (internal/tfgen, the
// generator the language server's benchmarks use too): each its own root
// module when stacks, else files of one module.
func workspace(tb testing.TB, vpcs, perVPC int, stacks bool) (dir string, files []string) {
	tb.Helper()
	dir = tb.TempDir()
	files, err := tfgen.Write(dir, vpcs, perVPC, stacks)
	if err != nil {
		tb.Fatal(err)
	}
	return dir, files
}

func TestWorkspaceGenerator(t *testing.T) {
	t.Parallel()
	for _, stacks := range []bool{true, false} {
		t.Run(fmt.Sprintf("stacks=%t", stacks), func(t *testing.T) { testWorkspace(t, stacks) })
	}
}

// testWorkspace edits one VPC of three: only its component is derived
// and evaluated again, whether the VPCs are stacks or files of one module.
func testWorkspace(t *testing.T, stacks bool) {
	dir, files := workspace(t, 3, 100, stacks)
	e := newTestEngine(t)
	s, err := e.Analyze(context.Background(), Request{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if s.HasErrors() || s.Graph.Len() < 250 || (stacks && len(s.Inputs) != 3) {
		t.Fatalf("%d nodes, %d inputs, diagnostics %v", s.Graph.Len(), len(s.Inputs), s.Diagnostics)
	}
	s2, err := e.Update(context.Background(), Change{Path: files[1], Content: []byte(tfgen.VPCFile(1, 100, tfgen.World))})
	if err != nil {
		t.Fatal(err)
	}
	if len(findingsOf(s2, "admin-ports-open-to-world")) != len(findingsOf(s, "admin-ports-open-to-world"))+1 {
		t.Errorf("opening SSH adds one finding: %d → %d", len(findingsOf(s, "admin-ports-open-to-world")), len(findingsOf(s2, "admin-ports-open-to-world")))
	}
	if e.derived[0] != 1 {
		t.Errorf("the edit re-derived %d of %d components, want 1", e.derived[0], e.derived[1])
	}
}

// BenchmarkEngineEdit measures one-file edits re-analysed — graph,
// findings and costs — alternating SSH from an admin address and from the
// world in one VPC: a 300-resource module, and 5,000-resource workspaces
// of 50 VPCs as 50 stacks (root modules) or as 50 files of one module;
// with the collector at Go's default (GOGC 100) and as the language
// server sets it (lsp: GOGC 400, lsp.Options.GCPercent).
// Run: go test -run '^$' -bench EngineEdit ./analyzer
func BenchmarkEngineEdit(b *testing.B) {
	for _, tc := range []struct {
		name         string
		vpcs, perVPC int
		stacks       bool
	}{
		{"module-300", 3, 100, false},
		{"stacks-5000", 50, 100, true},
		{"module-5000", 50, 100, false},
	} {
		for _, gc := range []int{100, 400} {
			name := tc.name
			if gc != 100 {
				name += "/lsp"
			}
			b.Run(name, func(b *testing.B) {
				defer debug.SetGCPercent(debug.SetGCPercent(gc))
				ctx := context.Background()
				dir, files := workspace(b, tc.vpcs, tc.perVPC, tc.stacks)
				e, err := NewEngine(ctx)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := e.Analyze(ctx, Request{Paths: []string{dir}}); err != nil {
					b.Fatal(err)
				}
				edit := [2][]byte{[]byte(tfgen.VPCFile(1, tc.perVPC, tfgen.World)), []byte(tfgen.VPCFile(1, tc.perVPC, tfgen.Admin))}
				i := 0
				b.ReportAllocs()
				b.ResetTimer()
				for b.Loop() {
					s, err := e.Update(ctx, Change{Path: files[1], Content: edit[i%2]})
					if err != nil {
						b.Fatal(err)
					}
					if s.Costs == nil || len(s.Findings) == 0 {
						b.Fatal("no costs or findings")
					}
					i++
				}
			})
		}
	}
}

// BenchmarkEngineUnchanged measures an analysis of an unchanged
// 5,000-resource workspace: nothing is parsed again.
func BenchmarkEngineUnchanged(b *testing.B) {
	ctx := context.Background()
	dir, _ := workspace(b, 50, 100, true)
	e, err := NewEngine(ctx)
	if err != nil {
		b.Fatal(err)
	}
	if _, err := e.Analyze(ctx, Request{Paths: []string{dir}}); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s, err := e.Analyze(ctx, Request{Paths: []string{dir}})
		if err != nil {
			b.Fatal(err)
		}
		if len(s.Reread) != 0 {
			b.Fatalf("re-read %v", s.Reread)
		}
	}
}

// BenchmarkEngineCold is a whole scan (graph, findings, costs) by a new
// engine: the 10k-instance describe estate and a 5,000-resource module,
// with the collector as a library user has it (GOGC 100), and as vpcgate's
// commands run it (cli: a start heap of internal/gcstart, in a heap
// collected before each scan, as a new process's is).
func BenchmarkEngineCold(b *testing.B) {
	ctx := context.Background()
	est := b.TempDir()
	if _, err := estate.Write(est, estate.Options{Instances: 10000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	mod, _ := workspace(b, 50, 100, false)
	for _, tc := range []struct{ name, dir string }{{"estate-10k", est}, {"module-5000", mod}} {
		for _, cli := range []bool{false, true} {
			name := tc.name
			if cli {
				name += "/cli"
			}
			b.Run(name, func(b *testing.B) {
				for b.Loop() {
					if cli {
						b.StopTimer()
						runtime.GC()
						b.StartTimer()
						gcstart.Open(math.MaxInt64)
					}
					// As vpcgate scan makes it.
					e, err := NewEngine(ctx, WithParts(PartFindings), WithoutReuse())
					if err != nil {
						b.Fatal(err)
					}
					if _, err := e.Analyze(ctx, Request{Paths: []string{tc.dir}}); err != nil {
						b.Fatal(err)
					}
					gcstart.Close()
				}
			})
		}
	}
}

// TestCancelEstate cancels an analysis of the 10k-instance estate at
// several points: each returns context.Canceled and publishes no snapshot.
// The time from the cancel to the return is logged (go test -v -run
// CancelEstate), not asserted: the machine may be loaded.
func TestCancelEstate(t *testing.T) {
	if testing.Short() {
		t.Skip("writes an 85 MB estate")
	}
	dir := t.TempDir()
	if _, err := estate.Write(dir, estate.Options{Instances: 10000, Seed: 1}); err != nil {
		t.Fatal(err)
	}
	// The points fall in reading, joining, deriving (load balancer
	// targets), building the policy input and evaluating on an idle
	// 2-core machine.
	for _, after := range []time.Duration{50 * time.Millisecond, 300 * time.Millisecond, 500 * time.Millisecond, 600 * time.Millisecond, 700 * time.Millisecond, 900 * time.Millisecond, 1200 * time.Millisecond} {
		// A new engine each time: one that read the inputs before would
		// answer from its cache and never reach the later phases.
		e := newTestEngine(t)
		ctx, cancel := context.WithCancel(context.Background())
		at := make(chan time.Time, 1)
		timer := time.AfterFunc(after, func() { at <- time.Now(); cancel() })
		s, err := e.Analyze(ctx, Request{Paths: []string{dir}})
		stopped := time.Now()
		timer.Stop()
		cancel()
		if err == nil {
			// Finished before the cancel: a whole snapshot.
			if s == nil || s.Graph.Len() == 0 {
				t.Fatal("a finished analysis without a snapshot")
			}
			continue
		}
		if !errors.Is(err, context.Canceled) || s != nil {
			t.Fatalf("cancelled after %v: snapshot %v, error %v", after, s != nil, err)
		}
		if e.Last() != nil {
			t.Fatal("a cancelled analysis published a snapshot")
		}
		t.Logf("cancelled %v into the analysis: returned %v after the cancel", after, stopped.Sub(<-at))
	}
}
