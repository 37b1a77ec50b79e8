package main

import (
	"fmt"
	"log/slog"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer"
)

// inputFlags are the flags of every command that reads an architecture.
func inputFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "region", Usage: "default AWS region of inputs that do not say", Value: "us-east-1"},
		&cli.StringFlag{Name: "account", Usage: "default AWS account id of inputs that do not say"},
		&cli.StringSliceFlag{Name: "var", Usage: "Terraform variable `NAME=VALUE` (repeatable)"},
		&cli.StringSliceFlag{Name: "var-file", Usage: "Terraform variables `FILE` (repeatable)"},
		&cli.StringSliceFlag{Name: "parameter", Usage: "CloudFormation parameter `KEY=VALUE` (repeatable)"},
		&cli.StringSliceFlag{Name: "parameter-file", Usage: "CloudFormation parameters `FILE` (repeatable)"},
		&cli.StringFlag{Name: "root", Usage: "scanned root: nothing outside it is read (default: each input path)"},
		&cli.BoolFlag{Name: "allow-outside-root", Usage: "follow symlinks, module sources and template URLs out of the scanned root"},
		&cli.Int64Flag{Name: "max-file-size", Usage: "largest input file in bytes", Value: analyzer.DefaultMaxFileSize},
		&cli.BoolFlag{Name: "debug", Usage: "log debug information to stderr"},
	}
}

// keyValues parses NAME=VALUE pairs.
func keyValues(flag string, pairs []string) (map[string]string, error) {
	if len(pairs) == 0 {
		return nil, nil
	}
	out := map[string]string{}
	for _, p := range pairs {
		k, v, ok := strings.Cut(p, "=")
		if !ok || k == "" {
			return nil, usageError("--%s %q: want NAME=VALUE", flag, p)
		}
		out[k] = v
	}
	return out, nil
}

// analyzeArgs runs the analysis on the command's arguments and input flags.
func analyzeArgs(c *cli.Context) (*analyzer.Result, error) {
	if c.NArg() == 0 {
		return nil, usageError("%s: give at least one file or folder to read", c.Command.Name)
	}
	vars, err := keyValues("var", c.StringSlice("var"))
	if err != nil {
		return nil, err
	}
	params, err := keyValues("parameter", c.StringSlice("parameter"))
	if err != nil {
		return nil, err
	}
	opts := analyzer.Options{
		Paths:            c.Args().Slice(),
		Root:             c.String("root"),
		AllowOutsideRoot: c.Bool("allow-outside-root"),
		MaxFileSize:      c.Int64("max-file-size"),
		Region:           c.String("region"),
		Account:          c.String("account"),
		Vars:             vars,
		VarFiles:         c.StringSlice("var-file"),
		Parameters:       params,
		ParameterFiles:   c.StringSlice("parameter-file"),
	}
	if c.Bool("debug") {
		opts.Logger = slog.New(slog.NewTextHandler(c.App.ErrWriter, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	res, err := analyzer.Analyze(c.Context, opts)
	if err != nil {
		return nil, exitWith(exitUsage, fmt.Errorf("%s: %w", c.Command.Name, err))
	}
	return res, nil
}

// printDiagnostics writes the analysis diagnostics to w, one a line.
func printDiagnostics(w interface{ Write([]byte) (int, error) }, res *analyzer.Result) {
	for _, d := range res.Diagnostics {
		fmt.Fprintln(w, d.Error())
	}
}
