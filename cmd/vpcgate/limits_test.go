package main

import (
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"
	"time"
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

// gcPercent reads GOGC as the runtime has it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestStartHeap: a command's start heap turns the collector off with the
// soft limit at startHeap; the first collection puts GOGC and the
// command's limit back; a window the command closed itself is not
// reopened or changed by its late finalizer; GOGC set opens none.
func TestStartHeap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	finalized := make(chan struct{}, 4)
	defer startHeapFinalized.Store(startHeapFinalized.Load())
	hook := func(w *heapWindow) {
		closeStartHeap(w)
		select {
		case finalized <- struct{}{}:
		default:
		}
	}
	startHeapFinalized.Store(&hook)
	// collect until the window's finalizer has run (a finalizer runs
	// after the collection that found its object unreachable).
	collect := func() {
		t.Helper()
		for range 200 {
			runtime.GC()
			select {
			case <-finalized:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
		t.Fatal("the start heap's finalizer never ran")
	}

	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	setMemoryLimit(300_000)
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != -1 || l != startHeap {
		t.Fatalf("in the start heap: GOGC %d, limit %d; want off and %d", p, l, startHeap)
	}
	collect()
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != 100 || l != 300_000*memoryPerNode {
		t.Errorf("after the first collection: GOGC %d, limit %d; want 100 and %d", p, l, 300_000*memoryPerNode)
	}

	// A limit below startHeap is the window's limit.
	t.Setenv("GOMEMLIMIT", "100MiB")
	debug.SetMemoryLimit(100 << 20)
	setMemoryLimit(0)
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != -1 || l != 100<<20 {
		t.Errorf("under GOMEMLIMIT=100MiB: GOGC %d, limit %d; want off and %d", p, l, 100<<20)
	}
	// The command returns first: GOGC and its limit are back, and the
	// finalizer that comes later changes nothing.
	closeOpenStartHeap()
	debug.SetGCPercent(77)
	debug.SetMemoryLimit(123 << 20)
	collect()
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != 77 || l != 123<<20 {
		t.Errorf("a closed window's finalizer changed GOGC to %d and the limit to %d", p, l)
	}

	// GOGC set: no start heap.
	t.Setenv("GOGC", "100")
	t.Setenv("GOMEMLIMIT", "")
	setMemoryLimit(0)
	if p := gcPercent(); p != 77 {
		t.Errorf("GOGC set: GOGC changed to %d", p)
	}
	if startWindow.open != nil {
		t.Error("GOGC set: a start heap is open")
	}

	// A command leaves GOGC as it found it.
	t.Setenv("GOGC", "")
	debug.SetGCPercent(100)
	if _, stderr, code := runCLI(t, "scan", "--fail-on", "none", filepath.Join(fixtures, "production")); code != exitClean {
		t.Fatalf("scan: exit %d: %s", code, stderr)
	}
	if p := gcPercent(); p != 100 {
		t.Errorf("after a command GOGC is %d, want 100", p)
	}
}
