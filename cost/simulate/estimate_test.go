package simulate

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/cost"
)

// TestEstimateShown: a run priced from estimates (eu-west-1's figures)
// shows "~" before every amount and the estimate note in the table, and
// says so in JSON; the comparison too. A run on list prices shows neither.
func TestEstimateShown(t *testing.T) {
	t.Parallel()
	g := productionGraph(t)
	g.Node("prod-app-asg").Meta().Source.Region = "eu-west-1"
	for _, tt := range []struct {
		name string
		c    *Config
		est  bool
	}{
		{"eu-west-1", ticketing(t, g, nil), true},
		{"us-east-1", ticketing(t, productionGraph(t), nil), false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := Execute(tt.c, true)
			r.Recommendation = Recommend(tt.c)
			var table, js bytes.Buffer
			if err := Write(&table, r, FormatTable); err != nil {
				t.Fatal(err)
			}
			if err := Write(&js, r, FormatJSON); err != nil {
				t.Fatal(err)
			}
			text := table.String()
			for _, row := range []string{"at ~0.0456 USD/h", "cost of the run  ", "cost of the spike  ", "monthly baseline  ", "cost per ticket sold  "} {
				line := ""
				for _, l := range strings.Split(text, "\n") {
					if strings.Contains(l, strings.TrimSpace(row)) {
						line = l
					}
				}
				if tt.est && row[:2] == "at" {
					if !strings.Contains(text, row) {
						t.Errorf("no %q in\n%s", row, text)
					}
					continue
				}
				if strings.Contains(line, "~") != tt.est {
					t.Errorf("%q: %q", row, line)
				}
			}
			if strings.Contains(text, cost.EstimateNote) != tt.est {
				t.Errorf("estimate note shown: %v, want %v", !tt.est, tt.est)
			}
			var doc struct {
				Estimate  bool     `json:"estimate"`
				Footnotes []string `json:"footnotes"`
			}
			if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			if doc.Estimate != tt.est || (len(doc.Footnotes) == 1) != tt.est {
				t.Errorf("json estimate %v, footnotes %q", doc.Estimate, doc.Footnotes)
			}
			cmp, err := CompareRecommended(tt.c)
			if err != nil {
				t.Fatal(err)
			}
			var ct bytes.Buffer
			if err := WriteComparison(&ct, cmp, FormatTable); err != nil {
				t.Fatal(err)
			}
			if strings.Contains(ct.String(), "~") != tt.est || strings.Contains(ct.String(), cost.EstimateNote) != tt.est {
				t.Errorf("comparison:\n%s", ct.String())
			}
		})
	}
}
