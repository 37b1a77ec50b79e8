package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/policies"
)

func policiesCommand() *cli.Command {
	return &cli.Command{
		Name:  "policies",
		Usage: "list, document and test the rules",
		Subcommands: []*cli.Command{
			{
				Name:  "list",
				Usage: "list the rules (built-in and from --policy directories)",
				Flags: append(policyFlags(),
					&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "text or json", Value: "text"},
				),
				Action: policiesList,
			},
			{
				Name:   "doc",
				Usage:  "print the Markdown reference of the rules (policies/RULES.md)",
				Flags:  policyFlags(),
				Action: policiesDoc,
			},
			{
				Name:      "test",
				Usage:     "run the Rego tests (_test.rego) of policy directories, or the built-in rules' tests",
				ArgsUsage: "[DIR...]",
				Flags: []cli.Flag{
					&cli.BoolFlag{Name: "verbose", Aliases: []string{"v"}, Usage: "list passing tests too"},
				},
				Action: policiesTest,
			},
			{
				Name:      "input",
				Usage:     "print the input document the rules see, as JSON (for writing policies)",
				ArgsUsage: "PATH...",
				Flags:     inputFlags(),
				Action:    policiesInput,
			},
		},
	}
}

// engineFor builds the policy engine of list and doc: the configuration
// file is read when --config names one.
func engineFor(c *cli.Context) (*policies.Engine, error) {
	eng, err := newEngine(c, analyzer.PartFindings)
	if err != nil {
		return nil, err
	}
	_, diags := eng.Config()
	printDiagnostics(c.App.ErrWriter, diags)
	return eng.Policies(), nil
}

func policiesList(c *cli.Context) error {
	e, err := engineFor(c)
	if err != nil {
		return err
	}
	rules := e.Selected()
	switch c.String("format") {
	case "json":
		if rules == nil {
			rules = []policies.Rule{}
		}
		enc := json.NewEncoder(c.App.Writer)
		enc.SetIndent("", "  ")
		return enc.Encode(rules)
	case "text":
	default:
		return usageError("policies list: unknown --format %q (text, json)", c.String("format"))
	}
	tw := tabwriter.NewWriter(c.App.Writer, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RULE\tSEVERITY\tCATEGORY\tSOURCE\tTITLE")
	for _, r := range rules {
		src := "built-in"
		if !r.Builtin {
			src = r.File
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Severity, r.Category, src, r.Title)
	}
	return tw.Flush()
}

func policiesDoc(c *cli.Context) error {
	e, err := engineFor(c)
	if err != nil {
		return err
	}
	return policies.WriteDoc(c.App.Writer, e.Selected())
}

func policiesTest(c *cli.Context) error {
	results, err := policies.RunTests(c.Context, c.Args().Slice()...)
	if err != nil {
		return exitWith(exitUsage, fmt.Errorf("policies test: %w", err))
	}
	passed, failed := 0, 0
	for _, r := range results {
		switch {
		case r.Error != "":
			failed++
			fmt.Fprintf(c.App.Writer, "ERROR %s (%s:%d): %s\n", r.Name, r.File, r.Line, strings.TrimSpace(r.Error))
		case r.Skipped:
			fmt.Fprintf(c.App.Writer, "SKIP  %s (%s:%d)\n", r.Name, r.File, r.Line)
		case !r.Pass:
			failed++
			fmt.Fprintf(c.App.Writer, "FAIL  %s (%s:%d)\n", r.Name, r.File, r.Line)
		default:
			passed++
			if c.Bool("verbose") {
				fmt.Fprintf(c.App.Writer, "PASS  %s\n", r.Name)
			}
		}
	}
	if len(results) == 0 {
		return exitWith(exitUsage, fmt.Errorf("policies test: no test_ rules found in %s", strings.Join(c.Args().Slice(), ", ")))
	}
	fmt.Fprintf(c.App.Writer, "%d passed, %d failed\n", passed, failed)
	if failed > 0 {
		return exitWith(exitFindings, nil)
	}
	return nil
}

func policiesInput(c *cli.Context) error {
	eng, err := newEngine(c, analyzer.PartGraph)
	if err != nil {
		return err
	}
	res, err := analyze(c, eng)
	if err != nil {
		return err
	}
	printDiagnostics(c.App.ErrWriter, res.Diagnostics)
	doc, err := policies.InputDocument(res.Graph)
	if err != nil {
		return exitWith(exitUsage, err)
	}
	enc := json.NewEncoder(c.App.Writer)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	if res.HasErrors() {
		return exitWith(exitUsage, nil)
	}
	return nil
}
