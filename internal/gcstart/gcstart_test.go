package gcstart

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

// gcPercent reads GOGC as the runtime has it.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestStartHeap: an open start heap turns the collector off with the soft
// limit at Heap (or the command's limit, if lower); the first collection
// puts GOGC and the command's limit back; a window closed by Close is not
// changed by its late finalizer.
func TestStartHeap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	done := make(chan struct{}, 4)
	defer finalized.Store(finalized.Load())
	hook := func(w *window) {
		closeWindow(w)
		select {
		case done <- struct{}{}:
		default:
		}
	}
	finalized.Store(&hook)
	// collect until the window's finalizer has run (a finalizer runs
	// after the collection that found its object unreachable).
	collect := func() {
		t.Helper()
		for range 200 {
			runtime.GC()
			select {
			case <-done:
				return
			case <-time.After(10 * time.Millisecond):
			}
		}
		t.Fatal("the start heap's finalizer never ran")
	}

	const limit = 900 << 20
	debug.SetMemoryLimit(limit)
	Open(limit)
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != -1 || l != Heap || !IsOpen() {
		t.Fatalf("in the start heap: GOGC %d, limit %d, open %t; want off, %d and open", p, l, IsOpen(), Heap)
	}
	Open(limit) // a second Open changes nothing
	collect()
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != 100 || l != limit || IsOpen() {
		t.Errorf("after the first collection: GOGC %d, limit %d, open %t; want 100, %d and closed", p, l, IsOpen(), limit)
	}

	// A limit below Heap is the window's limit.
	Open(100 << 20)
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != -1 || l != 100<<20 {
		t.Errorf("under a 100 MiB limit: GOGC %d, limit %d; want off and %d", p, l, 100<<20)
	}
	// The command returns first: GOGC and its limit are back, and the
	// finalizer that comes later changes nothing.
	Close()
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != 100 || l != 100<<20 || IsOpen() {
		t.Errorf("after Close: GOGC %d, limit %d, open %t", p, l, IsOpen())
	}
	debug.SetGCPercent(77)
	debug.SetMemoryLimit(123 << 20)
	collect()
	if p, l := gcPercent(), debug.SetMemoryLimit(-1); p != 77 || l != 123<<20 {
		t.Errorf("a closed window's finalizer changed GOGC to %d and the limit to %d", p, l)
	}
	Close() // nothing open: nothing changes
	if p := gcPercent(); p != 77 {
		t.Errorf("Close with nothing open set GOGC to %d", p)
	}
}
