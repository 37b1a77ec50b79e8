package simulate_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/cost/prices"
	"github.com/vpcgate/vpcgate/cost/simulate"
	"github.com/vpcgate/vpcgate/internal/golden"
)

// TestProductionFixture runs the ticketing spike through the production
// fixture read by the library facade: the group (2 to 8 t3.medium, CPU
// target 50 %, 300 s warm-up) comes from the describe output. The fixture's
// launch template enables detailed monitoring, which the scenario states.
func TestProductionFixture(t *testing.T) {
	t.Parallel()
	res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{filepath.Join("..", "..", "testdata", "describe", "production")}})
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/ticketing-detailed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc, err := simulate.ParseScenario(f, "ticketing-detailed.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cat, err := prices.Default()
	if err != nil {
		t.Fatal(err)
	}
	c, err := simulate.Resolve(res.Graph, sc, cat, "")
	if err != nil {
		t.Fatal(err)
	}
	if c.Group != "prod-app-asg" || c.Min != 2 || c.Max != 8 || c.InstanceType != "t3.medium" || c.TargetValue != 50 || c.WarmupSeconds != 300 {
		t.Fatalf("group read from the fixture: %+v", c)
	}
	r := simulate.Execute(c, true)
	r.Recommendation = simulate.Recommend(c)
	s := r.Summary
	if s.SecondsToFirstScaleOut == nil || *s.SecondsToFirstScaleOut <= 300 {
		t.Errorf("scaling arrived %v s after the sale started; want after its 300 s", s.SecondsToFirstScaleOut)
	}
	if s.Failed <= s.Served || s.PeakInService > 8 {
		t.Errorf("failed %.0f served %.0f peak %d", s.Failed, s.Served, s.PeakInService)
	}
	if b := r.Recommendation.Best; b == nil || b.Kind != "scheduled-prewarm" || b.Failed != 0 {
		t.Errorf("recommendation: %+v", r.Recommendation)
	}
	var table, js bytes.Buffer
	if err := simulate.Write(&table, r, simulate.FormatTable); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "production-ticketing.txt", table.Bytes())
	if err := simulate.Write(&js, r, simulate.FormatJSON); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Scenario       string `json:"scenario"`
		Summary        map[string]any
		Timeline       []map[string]any
		Recommendation map[string]any
	}
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"peak_offered_rps", "peak_in_service", "seconds_to_capacity", "offered", "served", "failed", "tickets_lost", "spike_cost", "baseline_monthly", "cost_per_ticket"} {
		if _, ok := doc.Summary[k]; !ok {
			t.Errorf("summary lacks %q", k)
		}
	}
	if len(doc.Timeline) != 3600 || doc.Recommendation["best"] == nil {
		t.Errorf("timeline %d points, recommendation %v", len(doc.Timeline), doc.Recommendation)
	}
	for _, k := range []string{"t", "offered_rps", "served_rps", "failed_rps", "in_service", "pending"} {
		if _, ok := doc.Timeline[0][k]; !ok {
			t.Errorf("timeline point lacks %q", k)
		}
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	golden.Check(t, path, got)
}
