package terraform

import (
	"context"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/internal/hostile"
)

// goodNodes are nodes examples/terraform/basic/main.tf yields.
var goodNodes = []string{"aws_vpc.main", "aws_instance.app", "aws_security_group.db", `aws_subnet.public["a"]`}

func checkGood(t *testing.T, g *graph.Graph) {
	t.Helper()
	for _, id := range goodNodes {
		if g.Node(id) == nil {
			t.Errorf("the good file's %s is missing", id)
		}
	}
}

// errorAt returns the error diagnostics of file containing text.
func errorAt(g *graph.Graph, file, text string) []graph.Diagnostic {
	var out []graph.Diagnostic
	for _, d := range g.Diagnostics {
		if d.Severity == graph.SeverityError && strings.HasSuffix(d.Range.File, file) && strings.Contains(d.Summary, text) {
			out = append(out, d)
		}
	}
	return out
}

// Issue 13, row 1: a .tf or terraform.tfvars holding a list nested 70,000
// deep is a located error; the good file beside it is still read.
func TestHostileDeepNesting(t *testing.T) {
	for _, name := range []string{"deep.tf", "terraform.tfvars"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			hostile.Write(t, dir, "main.tf", hostile.GoodTF(t))
			src := "variable \"deep\" {\n  default = null\n}\n"
			if name == "terraform.tfvars" {
				src = ""
				hostile.Write(t, dir, "vars.tf", []byte("variable \"deep\" {\n  default = null\n}\n"))
			}
			hostile.Write(t, dir, name, []byte(src+"\n"+hostile.DeepList("deep", 70_000)))
			var g *graph.Graph
			hostile.Measure(func() { g = LoadModule(context.Background(), dir, Options{}) }).Check(t)
			ds := errorAt(g, name, "nest deeper than 256 levels")
			if len(ds) != 1 {
				t.Fatalf("want one depth error in %s, got %v", name, g.Diagnostics)
			}
			if want := strings.Count(src, "\n") + 2; ds[0].Range.Start.Line != want {
				t.Errorf("error at line %d, want %d", ds[0].Range.Start.Line, want)
			}
			if !strings.Contains(ds[0].Summary, "Limits.MaxDepth") {
				t.Errorf("%q does not name the limit", ds[0].Summary)
			}
			checkGood(t, g)
		})
	}
	// A higher limit lets a deeper (but bounded) file through.
	dir := t.TempDir()
	hostile.Write(t, dir, "deep.tf", []byte("locals {\n"+hostile.DeepList("  x", 300)+"}\n"))
	g := LoadModule(context.Background(), dir, Options{Options: ingest.Options{Limits: ingest.Limits{MaxDepth: 400}}})
	if ds := errorAt(g, "deep.tf", ""); len(ds) != 0 {
		t.Errorf("MaxDepth 400: %v", ds)
	}
}

// Issue 13, row 2: 300 security groups with count = 2048 are cut at the
// budget with one error naming where and how to raise the limit.
func TestHostileCountExpansion(t *testing.T) {
	dir := t.TempDir()
	hostile.Write(t, dir, "main.tf", hostile.GoodTF(t))
	hostile.Write(t, dir, "sg.tf", []byte(hostile.ManyCounts(300, 2048)))
	const max = 20_000
	b := ingest.NewBudget(max)
	var g *graph.Graph
	hostile.Measure(func() { g = LoadModule(context.Background(), dir, Options{Options: ingest.Options{Budget: b}}) }).Check(t)
	ds := errorAt(g, "sg.tf", "Limits.MaxNodes")
	if len(ds) != 1 {
		t.Fatalf("want one budget error, got %d: %v", len(ds), ds)
	}
	if !strings.Contains(ds[0].Summary, "limit of 20000 resources") || !strings.Contains(ds[0].Summary, "raise Limits.MaxNodes") || ds[0].Range.Start.Line == 0 {
		t.Errorf("budget error %s: %s", ds[0].Range, ds[0].Summary)
	}
	if n := len(g.Nodes()); n > max+100 {
		t.Errorf("%d nodes kept, over the budget of %d", n, max)
	}
	if !b.Exhausted() {
		t.Error("budget not exhausted")
	}
	checkGood(t, g)
}

// Invalid UTF-8 in a .tf file is a located error; the good file is read.
func TestHostileInvalidUTF8(t *testing.T) {
	dir := t.TempDir()
	hostile.Write(t, dir, "main.tf", hostile.GoodTF(t))
	hostile.Write(t, dir, "bad.tf", []byte("locals {\n  a = \"vpc-1\xff\xfe\"\n}\n"))
	g := LoadModule(context.Background(), dir, Options{})
	ds := errorAt(g, "bad.tf", "invalid UTF-8")
	if len(ds) != 1 || ds[0].Range.Start.Line != 2 || ds[0].Range.Start.Column != 13 {
		t.Fatalf("want one UTF-8 error at 2:13, got %v", g.Diagnostics)
	}
	checkGood(t, g)
}

// A plan nesting too deep is a located error.
func TestHostileDeepPlan(t *testing.T) {
	data := []byte(`{"format_version": "1.2", "planned_values": {"root_module": {"resources": [{"values": ` + strings.Repeat("[", 70_000) + strings.Repeat("]", 70_000) + `}]}}}`)
	g := ReadPlan(context.Background(), "plan.json", data, Options{})
	if ds := errorAt(g, "plan.json", "nest deeper"); len(ds) != 1 || ds[0].Range.Start.Line != 1 {
		t.Fatalf("want a located depth error, got %v", g.Diagnostics)
	}
}
