package main

import (
	"path/filepath"
	"runtime/debug"
	"testing"

	"github.com/vpcgate/vpcgate/internal/gcstart"
)

// TestMemoryLimit: the soft memory limit follows the node budget, GOMEMLIMIT
// wins over it, and a command puts the previous limit back.
func TestMemoryLimit(t *testing.T) {
	prev := debug.SetMemoryLimit(-1)
	defer debug.SetMemoryLimit(prev)
	for _, c := range []struct {
		nodes int
		want  int64
	}{{0, 200_000 * memoryPerNode}, {200_000, 200_000 * memoryPerNode}, {10, minMemoryLimit}, {1_000_000, 1_000_000 * memoryPerNode}} {
		if got := memoryLimit(c.nodes); got != c.want {
			t.Errorf("memoryLimit(%d) = %d, want %d", c.nodes, got, c.want)
		}
	}
	if memoryLimit(0) >= 1<<30 {
		t.Errorf("the default limit %d MiB is not under 1 GiB", memoryLimit(0)>>20)
	}

	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "100") // no start heap (TestStartHeap)
	debug.SetMemoryLimit(123 << 30)
	setMemoryLimit(300_000)
	if got := debug.SetMemoryLimit(-1); got != 300_000*memoryPerNode {
		t.Errorf("limit %d after setMemoryLimit(300000)", got)
	}
	t.Setenv("GOMEMLIMIT", "5GiB")
	debug.SetMemoryLimit(123 << 30)
	setMemoryLimit(300_000)
	if got := debug.SetMemoryLimit(-1); got != 123<<30 {
		t.Errorf("GOMEMLIMIT set: the limit was changed to %d", got)
	}

	t.Setenv("GOMEMLIMIT", "")
	if _, stderr, code := runCLI(t, "scan", "--fail-on", "none", "--max-nodes", "300000", filepath.Join(fixtures, "production")); code != exitClean {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	if got := debug.SetMemoryLimit(-1); got != 123<<30 {
		t.Errorf("after a command the limit is %d, want the previous one", got)
	}
}

// TestStartHeapCommand: a command opens a start heap unless GOGC is set
// and leaves GOGC as it found it (internal/gcstart tests the window).
func TestStartHeapCommand(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	t.Setenv("GOMEMLIMIT", "")
	t.Setenv("GOGC", "")
	setMemoryLimit(0)
	if !gcstart.IsOpen() || debug.SetMemoryLimit(-1) != gcstart.Heap {
		t.Error("GOGC unset: no start heap")
	}
	gcstart.Close()
	if debug.SetMemoryLimit(-1) != memoryLimit(0) {
		t.Error("the command's limit is not back after the start heap")
	}
	t.Setenv("GOGC", "100")
	setMemoryLimit(0)
	if gcstart.IsOpen() {
		gcstart.Close()
		t.Error("GOGC set: a start heap is open")
	}
	t.Setenv("GOGC", "")
	debug.SetGCPercent(100)
	if _, stderr, code := runCLI(t, "scan", "--fail-on", "none", filepath.Join(fixtures, "production")); code != exitClean {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	if p := debug.SetGCPercent(100); p != 100 || gcstart.IsOpen() {
		t.Errorf("after a command GOGC is %d (start heap open: %t), want 100", p, gcstart.IsOpen())
	}
}
