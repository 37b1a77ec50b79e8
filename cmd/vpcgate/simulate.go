package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/cost/plot"
	"github.com/vpcgate/vpcgate/cost/simulate"
)

func simulateCommand() *cli.Command {
	flags := append(inputFlags(), priceFlags()...)
	flags = append(flags,
		&cli.StringFlag{Name: "scenario", Usage: "scenario `FILE` (YAML, version \"1\")"},
		&cli.StringFlag{Name: "preset", Usage: "built-in scenario `NAME`: " + strings.Join(simulate.PresetNames(), ", "), Value: "ticketing-spike"},
		&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "table, json or csv (the timeline)", Value: "table"},
		&cli.StringFlag{Name: "plot", Usage: "draw demand, capacity and instances to `FILE` (.png or .svg)"},
		&cli.BoolFlag{Name: "recommend", Usage: "search the cheapest change (max, warm pool, scheduled pre-warm, min) that serves the spike with no failed request"},
		&cli.StringFlag{Name: "instance-type", Usage: "instance `TYPE` of the group, when the input names none (or to try another)"},
		&cli.BoolFlag{Name: "compare", Usage: "run the current group and the recommended change side by side on the same load (table, json and csv of both; --plot draws both)"},
		&cli.StringFlag{Name: "compare-scenario", Usage: "with --compare: the group of scenario `FILE` instead of the recommendation, on the same load"},
	)
	return &cli.Command{
		Name:      "simulate",
		Usage:     "drive a load profile through the architecture's load balancer and Auto Scaling group",
		ArgsUsage: "[PATH...]",
		Flags:     flags,
		Action:    runSimulate,
	}
}

func runSimulate(c *cli.Context) error {
	format := c.String("format")
	switch format {
	case simulate.FormatTable, simulate.FormatJSON, simulate.FormatCSV:
	default:
		return usageError("simulate: unknown format %q (want table, json or csv)", format)
	}
	plotFormat := ""
	if p := c.String("plot"); p != "" {
		switch strings.ToLower(filepath.Ext(p)) {
		case ".png":
			plotFormat = plot.PNG
		case ".svg":
			plotFormat = plot.SVG
		default:
			return usageError("simulate: --plot %s: want a .png or .svg file", p)
		}
	}
	var sc *simulate.Scenario
	var err error
	if path := c.String("scenario"); path != "" {
		f, err := os.Open(path)
		if err != nil {
			return usageError("simulate: --scenario: %v", err)
		}
		defer f.Close()
		if sc, err = simulate.ParseScenario(f, path); err != nil {
			return usageError("simulate: %v", err)
		}
	} else if sc, err = simulate.Preset(c.String("preset")); err != nil {
		return usageError("simulate: %v", err)
	}
	if t := c.String("instance-type"); t != "" {
		sc.Group.InstanceType = t
	}
	var alt *simulate.Scenario
	if path := c.String("compare-scenario"); path != "" {
		if !c.Bool("compare") {
			return usageError("simulate: --compare-scenario needs --compare")
		}
		f, err := os.Open(path)
		if err != nil {
			return usageError("simulate: --compare-scenario: %v", err)
		}
		other, err := simulate.ParseScenario(f, path)
		f.Close()
		if err != nil {
			return usageError("simulate: --compare-scenario: %v", err)
		}
		if other.Group.InstanceType == "" {
			other.Group.InstanceType = c.String("instance-type")
		}
		alt = sc.WithGroup(other.Group)
		alt.Name = sc.Name
	}
	eng, err := newEngine(c, analyzer.PartGraph)
	if err != nil {
		return err
	}
	g := graph.New()
	if c.NArg() > 0 {
		res, err := analyze(c, eng)
		if err != nil {
			return err
		}
		printDiagnostics(c.App.ErrWriter, res.Diagnostics)
		g = res.Graph
	}
	cfg, err := simulate.Resolve(g, sc, eng.Catalog(), eng.PriceRegion())
	if err != nil {
		return usageError("simulate: %v", err)
	}
	if c.Bool("compare") {
		var cmp *simulate.Comparison
		if alt != nil {
			altCfg, err := simulate.Resolve(g, alt, eng.Catalog(), eng.PriceRegion())
			if err != nil {
				return usageError("simulate: --compare-scenario: %v", err)
			}
			cmp, err = simulate.CompareConfigs(cfg, "current", altCfg, c.String("compare-scenario"))
			if err != nil {
				return usageError("simulate: %v", err)
			}
		} else if cmp, err = simulate.CompareRecommended(cfg); err != nil {
			return exitWith(exitUsage, fmt.Errorf("simulate: %w", err))
		}
		if plotFormat != "" {
			var buf bytes.Buffer
			if err := plot.Comparison(&buf, cmp, plotFormat); err != nil {
				return exitWith(exitUsage, err)
			}
			if err := os.WriteFile(c.String("plot"), buf.Bytes(), 0o644); err != nil {
				return exitWith(exitUsage, err)
			}
		}
		return simulate.WriteComparison(c.App.Writer, cmp, format)
	}
	res := simulate.Execute(cfg, true)
	if c.Bool("recommend") {
		res.Recommendation = simulate.Recommend(cfg)
	}
	if plotFormat != "" {
		var buf bytes.Buffer
		if err := plot.Timeline(&buf, res, plotFormat); err != nil {
			return exitWith(exitUsage, err)
		}
		if err := os.WriteFile(c.String("plot"), buf.Bytes(), 0o644); err != nil {
			return exitWith(exitUsage, err)
		}
	}
	return simulate.Write(c.App.Writer, res, format)
}
