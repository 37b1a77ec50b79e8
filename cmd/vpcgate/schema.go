package main

import (
	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer/config"
	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/cost/simulate"
)

// schemaOf returns the JSON Schema of one of vpcgate's own files, embedded
// in the package that reads the document.
func schemaOf(name string) ([]byte, bool) {
	switch name {
	case "config":
		return config.Schema(), true
	case "usage":
		return cost.UsageSchema(), true
	case "scenario":
		return simulate.ScenarioSchema(), true
	}
	return nil, false
}

func schemaCommand() *cli.Command {
	return &cli.Command{
		Name:      "schema",
		Usage:     "print the JSON Schema of .vpcgate.yaml (config), the usage file (usage) or the scenario file (scenario), for editors",
		ArgsUsage: "config|usage|scenario",
		Action: func(c *cli.Context) error {
			if c.NArg() != 1 {
				return usageError("schema: name one schema: config, usage or scenario")
			}
			name := c.Args().First()
			s, ok := schemaOf(name)
			if !ok {
				return usageError("schema: no schema %q (config, usage or scenario)", name)
			}
			_, err := c.App.Writer.Write(s)
			return err
		},
	}
}
