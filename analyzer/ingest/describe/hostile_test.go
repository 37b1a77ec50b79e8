package describe

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/internal/hostile"
)

// goodFiles are the describe files of testdata/describe/basic.
func goodFiles(t *testing.T) []File {
	t.Helper()
	dir := filepath.Join("..", "..", "..", "testdata", "describe", "basic")
	paths, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	var out []File
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, File{Path: p, Data: b})
	}
	if len(out) == 0 {
		t.Fatal("no fixture")
	}
	return out
}

func checkGood(t *testing.T, g *graph.Graph) {
	t.Helper()
	n := 0
	for _, node := range g.Nodes() {
		if strings.Contains(node.Meta().Source.Range.File, "basic") {
			n++
		}
	}
	if n < 10 {
		t.Errorf("only %d nodes of the good files", n)
	}
}

func diagsOf(g *graph.Graph, file string) []graph.Diagnostic {
	var out []graph.Diagnostic
	for _, d := range g.Diagnostics {
		if d.Range.File == file {
			out = append(out, d)
		}
	}
	return out
}

// Issue 13, row 3: a million empty instances (3 MB) are skipped cheaply,
// with one warning that counts them.
func TestHostileEmptyInstances(t *testing.T) {
	data := hostile.EmptyInstances(1_000_000)
	var g *graph.Graph
	hostile.Measure(func() {
		g = Read(context.Background(), append(goodFiles(t), File{Path: "hostile.json", Data: data}), Options{})
	}).Check(t)
	ds := diagsOf(g, "hostile.json")
	if len(ds) != 1 || ds[0].Summary != "ec2 describe-instances: empty element skipped (and 999,999 more in this file)" || ds[0].Range.Start.Line != 1 {
		t.Fatalf("diagnostics %v", ds)
	}
	checkGood(t, g)
}

// Instances that are not empty but have no InstanceId give one warning
// per file with the count.
func TestHostileInstancesWithoutID(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Reservations": [{"Instances": [`)
	for i := range 200_000 {
		if i > 0 {
			b.WriteString(",\n")
		}
		b.WriteString(`{"State": {"Name": "running"}}`)
	}
	b.WriteString("]}]}\n")
	var g *graph.Graph
	hostile.Measure(func() {
		g = Read(context.Background(), append(goodFiles(t), File{Path: "noid.json", Data: []byte(b.String())}), Options{})
	}).Check(t)
	ds := diagsOf(g, "noid.json")
	if len(ds) != 1 || ds[0].Summary != "ec2 describe-instances: element without InstanceId skipped (and 199,999 more in this file)" || ds[0].Range.Start.Line != 1 {
		t.Fatalf("diagnostics %v", ds)
	}
	checkGood(t, g)
}

// Elements past the budget are cut with one located error.
func TestHostileDescribeBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString(`{"Vpcs": [`)
	for i := range 5000 {
		if i > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, `{"VpcId": "vpc-%08x", "CidrBlock": "10.0.0.0/16"}`, i)
	}
	b.WriteString("]}\n")
	files := append(goodFiles(t), File{Path: "zz-many.json", Data: []byte(b.String())})
	g := Read(context.Background(), files, Options{Options: ingest.Options{Budget: ingest.NewBudget(1000)}})
	var cut []graph.Diagnostic
	for _, d := range g.Diagnostics {
		if strings.Contains(d.Summary, "Limits.MaxNodes") {
			cut = append(cut, d)
		}
	}
	if len(cut) != 1 || cut[0].Severity != graph.SeverityError || cut[0].Range.File != "zz-many.json" || cut[0].Range.Start.Line < 2 {
		t.Fatalf("budget diagnostics %v", cut)
	}
	if n := len(g.Nodes()); n > 1000+200 {
		t.Errorf("%d nodes", n)
	}
	checkGood(t, g)
	// A per-file bound applies too: the elements are not even recorded.
	g = Read(context.Background(), files, Options{Options: ingest.Options{Limits: ingest.Limits{MaxNodes: 100}}})
	if ds := diagsOf(g, "zz-many.json"); len(ds) != 1 || !strings.Contains(ds[0].Summary, "limit of 100 resources") {
		t.Fatalf("diagnostics %v", ds)
	}
}

// Issue 13, row 6: invalid UTF-8 is a located error, not vpc-1\ufffd.
func TestHostileInvalidUTF8(t *testing.T) {
	data := []byte("{\"Vpcs\": [\n  {\"VpcId\": \"vpc-1\xff\xfe\", \"CidrBlock\": \"10.0.0.0/16\"}\n]}\n")
	g := Read(context.Background(), append(goodFiles(t), File{Path: "utf8.json", Data: data}), Options{})
	ds := diagsOf(g, "utf8.json")
	if len(ds) != 1 || ds[0].Severity != graph.SeverityError || !strings.Contains(ds[0].Summary, "invalid UTF-8") || ds[0].Range.Start.Line != 2 || ds[0].Range.Start.Column != 19 {
		t.Fatalf("diagnostics %v", ds)
	}
	if g.Node("vpc-1\ufffd\ufffd") != nil {
		t.Error("the bad id was read")
	}
	checkGood(t, g)
}

// A describe file nesting 70,000 deep is a located error.
func TestHostileDeepDescribe(t *testing.T) {
	data := []byte("{\"Vpcs\": [\n{\"Tags\": " + strings.Repeat("[", 70_000) + strings.Repeat("]", 70_000) + "}]}")
	g := Read(context.Background(), append(goodFiles(t), File{Path: "deep.json", Data: data}), Options{})
	ds := diagsOf(g, "deep.json")
	if len(ds) != 1 || !strings.Contains(ds[0].Summary, "deeper than 256 levels") || ds[0].Range.Start.Line != 2 {
		t.Fatalf("diagnostics %v", ds)
	}
	checkGood(t, g)
}
