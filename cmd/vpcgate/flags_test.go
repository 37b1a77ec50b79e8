package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/urfave/cli/v2"
)

// TestFlagsAfterPaths: flags may follow the paths, with their values.
func TestFlagsAfterPaths(t *testing.T) {
	t.Parallel()
	before, _, code1 := runCLI(t, "scan", "--format", "json", "--fail-on", "none", fixtures+"/production")
	after, stderr, code2 := runCLI(t, "scan", fixtures+"/production", "--format", "json", "--fail-on=none")
	if code1 != 0 || code2 != 0 || before != after {
		t.Errorf("exit %d and %d; outputs equal: %v\n%s", code1, code2, before == after, stderr)
	}
	app := newApp(nil, nil)
	for _, c := range []struct{ in, want []string }{
		{[]string{"vpcgate", "scan", "a", "--format", "json", "b", "--debug", "c"}, []string{"vpcgate", "scan", "--format", "json", "--debug", "a", "b", "c"}},
		{[]string{"vpcgate", "scan", "a", "--", "--format"}, []string{"vpcgate", "scan", "a", "--", "--format"}},
		{[]string{"vpcgate", "policies", "test", "dir", "-v"}, []string{"vpcgate", "policies", "test", "-v", "dir"}},
		{[]string{"vpcgate", "--version"}, []string{"vpcgate", "--version"}},
		{[]string{"vpcgate", "nosuch", "a", "--x"}, []string{"vpcgate", "nosuch", "a", "--x"}},
	} {
		if diff := cmp.Diff(c.want, interspersed(app, c.in)); diff != "" {
			t.Errorf("%v (-want +got):\n%s", c.in, diff)
		}
	}
}

// TestEnvVars: every flag has its VPCGATE_* variable; the command line
// wins over it. Not parallel: it sets the environment.
func TestEnvVars(t *testing.T) {
	t.Setenv("VPCGATE_FAIL_ON", "medium")
	t.Setenv("VPCGATE_FORMAT", "json")
	out, stderr, code := runCLI(t, "scan", fixtures+"/production")
	if code != exitFindings || !strings.HasPrefix(out, "{") {
		t.Errorf("VPCGATE_FAIL_ON=medium VPCGATE_FORMAT=json: exit %d, output %.40q; %s", code, out, stderr)
	}
	if _, _, code := runCLI(t, "scan", "--fail-on", "none", fixtures+"/production"); code != exitClean {
		t.Errorf("--fail-on none should win over VPCGATE_FAIL_ON: exit %d", code)
	}
	var missing []string
	var walk func(cmds []*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, cmd := range cmds {
			for _, f := range cmd.Flags {
				if !strings.Contains(f.String(), "[$"+envName(f.Names()[0])+"]") {
					missing = append(missing, cmd.Name+" --"+f.Names()[0])
				}
			}
			walk(cmd.Subcommands)
		}
	}
	walk(newApp(nil, nil).Commands)
	if len(missing) > 0 {
		t.Errorf("flags without a VPCGATE_ variable: %v", missing)
	}
}
