package main

import (
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/cost"
)

func costCommand() *cli.Command {
	flags := append(inputFlags(), priceFlags()...)
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
	cat, err := loadCatalog(c)
	if err != nil {
		return err
	}
	opts := cost.Options{Catalog: cat, Region: priceRegion(c)}
	if path := c.String("usage"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return usageError("cost: --usage: %v", err)
		}
		defer f.Close()
		if opts.Usage, err = cost.ParseUsage(f, path); err != nil {
			return usageError("cost: --usage: %v", err)
		}
	}
	res, err := analyzeArgs(c)
	if err != nil {
		return err
	}
	printDiagnostics(c.App.ErrWriter, res)
	head, err := cost.Estimate(res.Graph, opts)
	if err != nil {
		return usageError("cost: %v", err)
	}
	if len(c.StringSlice("compare")) == 0 {
		if err := cost.Write(c.App.Writer, head, format); err != nil {
			return err
		}
		if res.HasErrors() {
			return exitWith(exitUsage, nil)
		}
		return nil
	}
	baseRes, err := analyzer.Analyze(c.Context, analyzer.Options{
		Paths: c.StringSlice("compare"), Region: c.String("region"), Account: c.String("account"),
		MaxFileSize: c.Int64("max-file-size"), AllowOutsideRoot: c.Bool("allow-outside-root"),
	})
	if err != nil {
		return exitWith(exitUsage, fmt.Errorf("cost: --compare: %w", err))
	}
	printDiagnostics(c.App.ErrWriter, baseRes)
	// A usage entry may name a resource only the change adds.
	baseOpts := opts
	baseOpts.SkipUnknownUsage = true
	base, err := cost.Estimate(baseRes.Graph, baseOpts)
	if err != nil {
		return usageError("cost: --compare: %v", err)
	}
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
	if res.HasErrors() || baseRes.HasErrors() {
		return exitWith(exitUsage, nil)
	}
	return nil
}
