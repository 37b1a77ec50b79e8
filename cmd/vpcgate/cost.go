package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/cost"
)

func costCommand() *cli.Command {
	flags := append(append(inputFlags(), liveFlags()...), priceFlags()...)
	flags = append(flags,
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "table, json, csv or markdown", Value: "table"},
		&cli.StringFlag{Name: "usage", Usage: "usage `FILE` (YAML) for what configuration cannot know"},
		&cli.StringSliceFlag{Name: "compare", Usage: "base architecture `PATH` (repeatable): print the difference from it"},
		&cli.StringFlag{Name: "fail-on-increase", Usage: "with --compare, exit 1 when the monthly cost rises by more than `AMOUNT` or PERCENT%"},
	)
	return &cli.Command{
		Name:      "cost",
		Usage:     "monthly cost of an architecture, per resource and component",
		ArgsUsage: "PATH...",
		Flags:     flags,
		Action:    runCost,
	}
}

func runCost(c *cli.Context) error {
	format := c.String("format")
	switch format {
	case cost.FormatTable, cost.FormatJSON, cost.FormatCSV, cost.FormatMarkdown:
	default:
		return usageError("cost: unknown format %q (want table, json, csv or markdown)", format)
	}
	var gate *cost.Threshold
	if s := c.String("fail-on-increase"); s != "" {
		if len(c.StringSlice("compare")) == 0 {
			return usageError("cost: --fail-on-increase needs --compare")
		}
		th, err := cost.ParseThreshold(s)
		if err != nil {
			return usageError("cost: --fail-on-increase: %v", err)
		}
		gate = &th
	}
	eng, err := newEngine(c, analyzer.PartCosts)
	if err != nil {
		return err
	}
	snap, err := analyze(c, eng)
	if err != nil {
		return err
	}
	printDiagnostics(c.App.ErrWriter, snap.Diagnostics)
	if snap.CostErr != nil {
		return usageError("cost: %v", snap.CostErr)
	}
	head := snap.Costs
	if len(c.StringSlice("compare")) == 0 {
		if err := cost.Write(c.App.Writer, head, format); err != nil {
			return err
		}
		if snap.HasErrors() {
			return exitWith(exitUsage, nil)
		}
		return nil
	}
	// The base goes through the same engine, so it is read with the same
	// options (variables, parameters, region, limits) as the head.
	baseSnap, err := eng.Analyze(c.Context, analyzer.Request{Paths: c.StringSlice("compare"), Base: true})
	if err != nil {
		return exitWith(exitUsage, fmt.Errorf("cost: --compare: %w", err))
	}
	printDiagnostics(c.App.ErrWriter, baseSnap.Diagnostics)
	if baseSnap.CostErr != nil {
		return usageError("cost: --compare: %v", baseSnap.CostErr)
	}
	base := baseSnap.Costs
	d, err := cost.Compare(base, head)
	if err != nil {
		return usageError("cost: %v", err)
	}
	if err := cost.WriteDiff(c.App.Writer, d, format); err != nil {
		return err
	}
	if gate != nil && gate.Exceeded(d) {
		return exitWith(exitFindings, fmt.Errorf("cost: monthly cost rises by %s %s, over --fail-on-increase %s", d.Delta.StringFixed(2), d.Currency, c.String("fail-on-increase")))
	}
	if snap.HasErrors() || baseSnap.HasErrors() {
		return exitWith(exitUsage, nil)
	}
	return nil
}
