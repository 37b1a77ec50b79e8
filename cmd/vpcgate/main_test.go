package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/internal/golden"
)

// cliMu serializes in-process runs: urfave/cli v2 mutates its package-level
// HelpFlag on every run, so two apps running at once race.
var cliMu sync.Mutex

// runCLI drives the CLI in process.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	cliMu.Lock()
	defer cliMu.Unlock()
	code = run(context.Background(), append([]string{"vpcgate"}, args...), &out, &errb)
	return out.String(), errb.String(), code
}

// checkGolden compares got with testdata/golden/name, rewriting it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	golden.Check(t, path, []byte(got))
}

const fixtures = "../../testdata/describe"

func TestUsageErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		args []string
	}{
		{"no paths", []string{"scan"}},
		{"missing path", []string{"scan", "does/not/exist"}},
		{"bad graph format", []string{"graph", "--format", "png", fixtures + "/production"}},
		{"explain without port", []string{"explain", "--resource", "x", fixtures + "/production"}},
		{"explain unknown resource", []string{"explain", "--resource", "nope", "--port", "22", fixtures + "/production"}},
		{"unknown command", []string{"frobnicate"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := runCLI(t, c.args...)
			if code != exitUsage {
				t.Errorf("exit %d, want %d; stderr: %s", code, exitUsage, stderr)
			}
			if strings.TrimSpace(stderr) == "" {
				t.Error("no message on stderr")
			}
		})
	}
}

func TestGraphJSONShapeAndDeterminism(t *testing.T) {
	t.Parallel()
	out1, stderr, code := runCLI(t, "graph", "--format", "json", fixtures+"/production")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	out2, _, _ := runCLI(t, "graph", "--format", "json", fixtures+"/production")
	if out1 != out2 {
		t.Fatal("graph JSON differs between two runs")
	}
	var doc struct {
		Nodes []struct {
			ID       string          `json:"id"`
			Kind     string          `json:"kind"`
			Attrs    json.RawMessage `json:"attrs"`
			Derived  map[string]any  `json:"derived"`
			Location *struct {
				File  string `json:"file"`
				Start struct{ Line, Column int }
			} `json:"location"`
		} `json:"nodes"`
		Edges []struct{ From, To, Kind string } `json:"edges"`
	}
	if err := json.Unmarshal([]byte(out1), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Nodes) == 0 || len(doc.Edges) == 0 {
		t.Fatalf("empty graph: %d nodes, %d edges", len(doc.Nodes), len(doc.Edges))
	}
	subnets, compute := 0, 0
	for _, n := range doc.Nodes {
		if n.Location == nil || n.Location.File == "" || n.Location.Start.Line < 1 {
			t.Errorf("%s %s has no location", n.Kind, n.ID)
		}
		switch n.Kind {
		case "subnet":
			subnets++
			for _, k := range []string{"public", "route_table", "egress"} {
				if _, ok := n.Derived[k]; !ok {
					t.Errorf("subnet %s derived lacks %q", n.ID, k)
				}
			}
		case "instance":
			compute++
			for _, k := range []string{"tier", "internet_reachable"} {
				if _, ok := n.Derived[k]; !ok {
					t.Errorf("instance %s derived lacks %q", n.ID, k)
				}
			}
		}
	}
	if subnets == 0 || compute == 0 {
		t.Errorf("want subnets and instances, got %d and %d", subnets, compute)
	}
}

func TestGraphDotAndMermaid(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"dot", "mermaid"} {
		out, stderr, code := runCLI(t, "graph", "--format", f, fixtures+"/production")
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", f, code, stderr)
		}
		head := map[string]string{"dot": "digraph vpcgate {", "mermaid": "flowchart LR"}[f]
		if !strings.HasPrefix(out, head) || !strings.Contains(out, "subnet") {
			t.Errorf("%s output does not look right:\n%.300s", f, out)
		}
	}
}

