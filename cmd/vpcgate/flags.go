package main

import (
	"reflect"
	"strings"

	"github.com/urfave/cli/v2"
)

// envPrefix starts the environment variable of every flag: --fail-on is
// VPCGATE_FAIL_ON, --skip-rule VPCGATE_SKIP_RULE (a list: comma-separated).
const envPrefix = "VPCGATE_"

// envName is the environment variable of a flag.
func envName(flag string) string {
	return envPrefix + strings.ToUpper(strings.ReplaceAll(flag, "-", "_"))
}

// setEnvVars gives every flag of every command its VPCGATE_* variable; a
// flag on the command line wins over the variable.
func setEnvVars(cmds []*cli.Command) {
	for _, cmd := range cmds {
		for _, f := range cmd.Flags {
			v := reflect.ValueOf(f)
			if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
				continue
			}
			ev := v.Elem().FieldByName("EnvVars")
			if !ev.IsValid() || !ev.CanSet() || ev.Type() != reflect.TypeFor[[]string]() || ev.Len() > 0 {
				continue
			}
			ev.Set(reflect.ValueOf([]string{envName(f.Names()[0])}))
		}
		setEnvVars(cmd.Subcommands)
	}
}

// interspersed moves the flags of the command named by args (after the
// program name and any subcommand path) before its positional arguments,
// so that `scan DIR --format json` reads like `scan --format json DIR`, as
// urfave/cli stops reading flags at the first argument. A flag's value
// stays with it (booleans take none unless written --flag=value); "--" ends
// the flags.
func interspersed(app *cli.App, args []string) []string {
	if len(args) < 2 || args[len(args)-1] == completionFlag {
		return args
	}
	cmds := app.Commands
	var cmd *cli.Command
	i := 1
	for i < len(args) {
		var next *cli.Command
		for _, c := range cmds {
			if c.HasName(args[i]) {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		cmd, cmds = next, next.Subcommands
		i++
		if len(cmds) == 0 {
			break
		}
	}
	if cmd == nil || len(cmd.Subcommands) > 0 {
		return args
	}
	takesValue := map[string]bool{}
	for _, f := range cmd.Flags {
		_, isBool := f.(*cli.BoolFlag)
		for _, n := range f.Names() {
			takesValue[n] = !isBool
		}
	}
	out := append([]string(nil), args[:i]...)
	var positional []string
	for j := i; j < len(args); j++ {
		a := args[j]
		if a == "--" {
			positional = append(positional, args[j:]...)
			break
		}
		if len(a) < 2 || a[0] != '-' {
			positional = append(positional, a)
			continue
		}
		out = append(out, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		if takesValue[name] && j+1 < len(args) {
			j++
			out = append(out, args[j])
		}
	}
	return append(out, positional...)
}
