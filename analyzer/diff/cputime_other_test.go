//go:build !unix

package diff

import "time"

// processCPU is unknown here; the benchmark then reports 0 CPU time.
func processCPU() time.Duration { return 0 }
