package export_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/export"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// TestJSONStreamsTheDocument checks that the streamed graph JSON is byte
// for byte the indented encoding of the whole document, for a real fixture
// and for an empty graph.
func TestJSONStreamsTheDocument(t *testing.T) {
	t.Parallel()
	res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{"../../testdata/describe/production"}})
	if err != nil {
		t.Fatal(err)
	}
	for name, g := range map[string]*graph.Graph{"production": res.Graph, "empty": graph.New()} {
		doc, err := export.Build(g)
		if err != nil {
			t.Fatal(err)
		}
		var want bytes.Buffer
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(doc); err != nil {
			t.Fatal(err)
		}
		var got bytes.Buffer
		if err := export.JSON(&got, g); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want.String(), got.String()); diff != "" {
			t.Errorf("%s: streamed JSON differs (-want +got):\n%s", name, diff)
		}
		if !json.Valid(got.Bytes()) {
			t.Errorf("%s: invalid JSON", name)
		}
	}
}
