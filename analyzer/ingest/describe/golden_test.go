package describe

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/internal/golden"
)

// goldenNode is a node as the golden file shows it: the common fields,
// where it came from, and its own fields.
type goldenNode struct {
	ID      string                 `json:"id"`
	Kind    graph.Kind             `json:"kind"`
	Name    string                 `json:"name,omitempty"`
	Tags    map[string]string      `json:"tags,omitempty"`
	Aliases []string               `json:"aliases,omitempty"`
	Source  graph.Source           `json:"source"`
	Attrs   map[string]graph.Range `json:"attrs,omitempty"`
	Fields  graph.Node             `json:"fields"`
}

// TestGolden reads every unit input and compares the whole graph, with
// positions, to testdata/unit.golden.json (go test -run TestGolden -update
// rewrites it).
func TestGolden(t *testing.T) {
	t.Parallel()
	g := readUnit(t, allUnitFiles(t)...)
	var out struct {
		Nodes       []goldenNode       `json:"nodes"`
		Diagnostics []graph.Diagnostic `json:"diagnostics"`
	}
	for _, n := range g.Nodes() {
		b := n.Meta()
		out.Nodes = append(out.Nodes, goldenNode{ID: b.ID, Kind: b.Kind, Name: b.Name, Tags: b.Tags, Aliases: b.Aliases, Source: b.Source, Attrs: b.Attrs, Fields: n})
	}
	out.Diagnostics = g.Diagnostics
	got, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	got = append(got, '\n')
	path := filepath.Join("testdata", "unit.golden.json")
	golden.Check(t, path, got)
}
