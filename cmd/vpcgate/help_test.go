package main

import (
	"strings"
	"testing"
)

func TestHelpAndSuggestions(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		args     []string
		code     int
		stdout   []string // substrings of stdout
		stderr   []string // substrings of stderr
		noStdout bool
	}{
		{"help CMD", []string{"help", "scan"}, 0, []string{"vpcgate scan - read an architecture", "--fail-on"}, nil, false},
		{"help CMD SUB", []string{"help", "policies", "test"}, 0, []string{"vpcgate policies test - run the Rego tests"}, nil, false},
		{"help alone", []string{"help"}, 0, []string{"COMMANDS:", "scan", "version"}, nil, false},
		{"no command", nil, 0, []string{"COMMANDS:"}, nil, false},
		{"mistyped command", []string{"scna", "x"}, exitUsage, nil, []string{`unknown command "scna"; did you mean "scan"?`}, true},
		{"unrelated word", []string{"frobnicate"}, exitUsage, nil, []string{`unknown command "frobnicate"; run 'vpcgate help'`}, true},
		{"help mistyped", []string{"help", "polcies"}, exitUsage, nil, []string{`did you mean "policies"?`}, true},
		{"mistyped subcommand", []string{"policies", "lst"}, exitUsage, nil, []string{`unknown command "lst"; did you mean "list"?`}, true},
		{"mistyped flag", []string{"scan", "--fromat", "json", "x"}, exitUsage, nil, []string{"scan: unknown flag --fromat; did you mean --format?", "usage: vpcgate scan [options] PATH..."}, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runCLI(t, c.args...)
			if code != c.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, c.code, stdout, stderr)
			}
			for _, s := range c.stdout {
				if !strings.Contains(stdout, s) {
					t.Errorf("stdout lacks %q:\n%s", s, stdout)
				}
			}
			for _, s := range c.stderr {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr lacks %q:\n%s", s, stderr)
				}
			}
			if c.noStdout && stdout != "" {
				t.Errorf("a usage error printed help on stdout:\n%s", stdout)
			}
			if n := strings.Count(stderr, "vpcgate: "); c.code != 0 && n != 1 {
				t.Errorf("the error is printed %d times:\n%s", n, stderr)
			}
		})
	}
}

func TestClosest(t *testing.T) {
	t.Parallel()
	cmds := []string{"scan", "graph", "explain", "cost", "simulate", "prices", "policies", "version"}
	for in, want := range map[string]string{
		"scna": "scan", "sacn": "scan", "grpah": "graph", "polices": "policies", "pol": "policies",
		"simulat": "simulate", "cots": "cost", "xyz": "", "p": "", "explian": "explain", "versoin": "version",
	} {
		if got := closest(in, cmds); got != want {
			t.Errorf("closest(%q) = %q, want %q", in, got, want)
		}
	}
}
