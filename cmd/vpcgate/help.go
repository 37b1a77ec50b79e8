package main

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// rootAction runs when no command is named: `vpcgate`, `vpcgate --version`,
// `vpcgate help [CMD...]`, or a mistyped command.
func rootAction(c *cli.Context) error {
	if c.Bool("version") {
		return currentBuild().write(c.App.Writer, false)
	}
	args := c.Args().Slice()
	if len(args) == 0 {
		return cli.ShowAppHelp(c)
	}
	if args[0] == "help" {
		return helpAction(c, args[1:])
	}
	return usageError("unknown command %q%s; run 'vpcgate help' for the list", args[0], suggestion(args[0], c.App.Commands))
}

// helpAction prints the help of the command path (help policies test).
func helpAction(c *cli.Context, path []string) error {
	if len(path) == 0 {
		return cli.ShowAppHelp(c)
	}
	cmds := c.App.Commands
	prefix := "vpcgate"
	for i, name := range path {
		var cmd *cli.Command
		for _, x := range cmds {
			if x.HasName(name) {
				cmd = x
				break
			}
		}
		if cmd == nil {
			what := "command"
			if i > 0 {
				what = prefix + " command"
			}
			return usageError("help: unknown %s %q%s", what, name, suggestion(name, cmds))
		}
		path[i] = cmd.Name
		prefix += " " + cmd.Name
		cmds = cmd.Subcommands
	}
	// urfave prints a command's help when it is given --help.
	return c.App.RunContext(c.Context, append(append([]string{c.App.Name}, path...), "--help"))
}

// setUsageErrors makes every command report a usage error once, as one
// message with the command's synopsis (not the whole help), and makes a
// command that only groups subcommands name a mistyped one.
func setUsageErrors(cmds []*cli.Command) {
	for _, cmd := range cmds {
		cmd.OnUsageError = onUsageError
		if len(cmd.Subcommands) > 0 {
			if cmd.Action == nil {
				cmd.Action = groupAction
			}
			setUsageErrors(cmd.Subcommands)
		}
	}
}

func onUsageError(c *cli.Context, err error, _ bool) error {
	name := "vpcgate"
	var flags []cli.Flag
	args := "[options]"
	if c.Command != nil {
		name = c.Command.HelpName
		flags = c.Command.Flags
		if c.Command.ArgsUsage != "" {
			args += " " + c.Command.ArgsUsage
		}
	}
	msg := err.Error()
	if bad, ok := strings.CutPrefix(msg, "flag provided but not defined: -"); ok {
		msg = fmt.Sprintf("unknown flag --%s%s", strings.TrimLeft(bad, "-"), flagSuggestion(strings.TrimLeft(bad, "-"), flags))
	}
	return usageError("%s: %s\nusage: %s %s (vpcgate help %s for the options)",
		strings.TrimPrefix(name, "vpcgate "), msg, name, args, strings.TrimPrefix(name, "vpcgate "))
}

// groupAction answers a command that only groups subcommands (policies,
// prices) when it is given none or a mistyped one.
func groupAction(c *cli.Context) error {
	if c.NArg() == 0 {
		return cli.ShowSubcommandHelp(c)
	}
	name := c.Args().First()
	return usageError("%s: unknown command %q%s; run '%s --help' for the list",
		c.Command.HelpName, name, suggestion(name, c.Command.Subcommands), c.Command.HelpName)
}

// suggestion returns `; did you mean "scan"?` for the command closest to
// name, or "" when none is close.
func suggestion(name string, cmds []*cli.Command) string {
	var names []string
	for _, c := range cmds {
		if !c.Hidden {
			names = append(names, c.Names()...)
		}
	}
	if best := closest(name, names); best != "" {
		return fmt.Sprintf("; did you mean %q?", best)
	}
	return ""
}

func flagSuggestion(name string, flags []cli.Flag) string {
	var names []string
	for _, f := range flags {
		names = append(names, f.Names()...)
	}
	if best := closest(name, names); best != "" {
		dash := "--"
		if len(best) == 1 {
			dash = "-"
		}
		return fmt.Sprintf("; did you mean %s%s?", dash, best)
	}
	return ""
}

// closest returns the candidate nearest to s: a unique one that s is a
// prefix of, else the one at the smallest edit distance when that distance
// is small for the word's length; "" when nothing is close.
func closest(s string, candidates []string) string {
	s = strings.ToLower(s)
	var prefixed []string
	for _, c := range candidates {
		if len(s) >= 2 && strings.HasPrefix(c, s) {
			prefixed = append(prefixed, c)
		}
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	best, bestD := "", 0
	for _, c := range candidates {
		d := editDistance(s, c)
		if best == "" || d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	limit := max(1, min(len(s), len(best))/3)
	if best == "" || bestD > limit {
		return ""
	}
	return best
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and swaps of adjacent letters each cost 1.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev2 := make([]int, len(rb)+1)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && ra[i-1] == rb[j-2] && ra[i-2] == rb[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(rb)]
}
