package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/cost/report"
	"github.com/vpcgate/vpcgate/cost/simulate"
)

func reportCommand() *cli.Command {
	flags := append(append(inputFlags(), liveFlags()...), priceFlags()...)
	flags = append(flags,
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "html (one self-contained file) or markdown", Value: report.FormatHTML},
		&cli.StringFlag{Name: "output", Aliases: []string{"o"}, Usage: "write the report to `FILE` (default: standard output); markdown also writes the plot beside it as FILE's name with .svg"},
		&cli.StringFlag{Name: "usage", Usage: "usage `FILE` (YAML) for what configuration cannot know"},
		&cli.StringFlag{Name: "scenario", Usage: "spike scenario `FILE` (YAML, version \"1\")"},
		&cli.StringFlag{Name: "preset", Usage: "built-in spike scenario `NAME`: " + strings.Join(simulate.PresetNames(), ", "), Value: "ticketing-spike"},
		&cli.StringFlag{Name: "instance-type", Usage: "instance `TYPE` of the group, when the input names none"},
		&cli.StringFlag{Name: "ticket-price", Usage: "value lost tickets at `PRICE` each, in the prices' currency"},
		&cli.StringFlag{Name: "title", Usage: "report `TITLE`", Value: "Cost report"},
	)
	return &cli.Command{
		Name:      "report",
		Usage:     "finance report, HTML or Markdown: cost by tier, what depends on usage, the spike, lost tickets, the recommendation",
		ArgsUsage: "PATH...",
		Flags:     flags,
		Action:    runReport,
	}
}

func runReport(c *cli.Context) error {
	format := c.String("format")
	switch format {
	case report.FormatHTML, report.FormatMarkdown:
	default:
		return usageError("report: unknown format %q (want html or markdown)", format)
	}
	opts := report.Options{Title: c.String("title"), Inputs: c.Args().Slice(), UsageFile: c.String("usage")}
	if c.Bool("live") {
		opts.Inputs = []string{"live AWS collection"}
	}
	if s := c.String("ticket-price"); s != "" {
		p, err := decimal.NewFromString(s)
		if err != nil || p.IsNegative() {
			return usageError("report: --ticket-price %q: want a price of zero or more, such as 45 or 12.50", s)
		}
		opts.TicketPrice = &p
	}
	var sc *simulate.Scenario
	var err error
	if path := c.String("scenario"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return usageError("report: --scenario: %v", err)
		}
		sc, err = simulate.ParseScenario(f, path)
		f.Close()
		if err != nil {
			return usageError("report: %v", err)
		}
	} else if sc, err = simulate.Preset(c.String("preset")); err != nil {
		return usageError("report: %v", err)
	}
	if t := c.String("instance-type"); t != "" {
		sc.Group.InstanceType = t
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
		return usageError("report: %v", snap.CostErr)
	}
	in := report.Input{Costs: snap.Costs, Graph: snap.Graph}
	// The spike runs on the snapshot's graph with the engine's catalog and
	// price region, as simulate does; an architecture without an Auto
	// Scaling group is not simulated unless a scenario file describes one.
	if len(snap.Graph.AutoScalingGroups()) == 0 && c.String("scenario") == "" {
		in.NoSpikeReason = "The architecture has no Auto Scaling group, so no spike was simulated (give --scenario FILE with a group to simulate one)."
	} else {
		cfg, err := simulate.Resolve(snap.Graph, sc, eng.Catalog(), eng.PriceRegion())
		if err != nil {
			// A group stating no instance type asks for --instance-type.
			return usageError("report: %v", err)
		}
		if cmp, err := simulate.CompareRecommended(cfg); err == nil {
			in.Spike = &report.Spike{Comparison: cmp}
		} else {
			res := simulate.Execute(cfg, true)
			res.Recommendation = simulate.Recommend(cfg)
			in.Spike = &report.Spike{Current: res}
		}
	}
	rep, err := report.Build(in, opts)
	if err != nil {
		return exitWith(exitUsage, err)
	}
	out := c.String("output")
	plotRef := ""
	if format == report.FormatMarkdown && out != "" && rep.Spike != nil {
		plotPath := strings.TrimSuffix(out, filepath.Ext(out)) + ".svg"
		if plotPath == out {
			plotPath = out + ".svg"
		}
		if err := os.WriteFile(plotPath, append(rep.SVG(), '\n'), 0o644); err != nil {
			return exitWith(exitUsage, fmt.Errorf("report: %w", err))
		}
		plotRef = filepath.Base(plotPath)
	}
	var buf bytes.Buffer
	if err := report.Write(&buf, rep, format, plotRef); err != nil {
		return exitWith(exitUsage, err)
	}
	if out != "" {
		if err := os.WriteFile(out, buf.Bytes(), 0o644); err != nil {
			return exitWith(exitUsage, fmt.Errorf("report: %w", err))
		}
	} else if _, err := c.App.Writer.Write(buf.Bytes()); err != nil {
		return err
	}
	if snap.HasErrors() {
		return exitWith(exitUsage, nil)
	}
	return nil
}
