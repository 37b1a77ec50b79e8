package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

const good = `version: 1
policies: [team-policies]
rules: ["rds-*", only-lb-public]
skip_rules: rds-multi-az
severity: medium
fail_on: high
suppressions:
  - rule: admin-ports-open-to-world
    resource: "sg-0abc*"
    reason: break-glass SSH, ticket OPS-12
    expires: 2026-12-31
  - rule: idle-eip
    reason: reserved for the DR cut-over
`

func TestParse(t *testing.T) {
	t.Parallel()
	c, diags := Parse("/repo/.vpcgate.yaml", []byte(good))
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %v", diags)
	}
	want := &Config{
		Path:          "/repo/.vpcgate.yaml",
		Policies:      []string{"/repo/team-policies"},
		Rules:         []string{"rds-*", "only-lb-public"},
		SkipRules:     []string{"rds-multi-az"},
		Severity:      "medium",
		SeverityRange: graph.Range{File: "/repo/.vpcgate.yaml", Start: graph.Pos{Line: 5, Column: 11}, End: graph.Pos{Line: 5, Column: 17}},
		FailOn:        "high",
		FailOnRange:   graph.Range{File: "/repo/.vpcgate.yaml", Start: graph.Pos{Line: 6, Column: 10}, End: graph.Pos{Line: 6, Column: 14}},
		Suppressions: []Suppression{
			{Rule: "admin-ports-open-to-world", Resource: "sg-0abc*", Reason: "break-glass SSH, ticket OPS-12", Expires: time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
				Range: graph.Range{File: "/repo/.vpcgate.yaml", Start: graph.Pos{Line: 8, Column: 5}, End: graph.Pos{Line: 8, Column: 6}}},
			{Rule: "idle-eip", Reason: "reserved for the DR cut-over",
				Range: graph.Range{File: "/repo/.vpcgate.yaml", Start: graph.Pos{Line: 12, Column: 5}, End: graph.Pos{Line: 12, Column: 6}}},
		},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, src string
		line      int
		want      string
	}{
		{"bad yaml", "rules: [a\n", 0, "invalid YAML"},
		{"unknown key", "version: 1\nrulez: [a]\n", 2, `unknown key "rulez"`},
		{"version", "version: 2\n", 1, "version 2 is not supported"},
		{"no reason", "suppressions:\n  - rule: idle-eip\n    resource: eipalloc-1\n", 2, "without a reason"},
		{"blank reason", "suppressions:\n  - rule: idle-eip\n    reason: '  '\n", 2, "without a reason"},
		{"no rule", "suppressions:\n  - reason: because\n", 2, "without a rule"},
		{"bad date", "suppressions:\n  - rule: x\n    reason: y\n    expires: next week\n", 4, "want a date YYYY-MM-DD"},
		{"unknown suppression key", "suppressions:\n  - rule: x\n    reason: y\n    until: 2026-01-01\n", 4, `unknown suppression key "until"`},
		{"not a list", "suppressions: {rule: x}\n", 1, "want a list"},
		{"alias is not expanded", "a: &a [x]\nrules: *a\n", 1, "unknown key"},
		{"deep", "rules:" + strings.Repeat(" [", 40) + strings.Repeat("]", 40) + "\n", 1, "nested deeper"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, diags := Parse("c.yaml", []byte(tc.src))
			if len(diags) == 0 {
				t.Fatal("no diagnostic")
			}
			d := diags[0]
			if !strings.Contains(d.Summary, tc.want) || d.Range.File != "c.yaml" || d.Range.Start.Line != tc.line || d.Severity != graph.SeverityError {
				t.Errorf("diagnostic %v, want %q at line %d", d, tc.want, tc.line)
			}
		})
	}
}

func TestFindUpward(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	deep := filepath.Join(root, "infra", "prod", "net")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	input := filepath.Join(deep, "main.tf")
	if err := os.WriteFile(input, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := Find(input)
	if err != nil {
		t.Fatal(err)
	}
	if got != "" && strings.HasPrefix(got, root) {
		t.Fatalf("found %s before writing one", got)
	}
	cfg := filepath.Join(root, "infra", FileName)
	if err := os.WriteFile(cfg, []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, start := range []string{input, deep, filepath.Join(root, "infra")} {
		got, err := Find(start)
		if err != nil || got != cfg {
			t.Errorf("Find(%s) = %q, %v; want %s", start, got, err, cfg)
		}
	}
	c, diags, err := Load(cfg)
	if err != nil || len(diags) != 0 || len(c.Suppressions) != 2 {
		t.Errorf("Load: %v %v %+v", err, diags, c)
	}
}

func TestLoadTooLarge(t *testing.T) {
	t.Parallel()
	p := filepath.Join(t.TempDir(), FileName)
	if err := os.WriteFile(p, []byte("# "+strings.Repeat("x", MaxSize)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, diags, err := Load(p)
	if err != nil || len(diags) != 1 || !strings.Contains(diags[0].Summary, "larger than") {
		t.Errorf("got %v %v", diags, err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(good))
	f.Add([]byte("suppressions:\n  - rule: x\n"))
	f.Add([]byte("a: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, diags := Parse("f.yaml", data)
		if c == nil {
			t.Fatal("nil config")
		}
		for _, s := range c.Suppressions {
			if s.Reason == "" || s.Rule == "" {
				t.Errorf("suppression without rule or reason accepted: %+v", s)
			}
		}
		for _, d := range diags {
			if d.Range.File != "f.yaml" {
				t.Errorf("diagnostic without the file: %v", d)
			}
		}
	})
}

// TestExampleConfig keeps examples/ci/vpcgate.yaml valid.
func TestExampleConfig(t *testing.T) {
	t.Parallel()
	c, diags, err := Load("../../examples/ci/vpcgate.yaml")
	if err != nil || len(diags) != 0 {
		t.Fatalf("%v %v", err, diags)
	}
	if len(c.Suppressions) != 2 || c.FailOn != "high" || len(c.SkipRules) != 1 {
		t.Errorf("example config read as %+v", c)
	}
}
