package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/diff"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/policies"
	"github.com/vpcgate/vpcgate/policies/report"
)

func diffCommand() *cli.Command {
	flags := append(append(inputFlags(), policyFlags()...), priceFlags()...)
	flags = append(flags,
		&cli.StringFlag{Name: "base", Usage: "git revision `REF` of the repository holding the paths to compare with (read with git; the working tree is not touched)"},
		&cli.StringSliceFlag{Name: "base-path", Usage: "`DIR` (or file) holding the base of a path, one per path in the same order (instead of --base)"},
		&cli.StringSliceFlag{Name: "format", Aliases: []string{"f"}, Usage: "text, json, markdown or sarif (the new findings; default text); repeatable, FORMAT=FILE writes that format to FILE"},
		&cli.StringFlag{Name: "usage", Usage: "usage `FILE` (YAML) for what configuration cannot know"},
		&cli.StringFlag{Name: "baseline", Usage: "baseline `FILE`: findings in it are suppressed on both sides"},
		&cli.StringFlag{Name: "fail-on-new", Usage: "exit 1 when a new finding is at or above `LEVEL` (low, medium, high, critical, none)", Value: "none"},
		&cli.BoolFlag{Name: "fail-on-exposure", Usage: "exit 1 when the change makes any port newly reachable from the internet"},
		&cli.StringFlag{Name: "fail-on-increase", Usage: "exit 1 when the monthly cost rises by more than `AMOUNT` or PERCENT%"},
		&cli.StringFlag{Name: "today", Usage: "date `YYYY-MM-DD` deciding which suppressions have expired (default: today, UTC)", Hidden: true},
	)
	return &cli.Command{
		Name:  "diff",
		Usage: "what a change does: internet exposure, findings and cost of head compared with a base",
		Description: "Compares the architecture in PATH... (default: the current folder) with its base: a git revision\n" +
			"(--base main) or a copy on disk (--base-path DIR). Both sides are analysed by one engine with the\n" +
			"same options; inputs unchanged between them are read once.",
		ArgsUsage: "--base REF | --base-path DIR... [PATH...]",
		Flags:     flags,
		Action:    diffAction,
	}
}

func diffAction(c *cli.Context) error {
	specs, err := formatSpecs(c, "diff", diff.Formats(), map[string]string{"md": "markdown"}, "text")
	if err != nil {
		return err
	}
	ref, basePaths := c.String("base"), c.StringSlice("base-path")
	switch {
	case ref == "" && len(basePaths) == 0:
		return usageError("diff: say what to compare with: --base REF (a git revision) or --base-path DIR")
	case ref != "" && len(basePaths) > 0:
		return usageError("diff: give --base or --base-path, not both")
	}
	var gate diff.Gate
	failOn, err := policies.ParseFailOn(c.String("fail-on-new"))
	if err != nil {
		return usageError("diff: --fail-on-new: %v", strings.TrimPrefix(err.Error(), "--fail-on: "))
	}
	gate.FailOnNew = failOn
	gate.FailOnExposure = c.Bool("fail-on-exposure")
	if s := c.String("fail-on-increase"); s != "" {
		th, err := cost.ParseThreshold(s)
		if err != nil {
			return usageError("diff: --fail-on-increase: %v", err)
		}
		gate.FailOnIncrease = &th
	}
	paths := c.Args().Slice()
	if len(paths) == 0 {
		paths = []string{"."}
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			return usageError("diff: %v", err)
		}
	}

	// One engine reads both sides: the same options by construction.
	eng, err := newEngine(c, analyzer.PartAll)
	if err != nil {
		return err
	}
	lim := diff.BaseLimits{MaxFileSize: c.Int64("max-file-size")}
	var overlay map[string][]byte
	var baseLabel, headLabel string
	if ref != "" {
		var commit string
		overlay, commit, err = diff.GitOverlay(c.Context, ref, paths, lim)
		if err != nil {
			return usageError("diff: --base: %v", err)
		}
		baseLabel = ref
		if len(commit) >= 12 && !strings.HasPrefix(commit, ref) {
			baseLabel += " (" + commit[:12] + ")"
		}
		headLabel = "working tree"
	} else {
		overlay, err = diff.DirOverlay(paths, basePaths, lim)
		if err != nil {
			return usageError("diff: --base-path: %v", err)
		}
		baseLabel, headLabel = strings.Join(basePaths, ", "), strings.Join(paths, ", ")
	}

	head, err := analyzePaths(c, eng, analyzer.Request{Paths: paths})
	if err != nil {
		return err
	}
	base, err := eng.Analyze(c.Context, analyzer.Request{Paths: paths, Overlay: overlay, Base: true})
	if err != nil {
		return exitWith(exitUsage, fmt.Errorf("diff: base %s: %w", baseLabel, err))
	}
	for _, d := range base.Diagnostics {
		if w, quiet := errorsOnly(c.App.ErrWriter); !quiet || d.Severity == graph.SeverityError {
			fmt.Fprintf(w, "base %s: %s\n", baseLabel, d.Error())
		}
	}
	printDiagnostics(c.App.ErrWriter, head.Diagnostics)

	d, err := diff.Compare(base, head, diff.Options{BaseLabel: baseLabel, HeadLabel: headLabel})
	if err != nil {
		return exitWith(exitUsage, fmt.Errorf("diff: %w", err))
	}
	wo := diff.WriteOptions{BaseDir: repoRoot(), ToolVersion: c.App.Version, HeadDiagnostics: head.Diagnostics}
	for _, in := range head.Inputs {
		wo.HeadInputs = append(wo.HeadInputs, report.Input{Path: in.Path, Form: in.Form})
	}
	err = writeOutputs(c, specs, func(w io.Writer, format string) error {
		if err := diff.Write(w, format, d, wo); err != nil {
			return exitWith(exitUsage, err)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if head.HasErrors() || base.HasErrors() {
		return exitWith(exitUsage, nil)
	}
	why, err := gate.Check(d)
	if err != nil {
		return usageError("diff: %v", err)
	}
	if len(why) > 0 {
		return exitWith(exitFindings, fmt.Errorf("diff: %s", strings.Join(why, "; ")))
	}
	return nil
}

// repoRoot is the git top level of the working directory, else the
// working directory: SARIF and Markdown paths are relative to it.
func repoRoot() string {
	cwd, _ := os.Getwd()
	out, err := exec.Command("git", "-C", cwd, "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return cwd
	}
	return strings.TrimSpace(string(out))
}
