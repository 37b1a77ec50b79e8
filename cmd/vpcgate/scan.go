package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

func scanCommand() *cli.Command {
	return &cli.Command{
		Name:      "scan",
		Usage:     "read an architecture, derive its reachability and report",
		ArgsUsage: "PATH...",
		Flags: append(inputFlags(),
			&cli.StringFlag{Name: "format", Aliases: []string{"f"}, Usage: "text", Value: "text"},
		),
		Action: func(c *cli.Context) error {
			res, err := analyzeArgs(c)
			if err != nil {
				return err
			}
			writeSummary(c.App.Writer, res)
			if res.HasErrors() {
				return exitWith(exitUsage, nil)
			}
			return nil
		},
	}
}

// writeSummary prints the graph summary, public subnets, internet-reachable
// nodes and diagnostics.
func writeSummary(w io.Writer, res *analyzer.Result) {
	g := res.Graph
	forms := map[graph.Form]int{}
	for _, in := range res.Inputs {
		forms[in.Form]++
	}
	var fs []string
	for f, n := range forms {
		fs = append(fs, fmt.Sprintf("%d %s", n, f))
	}
	sort.Strings(fs)
	fmt.Fprintf(w, "Read %d inputs (%s): %d nodes\n", len(res.Inputs), strings.Join(fs, ", "), g.Len())
	var counts []string
	for _, k := range graph.Kinds {
		if n := len(g.Of(k)); n > 0 {
			counts = append(counts, fmt.Sprintf("%s %d", k, n))
		}
	}
	if len(counts) > 0 {
		fmt.Fprintf(w, "  %s\n", strings.Join(counts, ", "))
	}
	fmt.Fprintln(w, "\nSubnets:")
	for _, s := range g.Subnets() {
		f := g.Facts.Subnets[s.ID]
		if f == nil {
			continue
		}
		fmt.Fprintf(w, "  %-26s %-18s %-12s %-9s egress=%-4s route_table=%s\n", s.ID, s.CIDRBlock, s.AvailabilityZone, f.Class, f.Egress, f.RouteTable)
	}
	fmt.Fprintln(w, "\nReachable from the internet:")
	any := false
	for _, n := range g.Nodes() {
		f := g.Facts.Nodes[n.Meta().ID]
		if f == nil || len(f.InternetReachable) == 0 {
			continue
		}
		any = true
		b := n.Meta()
		name := ""
		if b.Name != "" {
			name = " (" + b.Name + ")"
		}
		fmt.Fprintf(w, "  %s %s%s tier=%s\n", b.Kind, b.ID, name, tierText(f.Tier))
		for _, e := range f.InternetReachable {
			fmt.Fprintf(w, "    %-18s via %s\n", portText(e), e.Via)
		}
	}
	if !any {
		fmt.Fprintln(w, "  nothing")
	}
	if len(res.Diagnostics) > 0 {
		fmt.Fprintln(w, "\nDiagnostics:")
		for _, d := range res.Diagnostics {
			fmt.Fprintf(w, "  %s\n", d.Error())
		}
	}
}

func tierText(t graph.Tier) string {
	if t == graph.TierNone {
		return "-"
	}
	return string(t)
}

// portText formats an exposure's protocol and ports: "tcp/22",
// "tcp/1024-65535", "all".
func portText(e graph.Exposure) string {
	s := ""
	switch {
	case e.Protocol == graph.ProtocolAll:
		s = "all traffic"
	case e.FromPort == e.ToPort:
		s = fmt.Sprintf("%s/%d", e.Protocol, e.FromPort)
	default:
		s = fmt.Sprintf("%s/%d-%d", e.Protocol, e.FromPort, e.ToPort)
	}
	if e.IPv6 {
		s += " (IPv6)"
	}
	return s
}
