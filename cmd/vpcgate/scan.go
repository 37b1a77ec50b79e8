package main

import (
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer/config"
	"github.com/vpcgate/vpcgate/analyzer/graph"
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
		Flags: append(append(inputFlags(), policyFlags()...),
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "text, json, sarif, junit or markdown", Value: "text"},
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
	format := c.String("format")
	if !contains(report.Formats(), format) {
		return usageError("scan: unknown --format %q (text, json, sarif, junit, markdown)", format)
	}
	now := time.Now().UTC()
	if d := c.String("today"); d != "" {
		t, err := time.Parse(time.DateOnly, d)
		if err != nil {
			return usageError("scan: --today %q: want YYYY-MM-DD", d)
		}
		now = t
	}
	if c.NArg() == 0 {
		return usageError("scan: give at least one file or folder to read")
	}
	cfg, cfgDiags, err := loadConfig(c)
	if err != nil {
		return err
	}
	failOnText := firstNonEmpty(c.String("fail-on"), cfg.FailOn, defaultFailOn)
	failOn, err := policies.ParseFailOn(failOnText)
	if err != nil {
		return usageError("scan: %v", err)
	}
	engine, err := newEngine(c, cfg)
	if err != nil {
		return err
	}
	var baseline *policies.Baseline
	if p := c.String("baseline"); p != "" {
		f, err := os.Open(p)
		if err != nil {
			return usageError("scan: --baseline: %v", err)
		}
		baseline, err = policies.ReadBaseline(f)
		f.Close()
		if err != nil {
			return usageError("scan: --baseline %s: %v", p, err)
		}
	}

	res, err := analyzeArgs(c)
	if err != nil {
		return err
	}
	findings, err := engine.Evaluate(c.Context, res.Graph)
	if err != nil {
		return exitWith(exitUsage, fmt.Errorf("scan: %w", err))
	}
	findings, supDiags := policies.Suppress(res.Graph, findings, policies.SuppressOptions{
		Ignores: cfg.Ignores(), Baseline: baseline, BaselineFile: c.String("baseline"), Now: now,
	})
	diags := append(append(append([]graph.Diagnostic(nil), res.Diagnostics...), cfgDiags...), supDiags...)

	if p := c.String("write-baseline"); p != "" {
		if err := writeBaseline(p, findings); err != nil {
			return exitWith(exitUsage, err)
		}
		fmt.Fprintf(c.App.ErrWriter, "vpcgate: wrote %d findings to baseline %s\n", len(policies.NewBaseline(findings).Findings), p)
	}

	scan := &report.Scan{Findings: findings, Diagnostics: diags, Rules: engine.Selected()}
	for _, in := range res.Inputs {
		scan.Inputs = append(scan.Inputs, report.Input{Path: in.Path, Form: in.Form})
	}
	cwd, _ := os.Getwd()
	opts := report.Options{Color: useColor(c), ToolVersion: c.App.Version, BaseDir: cwd}
	if err := report.Write(c.App.Writer, format, scan, opts); err != nil {
		return exitWith(exitUsage, err)
	}
	if hasErrors(diags) {
		return exitWith(exitUsage, nil)
	}
	if c.String("write-baseline") == "" && failOn.Fails(findings) {
		return exitWith(exitFindings, nil)
	}
	return nil
}

// loadConfig reads --config, or .vpcgate.yaml found upward from the first
// input; an absent file is an empty configuration.
func loadConfig(c *cli.Context) (*config.Config, []graph.Diagnostic, error) {
	path := c.String("config")
	if path == "" && c.NArg() > 0 {
		found, err := config.Find(c.Args().First())
		if err != nil {
			return nil, nil, usageError("%s: %v", c.Command.Name, err)
		}
		path = found
	}
	if path == "" {
		return &config.Config{}, nil, nil
	}
	cfg, diags, err := config.Load(path)
	if err != nil {
		return nil, nil, usageError("%s: %v", c.Command.Name, err)
	}
	return cfg, diags, nil
}

// newEngine prepares the policy engine from the flags, which take
// precedence over the configuration file.
func newEngine(c *cli.Context, cfg *config.Config) (*policies.Engine, error) {
	var opts []policies.Option
	for _, d := range append(append([]string(nil), cfg.Policies...), c.StringSlice("policy")...) {
		opts = append(opts, policies.WithPolicyDir(d))
	}
	rules := c.StringSlice("rule")
	if len(rules) == 0 {
		rules = cfg.Rules
	}
	if len(rules) > 0 {
		opts = append(opts, policies.WithRules(rules...))
	}
	if skip := append(append([]string(nil), cfg.SkipRules...), c.StringSlice("skip-rule")...); len(skip) > 0 {
		opts = append(opts, policies.WithSkipRules(skip...))
	}
	sev := cfg.Severity
	if s := c.String("severity"); s != "" {
		v, err := policies.ParseSeverity(s)
		if err != nil {
			return nil, usageError("%s: --severity: %v", c.Command.Name, err)
		}
		sev = v
	}
	if sev != "" {
		opts = append(opts, policies.WithMinSeverity(sev))
	}
	e, err := policies.New(c.Context, opts...)
	if err != nil {
		return nil, usageError("%s: %v", c.Command.Name, err)
	}
	return e, nil
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

func hasErrors(diags []graph.Diagnostic) bool {
	for _, d := range diags {
		if d.Severity == graph.SeverityError {
			return true
		}
	}
	return false
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
