package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer/ingest"
)

// maxDepthFlag bounds --max-depth (the library clamps Limits.MaxDepth
// there too: see ingest.MaxDepthBound).
const maxDepthFlag = ingest.MaxDepthBound

// limitFlags reads --max-file-size, --max-nodes and --max-depth, refusing
// values that are not positive (a flag a command does not define reads as
// zero: the default).
func limitFlags(c *cli.Context) (ingest.Limits, error) {
	l := ingest.Limits{MaxFileSize: c.Int64("max-file-size"), MaxNodes: c.Int("max-nodes"), MaxDepth: c.Int("max-depth")}
	for _, f := range []struct {
		name string
		v    int64
	}{{"max-file-size", l.MaxFileSize}, {"max-nodes", int64(l.MaxNodes)}, {"max-depth", int64(l.MaxDepth)}} {
		if c.IsSet(f.name) && f.v <= 0 {
			return l, usageError("%s: --%s %d: want a positive number", commandName(c), f.name, f.v)
		}
	}
	if c.IsSet("max-depth") && l.MaxDepth > maxDepthFlag {
		return l, usageError("%s: --max-depth %d: at most %d (deeper nesting would overflow the parsers' stacks)", commandName(c), l.MaxDepth, maxDepthFlag)
	}
	return l, nil
}

// Memory: the Go runtime lets the heap grow to twice what is live before it
// collects, so an analysis near its node budget held twice the memory it
// needs (issue 13's 200,000 security groups: 987 MiB of heap, 1.1 GB
// resident). The commands set a soft memory limit proportional to the node
// budget, so the collector works harder as the heap nears it: the same run
// peaks at ~760 MiB. GOMEMLIMIT, when set, wins; a larger --max-nodes raises
// the limit with the budget.
const (
	memoryPerNode  = 4608      // bytes of limit per node of the budget
	minMemoryLimit = 512 << 20 // the limit under small budgets
)

// memoryLimit returns the soft memory limit for a node budget.
func memoryLimit(maxNodes int) int64 {
	if maxNodes <= 0 {
		maxNodes = ingest.DefaultMaxNodes
	}
	return max(minMemoryLimit, int64(maxNodes)*memoryPerNode)
}

// setMemoryLimit applies memoryLimit unless GOMEMLIMIT is set, and opens
// the command's start heap unless GOGC is set (run puts the previous limit
// and GOGC back when the command returns).
func setMemoryLimit(maxNodes int) {
	limit := memoryLimit(maxNodes)
	if os.Getenv("GOMEMLIMIT") != "" {
		limit = debug.SetMemoryLimit(-1)
	} else {
		debug.SetMemoryLimit(limit)
	}
	if os.Getenv("GOGC") == "" {
		openStartHeap(limit)
	}
}

// Start heap: a command analyses once and allocates several times what it
// keeps (a 5,000-resource Terraform module: about 300 MB allocated; the
// 10,000-instance estate about 410 MB). At the default GOGC the collector
// starts at a 4 MB heap and runs cycle after cycle while the heap grows:
// a third of the CPU of such a scan. So, as the Go compiler does for its
// own start, a command lets the heap grow to startHeap (or its soft memory
// limit, if lower) before the first collection: the collector is off and
// the soft limit is startHeap. The first collection closes the window (a
// finalizer on an object allocated when it opened runs after it): GOGC and
// the command's limit are back, and the heap grows from what is live as
// usual. Memory stays bounded: by startHeap until the first collection,
// by the command's limit after it. GOGC set in the environment turns this
// off.
const startHeap = 512 << 20

// heapWindow is an open start heap: what closing it restores.
type heapWindow struct {
	percent int
	limit   int64
}

var startWindow struct {
	sync.Mutex
	open *heapWindow
}

// openStartHeap opens a start heap for a command whose soft memory limit is
// limit (none when one is open already).
func openStartHeap(limit int64) {
	startWindow.Lock()
	defer startWindow.Unlock()
	if startWindow.open != nil {
		return
	}
	w := &heapWindow{limit: limit}
	w.percent = debug.SetGCPercent(-1)
	debug.SetMemoryLimit(min(limit, startHeap))
	startWindow.open = w
	// The sentinel is unreachable from here on: the next collection finds
	// it and queues the finalizer. (A pointer-free object of 16 bytes or
	// less could share its block with others and be finalized late.)
	sentinel := &struct {
		w   *heapWindow
		pad [24]byte
	}{w: w}
	runtime.SetFinalizer(sentinel, func(any) { (*startHeapFinalized.Load())(w) })
}

// startHeapFinalized runs when the sentinel of start heap w is finalized
// (the tests wrap it; finalizers run on their own goroutine).
var startHeapFinalized atomic.Pointer[func(*heapWindow)]

func init() {
	f := closeStartHeap
	startHeapFinalized.Store(&f)
}

// closeStartHeap closes start heap w if it is still open: GOGC and the
// command's limit are back.
func closeStartHeap(w *heapWindow) {
	startWindow.Lock()
	defer startWindow.Unlock()
	if w == nil || startWindow.open != w {
		return
	}
	startWindow.open = nil
	debug.SetGCPercent(w.percent)
	debug.SetMemoryLimit(w.limit)
}

// closeOpenStartHeap closes the open start heap, if any (when a command
// returns before its first collection).
func closeOpenStartHeap() {
	startWindow.Lock()
	w := startWindow.open
	startWindow.Unlock()
	closeStartHeap(w)
}
