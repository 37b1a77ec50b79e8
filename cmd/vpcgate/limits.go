package main

import (
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
