package cloudformation

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/internal/golden"
)

// repoRoot is the module root, from this package's folder.
const repoRoot = "../../.."

// goldenNode is a node as the golden files show it: identity, provenance
// (positions relative to the repository), attribute ranges, unknowns,
// suppressions and the typed fields.
type goldenNode struct {
	ID            string              `json:"id"`
	Kind          graph.Kind          `json:"kind"`
	Name          string              `json:"name,omitempty"`
	Tags          map[string]string   `json:"tags,omitempty"`
	Aliases       []string            `json:"aliases,omitempty"`
	Address       string              `json:"address,omitempty"`
	ConstructPath string              `json:"construct_path,omitempty"`
	Range         string              `json:"range"`
	AttrRanges    map[string]string   `json:"attr_ranges,omitempty"`
	Unknown       []string            `json:"unknown,omitempty"`
	Suppressions  []graph.Suppression `json:"suppressions,omitempty"`
	Fields        map[string]any      `json:"fields"`
}

// span formats a range as file:line:col-line:col with a path relative to
// the repository.
func span(r graph.Range) string {
	if r.IsZero() {
		return ""
	}
	f := r.File
	if rel, err := filepath.Rel(repoRoot, f); err == nil {
		f = filepath.ToSlash(rel)
	}
	return f + ":" + itoa(r.Start.Line) + ":" + itoa(r.Start.Column) + "-" + itoa(r.End.Line) + ":" + itoa(r.End.Column)
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

// dump renders a graph fragment for golden comparison.
func dump(t *testing.T, g *graph.Graph) []byte {
	t.Helper()
	var out struct {
		Nodes       []goldenNode `json:"nodes"`
		Edges       []graph.Edge `json:"edges"`
		Diagnostics []string     `json:"diagnostics"`
	}
	for _, n := range g.Nodes() {
		b := n.Meta()
		gn := goldenNode{ID: b.ID, Kind: b.Kind, Name: b.Name, Tags: b.Tags, Aliases: b.Aliases, Address: b.Source.Address,
			ConstructPath: b.Source.ConstructPath, Range: span(b.Source.Range), Unknown: b.Unknown}
		if b.Source.Form != graph.FormCloudFormation {
			t.Errorf("%s: form %q", b.ID, b.Source.Form)
		}
		for k, r := range b.Attrs {
			if gn.AttrRanges == nil {
				gn.AttrRanges = map[string]string{}
			}
			gn.AttrRanges[k] = span(r)
		}
		for _, s := range b.Suppressions {
			s.Range.File = span(s.Range)
			s.Range.Start, s.Range.End = graph.Pos{}, graph.Pos{}
			gn.Suppressions = append(gn.Suppressions, s)
		}
		raw, err := json.Marshal(n)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(raw, &gn.Fields); err != nil {
			t.Fatal(err)
		}
		out.Nodes = append(out.Nodes, gn)
	}
	out.Edges = g.Edges()
	out.Diagnostics = []string{}
	for _, d := range g.Diagnostics {
		r := d.Range
		s := string(d.Severity) + " " + span(r) + ": " + d.Summary
		if r.IsZero() || r.Start.Line == 0 {
			s = string(d.Severity) + " " + relPath(r.File) + ": " + d.Summary
		}
		out.Diagnostics = append(out.Diagnostics, s)
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(data, '\n')
}

func relPath(f string) string {
	if f == "" {
		return ""
	}
	if rel, err := filepath.Rel(repoRoot, f); err == nil {
		return filepath.ToSlash(rel)
	}
	return f
}

// checkGolden compares got with the golden file, rewriting it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	golden.Check(t, path, got)
}

func TestGoldenTemplates(t *testing.T) {
	t.Parallel()
	dirs := []string{filepath.Join(repoRoot, "testdata", "cloudformation"), filepath.Join(repoRoot, "examples", "cloudformation")}
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		jsons, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		files = append(files, jsons...)
		if filepath.Base(dir) == "cloudformation" && strings.Contains(dir, "testdata") {
			files = append(files, filepath.Join(dir, "nested", "parent.yaml"))
		}
		for _, f := range files {
			name := filepath.Base(f)
			if strings.HasSuffix(name, ".params.json") {
				continue
			}
			t.Run(filepath.Base(dir)+"/"+name, func(t *testing.T) {
				t.Parallel()
				data, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				opts := Options{}
				if p := strings.TrimSuffix(f, filepath.Ext(f)) + ".params.json"; fileExists(p) {
					opts.ParameterFiles = []string{p}
				}
				g := ReadTemplate(context.Background(), f, data, opts)
				golden := filepath.Join(repoRoot, "testdata", "cloudformation", "golden", filepath.Base(dir)+"-"+strings.TrimSuffix(name, filepath.Ext(name))+".graph.json")
				checkGolden(t, golden, dump(t, g))
			})
		}
	}
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func TestGoldenCloudAssembly(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(repoRoot, "examples", "cdk", "cdk.out")
	if !IsCloudAssembly(dir) {
		t.Fatalf("%s is not recognised as a cloud assembly", dir)
	}
	g := ReadCloudAssembly(context.Background(), dir, Options{})
	checkGolden(t, filepath.Join(repoRoot, "testdata", "cloudformation", "golden", "cdk-example.graph.json"), dump(t, g))
}
