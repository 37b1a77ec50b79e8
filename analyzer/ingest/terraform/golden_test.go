package terraform

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/internal/golden"
)

// snapshot is the stable, comparable form of a graph for golden files.
type snapshot struct {
	Nodes       []snapNode   `json:"nodes"`
	Edges       []graph.Edge `json:"edges"`
	Diagnostics []string     `json:"diagnostics"`
}

type snapNode struct {
	ID           string            `json:"id"`
	Kind         graph.Kind        `json:"kind"`
	Name         string            `json:"name,omitempty"`
	Address      string            `json:"address,omitempty"`
	Range        string            `json:"range"`
	Tags         map[string]string `json:"tags,omitempty"`
	Unknown      []string          `json:"unknown,omitempty"`
	Attrs        map[string]string `json:"attrs,omitempty"`
	Suppressions []string          `json:"suppressions,omitempty"`
	Fields       json.RawMessage   `json:"fields"`
	RuleRanges   []string          `json:"rule_ranges,omitempty"`
}

// rel makes file names relative to dir so golden files do not depend on
// where the checkout is.
func rel(dir string, r graph.Range) string {
	if r.IsZero() {
		return ""
	}
	f, err := filepath.Rel(dir, r.File)
	if err != nil {
		f = r.File
	}
	return filepath.ToSlash(f) + ":" + itoa(r.Start.Line) + ":" + itoa(r.Start.Column) + "-" + itoa(r.End.Line) + ":" + itoa(r.End.Column)
}

func itoa(i int) string {
	b, _ := json.Marshal(i)
	return string(b)
}

func takeSnapshot(t *testing.T, dir string, g *graph.Graph) snapshot {
	t.Helper()
	s := snapshot{Edges: g.Edges(), Nodes: []snapNode{}, Diagnostics: []string{}}
	for _, n := range g.Nodes() {
		b := n.Meta()
		fields, err := json.Marshal(n)
		if err != nil {
			t.Fatalf("marshal %s: %v", b.ID, err)
		}
		sn := snapNode{ID: b.ID, Kind: b.Kind, Name: b.Name, Address: b.Source.Address, Range: rel(dir, b.Source.Range), Tags: b.Tags, Unknown: b.Unknown, Fields: fields}
		if len(b.Attrs) > 0 {
			sn.Attrs = map[string]string{}
			for k, r := range b.Attrs {
				sn.Attrs[k] = rel(dir, r)
			}
		}
		for _, sp := range b.Suppressions {
			sn.Suppressions = append(sn.Suppressions, sp.RuleID+" "+sp.Reason+" @"+rel(dir, sp.Range))
		}
		if sg, ok := n.(*graph.SecurityGroup); ok {
			for _, r := range append(append([]graph.SGRule(nil), sg.Ingress...), sg.Egress...) {
				sn.RuleRanges = append(sn.RuleRanges, r.Protocol+"/"+itoa(r.FromPort)+"-"+itoa(r.ToPort)+" "+string(r.PeerKind)+":"+r.Peer+" @"+rel(dir, r.Range))
			}
		}
		s.Nodes = append(s.Nodes, sn)
	}
	for _, d := range g.Diagnostics {
		d.Range.File = strings.TrimPrefix(rel(dir, d.Range), "")
		s.Diagnostics = append(s.Diagnostics, string(d.Severity)+" "+d.Range.File+" "+d.Summary)
	}
	sort.Strings(s.Diagnostics)
	return s
}

// checkGolden compares got with the golden file, rewriting it under -update.
func checkGolden(t *testing.T, path string, got snapshot) {
	t.Helper()
	b, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b = append(b, '\n')
	golden.Check(t, path, b)
}
