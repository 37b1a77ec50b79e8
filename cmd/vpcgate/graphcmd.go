package main

import (
	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/export"
)

func graphCommand() *cli.Command {
	return &cli.Command{
		Name:      "graph",
		Usage:     "print the normalized graph with its derived facts",
		ArgsUsage: "PATH...",
		Flags: append(append(inputFlags(), liveFlags()...),
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "json, dot or mermaid", Value: "json"},
		),
		Action: func(c *cli.Context) error {
			format := c.String("format")
			switch format {
			case "json", "dot", "mermaid":
			default:
				return usageError("graph: unknown --format %q (json, dot, mermaid)", format)
			}
			eng, err := newEngine(c, analyzer.PartGraph)
			if err != nil {
				return err
			}
			res, err := analyze(c, eng)
			if err != nil {
				return err
			}
			printDiagnostics(c.App.ErrWriter, res.Diagnostics)
			w := c.App.Writer
			switch format {
			case "dot":
				err = export.Dot(w, res.Graph)
			case "mermaid":
				err = export.Mermaid(w, res.Graph)
			default:
				err = export.JSON(w, res.Graph)
			}
			if err != nil {
				return err
			}
			if res.HasErrors() {
				return exitWith(exitUsage, nil)
			}
			return nil
		},
	}
}
