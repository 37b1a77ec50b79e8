package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/export"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/reach"
)

func explainCommand() *cli.Command {
	return &cli.Command{
		Name:      "explain",
		Usage:     "explain whether the internet reaches a resource on a port, hop by hop",
		ArgsUsage: "PATH...",
		Flags: append(append(inputFlags(), liveFlags()...),
			&cli.StringFlag{Name: "resource", Aliases: []string{"r"}, Usage: "node id, ARN, identifier or name, IaC address, or Name tag", Required: true},
			&cli.IntFlag{Name: "port", Aliases: []string{"p"}, Usage: "destination port", Required: true},
			&cli.StringFlag{Name: "protocol", Usage: "tcp, udp or icmp", Value: "tcp"},
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "text or json", Value: "text"},
		),
		Action: func(c *cli.Context) error {
			format := c.String("format")
			if format != "text" && format != "json" {
				return usageError("explain: unknown --format %q (text, json)", format)
			}
			port := c.Int("port")
			if port < 0 || port > 65535 {
				return usageError("explain: --port %d out of range 0-65535", port)
			}
			proto := strings.ToLower(c.String("protocol"))
			eng, err := newEngine(c, analyzer.PartGraph)
			if err != nil {
				return err
			}
			res, err := analyze(c, eng)
			if err != nil {
				return err
			}
			printDiagnostics(c.App.ErrWriter, res.Diagnostics)
			node, err := resolveOne(res.Graph, c.String("resource"))
			if err != nil {
				return exitWith(exitUsage, err)
			}
			id := node.Meta().ID
			v, err := reach.Explain(res.Graph, id, proto, port)
			if err != nil {
				return exitWith(exitUsage, fmt.Errorf("explain: %w", err))
			}
			e := export.NewExplanation(res.Graph, id, node.Meta().Kind, proto, port, v)
			if format == "json" {
				return export.ExplainJSON(c.App.Writer, e)
			}
			printExplanation(c.App.Writer, e)
			return nil
		},
	}
}

// resolveOne finds the single node a user means, or says why not.
func resolveOne(g *graph.Graph, ref string) (graph.Node, error) {
	nodes := g.Resolve(ref)
	switch len(nodes) {
	case 0:
		return nil, fmt.Errorf("no resource %q in the input (give a node id, ARN, identifier, name, IaC address or Name tag)", ref)
	case 1:
		return nodes[0], nil
	}
	var ids []string
	for _, n := range nodes {
		ids = append(ids, fmt.Sprintf("%s (%s)", n.Meta().ID, n.Meta().Kind))
	}
	return nil, fmt.Errorf("%q is ambiguous: it names %s; give one id", ref, strings.Join(ids, ", "))
}

func printExplanation(w interface{ Write([]byte) (int, error) }, e export.Explanation) {
	verdict := "NOT reachable"
	if e.Reachable {
		verdict = "REACHABLE"
	}
	fmt.Fprintf(w, "%s %s from the internet on %s/%d\n", e.Resource, verdict, e.Protocol, e.Port)
	for i, h := range e.Path {
		fmt.Fprintf(w, "  %2d. %-20s %-28s %s\n", i+1, h.Kind, h.Node, h.Detail)
		if h.Location != "" {
			fmt.Fprintf(w, "      at %s\n", h.Location)
		}
	}
	if len(e.Blockers) > 0 {
		fmt.Fprintf(w, "  blocked by %d setting%s (each would have to change):\n", len(e.Blockers), map[bool]string{true: "", false: "s"}[len(e.Blockers) == 1])
		for i, b := range e.Blockers {
			fmt.Fprintf(w, "  %2d. %s at %s: %s\n", i+1, b.Code, b.Node, b.Detail)
			if b.Location != "" {
				fmt.Fprintf(w, "      at %s\n", b.Location)
			}
			if b.Fix != "" {
				fmt.Fprintf(w, "      fix: %s\n", b.Fix)
			}
		}
	} else if e.BlockedBy != nil {
		fmt.Fprintf(w, "  blocked by %s at %s: %s\n", e.BlockedBy.Code, e.BlockedBy.Node, e.BlockedBy.Detail)
	}
}
