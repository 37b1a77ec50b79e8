package main

import (
	"os"
	"runtime/debug"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/internal/gcstart"
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
		gcstart.Open(limit)
	}
}
