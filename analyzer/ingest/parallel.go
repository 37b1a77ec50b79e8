package ingest

import (
	"context"
	"runtime"
	"sync"
	"sync/atomic"
)

// Parallel runs fn(0..n-1) on up to GOMAXPROCS goroutines, skipping the
// remaining work once ctx is done.
func Parallel(ctx context.Context, n int, fn func(int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := 0; i < n && ctx.Err() == nil; i++ {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}
