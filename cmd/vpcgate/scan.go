package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/mattn/go-isatty"
	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/policies"
	"github.com/vpcgate/vpcgate/policies/report"
)

// defaultFailOn is the --fail-on default when neither the flag nor
// .vpcgate.yaml says.
const defaultFailOn = "high"

// policyFlags select and extend the rules (scan, policies list and doc).
func policyFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringSliceFlag{Name: "policy", Usage: "directory of extra Rego policies `DIR` (repeatable)"},
		&cli.StringSliceFlag{Name: "rule", Usage: "evaluate only rule `ID` (glob, repeatable)"},
		&cli.StringSliceFlag{Name: "skip-rule", Usage: "leave out rule `ID` (glob, repeatable)"},
		&cli.StringFlag{Name: "severity", Usage: "evaluate only rules at or above `LEVEL` (low, medium, high, critical)"},
		&cli.StringFlag{Name: "config", Usage: "configuration `FILE` (default: .vpcgate.yaml found upward from the first input)"},
	}
}

func scanCommand() *cli.Command {
	return &cli.Command{
		Name:      "scan",
		Usage:     "read an architecture, evaluate the policies and report the findings",
		ArgsUsage: "PATH...",
		Flags: append(append(append(inputFlags(), liveFlags()...), policyFlags()...),
			&cli.StringSliceFlag{Name: "format", Aliases: []string{"f"}, Usage: "text, json, sarif, junit, gitlab or markdown (default text); repeatable, FORMAT=FILE writes that format to FILE"},
			&cli.BoolFlag{Name: "include-suppressed", Usage: "keep suppressed and baselined findings in sarif and gitlab output (left out by default: GitHub shows them as open alerts)"},
			&cli.StringFlag{Name: "fail-on", Usage: "exit 1 when an unsuppressed finding is at or above `LEVEL` (low, medium, high, critical, none; default high)"},
			&cli.StringFlag{Name: "baseline", Usage: "baseline `FILE`: findings in it are suppressed, only new ones count"},
			&cli.StringFlag{Name: "write-baseline", Usage: "write every unsuppressed finding to baseline `FILE`"},
			&cli.StringFlag{Name: "color", Usage: "colour the text format: auto, always or never", Value: "auto"},
			&cli.StringFlag{Name: "today", Usage: "date `YYYY-MM-DD` deciding which suppressions have expired (default: today, UTC)", Hidden: true},
		),
		Action: scanAction,
	}
}

func scanAction(c *cli.Context) error {
	specs, err := formatSpecs(c, "scan", report.Formats(), nil, "text")
	if err != nil {
		return err
	}
	if c.NArg() == 0 && !c.Bool("live") {
		return usageError("scan: give at least one file or folder to read")
	}
	eng, err := newEngine(c, analyzer.PartFindings)
	if err != nil {
		return err
	}
	cfg, _ := eng.Config()
	failOnText := firstNonEmpty(c.String("fail-on"), cfg.FailOn, defaultFailOn)
	failOn, err := policies.ParseFailOn(failOnText)
	if err != nil {
		if c.String("fail-on") == "" {
			failOn, _ = policies.ParseFailOn(defaultFailOn)
		} else {
			return usageError("scan: %v", err)
		}
	}
	snap, err := analyze(c, eng)
	if err != nil {
		return err
	}
	findings, diags := snap.Findings, snap.Diagnostics

	if p := c.String("write-baseline"); p != "" {
		if err := writeBaseline(p, findings); err != nil {
			return exitWith(exitUsage, err)
		}
		fmt.Fprintf(c.App.ErrWriter, "vpcgate: wrote %d findings to baseline %s\n", len(policies.NewBaseline(findings).Findings), p)
	}

	scan := &report.Scan{Findings: findings, Diagnostics: diags, Rules: snap.Rules}
	for _, in := range snap.Inputs {
		scan.Inputs = append(scan.Inputs, report.Input{Path: in.Path, Form: in.Form})
	}
	cwd, _ := os.Getwd()
	opts := report.Options{Color: useColor(c), ToolVersion: c.App.Version, BaseDir: cwd,
		IncludeSuppressed: c.Bool("include-suppressed"), Warnings: c.App.ErrWriter}
	err = writeOutputs(c, specs, func(w io.Writer, format string) error {
		o := opts
		o.Color = opts.Color && w == c.App.Writer
		if err := report.Write(w, format, scan, o); err != nil {
			return exitWith(exitUsage, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	// Problems in the input reach the log whatever the format: the text
	// report lists them itself, a machine format only inside the file.
	if !textOnStdout(specs) {
		printDiagnostics(c.App.ErrWriter, diags)
	}
	if snap.HasErrors() {
		return exitWith(exitUsage, nil)
	}
	if c.String("write-baseline") == "" && failOn.Fails(findings) {
		return exitWith(exitFindings, nil)
	}
	return nil
}

func writeBaseline(path string, findings []policies.Finding) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("write baseline: %w", err)
		}
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write baseline: %w", err)
	}
	if err := policies.NewBaseline(findings).Write(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// useColor decides --color auto: a terminal, and NO_COLOR unset.
func useColor(c *cli.Context) bool {
	switch c.String("color") {
	case "always":
		return true
	case "never":
		return false
	}
	f, ok := c.App.Writer.(*os.File)
	return ok && os.Getenv("NO_COLOR") == "" && (isatty.IsTerminal(f.Fd()) || isatty.IsCygwinTerminal(f.Fd()))
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