func TestExplainJSON(t *testing.T) {
	t.Parallel()
	type verdict struct {
		Resource  string `json:"resource"`
		Protocol  string `json:"protocol"`
		Port      int    `json:"port"`
		Reachable bool   `json:"reachable"`
		Path      []struct {
			Node, Kind, Detail string
		} `json:"path"`
		BlockedBy *struct{ Code, Node, Detail string } `json:"blocked_by"`
	}
	explain := func(resource string, port int) verdict {
		t.Helper()
		out, stderr, code := runCLI(t, "explain", "--resource", resource, "--port", fmt.Sprint(port), "--format", "json", fixtures+"/production")
		if code != 0 {
			t.Fatalf("explain %s %d: exit %d: %s", resource, port, code, stderr)
		}
		var v verdict
		if err := json.Unmarshal([]byte(out), &v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	// The bastion by its Name tag: SSH reaches it through the IGW, the
	// route table, the NACL and its security group.
	v := explain("bastion", 22)
	if !v.Reachable || v.BlockedBy != nil || v.Protocol != "tcp" || v.Port != 22 {
		t.Fatalf("bastion:22 = %+v", v)
	}
	var kinds []string
	for _, h := range v.Path {
		kinds = append(kinds, h.Kind)
	}
	for _, k := range []string{"internet_gateway", "route_table", "network_acl", "security_group", "instance"} {
		if !strings.Contains(strings.Join(kinds, " "), k) {
			t.Errorf("bastion path lacks a %s hop: %v", k, kinds)
		}
	}
	// The database is private: blocked, with a Reachability Analyzer code.
	v = explain("prod-db", 3306)
	if v.Reachable || v.BlockedBy == nil || v.BlockedBy.Code == "" || v.BlockedBy.Node == "" {
		t.Errorf("prod-db:3306 = %+v, want blocked with a code", v)
	}
	// The bastion admits only SSH.
	v = explain("bastion", 80)
	if v.Reachable || v.BlockedBy == nil || v.BlockedBy.Code != "ENI_SG_RULES_MISMATCH" {
		t.Errorf("bastion:80 = %+v, want ENI_SG_RULES_MISMATCH", v)
	}
}

func TestExplainAmbiguousName(t *testing.T) {
	t.Parallel()
	// Both app instances carry Name=prod-app (and so does the ASG).
	_, stderr, code := runCLI(t, "explain", "--resource", "prod-app", "--port", "80", fixtures+"/production")
	if code != exitUsage || !strings.Contains(stderr, "ambiguous") {
		t.Errorf("exit %d, stderr %q; want a usage error saying the name is ambiguous", code, stderr)
	}
}

// TestREADMEExamples keeps README's worked examples true: each console
// block that starts with "$ go run ./cmd/vpcgate ARGS" must print what the
// README shows (a trailing "| tail -1" keeps the last line).
func TestREADMEExamples(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	blocks := strings.Split(string(data), "```")
	checked := 0
	for i := 1; i < len(blocks); i += 2 {
		lines := strings.SplitN(strings.TrimPrefix(blocks[i], "\n"), "\n", 2)
		cmdline, ok := strings.CutPrefix(lines[0], "$ go run ./cmd/vpcgate ")
		if !ok || len(lines) < 2 {
			continue
		}
		cmdline, tail := strings.CutSuffix(cmdline, " | tail -1")
		args := strings.Fields(cmdline)
		for j, a := range args {
			if strings.HasPrefix(a, "testdata/") || strings.HasPrefix(a, "examples/") {
				args[j] = "../../" + a
			}
		}
		out, stderr, _ := runCLI(t, args...)
		if tail {
			ls := strings.Split(strings.TrimRight(out, "\n"), "\n")
			out = ls[len(ls)-1] + "\n"
		}
		out = strings.ReplaceAll(out, "../../", "")
		if diff := cmp.Diff(lines[1], out); diff != "" {
			t.Errorf("README example %q differs (-README +actual):\n%s\nstderr: %s", cmdline, diff, stderr)
		}
		checked++
	}
	if checked < 2 {
		t.Errorf("checked %d README examples, want at least 2", checked)
	}
}
