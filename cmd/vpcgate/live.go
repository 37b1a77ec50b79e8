package main

import (
	"fmt"
	"path/filepath"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/ingest/live"
)

// liveFlags are the flags of scan, graph, cost and explain that analyse a
// live collection instead of (or beside) paths.
func liveFlags() []cli.Flag {
	return append(awsFlags(),
		&cli.BoolFlag{Name: "live", Usage: "collect the AWS accounts now (as collect does) and analyse that; --region R1,R2 or all selects the regions"},
		&cli.StringFlag{Name: "out", Usage: "with --live: also keep the collection as a dump in `DIR`"},
	)
}

// analyzeLive collects in memory (and into --out) and analyses the
// collection, with any paths given beside it.
func analyzeLive(c *cli.Context, eng *analyzer.Engine) (*analyzer.Snapshot, error) {
	name := commandName(c)
	var regions []string
	if c.IsSet("region") {
		regions = []string{c.String("region")}
	}
	cfg, err := liveConfig(c, regions)
	if err != nil {
		return nil, err
	}
	mem := &live.MemSink{}
	var sink live.Sink = mem
	dir := c.String("out")
	if dir != "" {
		sink = live.Tee{mem, live.DirSink{Dir: dir}}
	}
	rep, err := collectInto(c, cfg, sink, dir)
	if rep == nil {
		return nil, exitWith(exitUsage, fmt.Errorf("%s --live: %w", name, err))
	}
	if rep.Interrupted {
		return nil, exitWith(exitInterrupted, nil)
	}
	req := analyzer.Request{Paths: c.Args().Slice()}
	for _, f := range mem.Files() {
		req.Files = append(req.Files, analyzer.File{Path: filepath.Join(dir, filepath.FromSlash(f.Path)), Data: f.Data})
	}
	return analyzePaths(c, eng, req)
}
