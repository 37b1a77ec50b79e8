//go:build !unix

package policies_test

import "time"

// processCPU is unknown here; the benchmark then reports 0 CPU time.
func processCPU() time.Duration { return 0 }
