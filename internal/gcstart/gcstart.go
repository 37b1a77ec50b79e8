// Package gcstart gives a one-shot command a start heap: the garbage
// collector waits until the heap reaches Heap before its first cycle.
//
// A command analyses once and allocates several times what it keeps (a
// 5,000-resource Terraform module: about 300 MB allocated; the
// 10,000-instance estate about 410 MB). At the default GOGC the collector
// starts at a 4 MB heap and runs cycle after cycle while the heap grows: a
// third of the CPU of such a scan. So, as the Go compiler does for its own
// start, a command lets the heap grow to Heap (or its soft memory limit, if
// lower) before the first collection: the collector is off and the soft
// limit is Heap. The first collection closes the window (a finalizer on an
// object allocated when it opened runs after it): GOGC and the command's
// limit are back, and the heap grows from what is live as usual. Memory
// stays bounded: by Heap until the first collection, by the command's
// limit after it.
//
// GOGC and the memory limit are the process's: only a command (vpcgate's
// main, a benchmark measuring it) opens a window, never the library.
package gcstart

import (
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// Heap is the size the heap may reach before the first collection.
const Heap = 512 << 20

// window is an open start heap: what closing it restores.
type window struct {
	percent int
	limit   int64
}

var open struct {
	sync.Mutex
	w *window
}

// finalized runs when the sentinel of window w is finalized (the tests
// wrap it; finalizers run on their own goroutine).
var finalized atomic.Pointer[func(*window)]

func init() {
	f := closeWindow
	finalized.Store(&f)
}

// Open opens a start heap for a command whose soft memory limit is limit
// (and does nothing when one is open already). GOGC and the limit are put
// back by the first collection or by Close, whichever comes first.
func Open(limit int64) {
	open.Lock()
	defer open.Unlock()
	if open.w != nil {
		return
	}
	w := &window{limit: limit}
	w.percent = debug.SetGCPercent(-1)
	debug.SetMemoryLimit(min(limit, Heap))
	open.w = w
	// The sentinel is unreachable from here on: the next collection finds
	// it and queues the finalizer. (A pointer-free object of 16 bytes or
	// less could share its block with others and be finalized late.)
	sentinel := &struct {
		w   *window
		pad [24]byte
	}{w: w}
	runtime.SetFinalizer(sentinel, func(any) { (*finalized.Load())(w) })
}

// Close closes the open start heap, if any: a command that returns
// before its first collection puts GOGC and its limit back.
func Close() {
	open.Lock()
	w := open.w
	open.Unlock()
	closeWindow(w)
}

// IsOpen reports whether a start heap is open.
func IsOpen() bool {
	open.Lock()
	defer open.Unlock()
	return open.w != nil
}

// closeWindow closes window w if it is still the open one.
func closeWindow(w *window) {
	open.Lock()
	defer open.Unlock()
	if w == nil || open.w != w {
		return
	}
	open.w = nil
	debug.SetGCPercent(w.percent)
	debug.SetMemoryLimit(w.limit)
}
