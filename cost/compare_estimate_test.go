package cost_test

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/cost/prices"
)

// TestDiffEstimates: a comparison whose head is priced from estimates
// (eu-west-1) marks those figures with "~" and carries the note in every
// format; the base's list prices stay unmarked.
func TestDiffEstimates(t *testing.T) {
	t.Parallel()
	cat, err := prices.Default()
	if err != nil {
		t.Fatal(err)
	}
	estimate := func(dir string) *cost.Report {
		res := analyze(t, filepath.Join("testdata", "terraform", dir))
		r, err := cost.Estimate(res.Graph, cost.Options{Catalog: cat})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	base, head := estimate("two-regions"), estimate("eu-stack")
	d, err := cost.Compare(base, head)
	if err != nil {
		t.Fatal(err)
	}
	if !d.HeadEstimate || !d.Estimate() {
		t.Fatal("eu-west-1 head not marked as an estimate")
	}
	out := map[string]string{}
	for _, f := range cost.Formats() {
		var buf bytes.Buffer
		if err := cost.WriteDiff(&buf, d, f); err != nil {
			t.Fatal(err)
		}
		out[f] = buf.String()
	}
	for _, f := range []string{cost.FormatTable, cost.FormatMarkdown, cost.FormatCSV} {
		if !strings.Contains(out[f], "estimate: the unit price is not a list price") {
			t.Errorf("%s: no estimate note", f)
		}
	}
	// aws_instance.db is new in the head, at eu-west-1 estimates: 325.57.
	if !strings.Contains(out[cost.FormatTable], "~325.57") || !strings.Contains(out[cost.FormatTable], "~+325.57") ||
		!strings.Contains(out[cost.FormatMarkdown], "| 0.00 | ~325.57 | ~+325.57 |") {
		t.Errorf("added estimated resource not marked:\n%s\n%s", out[cost.FormatTable], out[cost.FormatMarkdown])
	}
	if !strings.Contains(out[cost.FormatCSV], "aws_instance.db,instance,added,0.00,325.57,325.57,~\n") {
		t.Errorf("csv:\n%s", out[cost.FormatCSV])
	}
	var doc struct {
		Estimate  bool     `json:"estimate"`
		Footnotes []string `json:"footnotes"`
		Resources []struct {
			ID       string `json:"id"`
			Estimate bool   `json:"estimate"`
		} `json:"resources"`
	}
	if err := json.Unmarshal([]byte(out[cost.FormatJSON]), &doc); err != nil {
		t.Fatal(err)
	}
	if !doc.Estimate || len(doc.Footnotes) != 1 {
		t.Errorf("json estimate %v, footnotes %q", doc.Estimate, doc.Footnotes)
	}
	for _, r := range doc.Resources {
		if r.ID == "aws_instance.db" && !r.Estimate {
			t.Errorf("%s not marked as an estimate", r.ID)
		}
	}
	// A comparison of list prices only prints neither: the golden diff.* files.
}
