package report_test

import (
	"bytes"
	"context"
	"fmt"
	stdhtml "html"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/cost/prices"
	"github.com/vpcgate/vpcgate/cost/report"
	"github.com/vpcgate/vpcgate/cost/simulate"
	"github.com/vpcgate/vpcgate/internal/golden"
)

const production = "../../examples/three-tier-production"

// snapshot analyses dir through the engine with costs, as the CLI does.
func snapshot(t testing.TB, dir string, usage *cost.Usage) (*analyzer.Snapshot, *analyzer.Engine) {
	t.Helper()
	cat, err := prices.Default()
	if err != nil {
		t.Fatal(err)
	}
	opts := []analyzer.Option{analyzer.WithParts(analyzer.PartCosts), analyzer.WithCatalog(cat)}
	if usage != nil {
		opts = append(opts, analyzer.WithUsage(usage))
	}
	eng, err := analyzer.NewEngine(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	snap, err := eng.Analyze(context.Background(), analyzer.Request{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if snap.HasErrors() || snap.CostErr != nil {
		t.Fatalf("%s: %v %v", dir, snap.Diagnostics, snap.CostErr)
	}
	return snap, eng
}

// build makes the report of dir with the ticketing spike and a ticket
// price, as `vpcgate report --ticket-price` does.
func build(t *testing.T, dir string, scenario *simulate.Scenario, price string) *report.Report {
	t.Helper()
	snap, eng := snapshot(t, dir, nil)
	if scenario == nil {
		var err error
		if scenario, err = simulate.Preset("ticketing-spike"); err != nil {
			t.Fatal(err)
		}
	}
	cfg, err := simulate.Resolve(snap.Graph, scenario, eng.Catalog(), eng.PriceRegion())
	if err != nil {
		t.Fatal(err)
	}
	cmp, err := simulate.CompareRecommended(cfg)
	if err != nil {
		t.Fatal(err)
	}
	opts := report.Options{Title: "Cost report", Inputs: []string{"examples/three-tier-production"}}
	if price != "" {
		p := decimal.RequireFromString(price)
		opts.TicketPrice = &p
	}
	rep, err := report.Build(report.Input{Costs: snap.Costs, Graph: snap.Graph, Spike: &report.Spike{Comparison: cmp}}, opts)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func write(t *testing.T, rep *report.Report, format, plotRef string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := report.Write(&buf, rep, format, plotRef); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestGolden: the production example's report in both formats, byte for
// byte, and the same bytes when built again from a fresh engine.
func TestGolden(t *testing.T) {
	t.Parallel()
	rep := build(t, production, nil, "45")
	html := write(t, rep, report.FormatHTML, "")
	md := write(t, rep, report.FormatMarkdown, "report.svg")
	golden.Check(t, filepath.Join("testdata", "golden", "production.html"), html)
	golden.Check(t, filepath.Join("testdata", "golden", "production.md"), md)

	again := build(t, production, nil, "45")
	if !bytes.Equal(html, write(t, again, report.FormatHTML, "")) || !bytes.Equal(md, write(t, again, report.FormatMarkdown, "report.svg")) {
		t.Error("a second build of the same input gives other bytes")
	}
	// What a finance reader looks for, in both formats.
	for _, want := range []string{
		"~273.87",          // the month (detailed monitoring is an estimate)
		"273.87", "468.67", // the range: the group at 2 and at 8
		"79,330",        // tickets lost a spike (simulate --compare says 79330 of 80000)
		"3,569,850.00",  // 79,330 × 45
		"14,279,400.00", // × 4 spikes a month
		"+9.48",         // 89.66 − 80.18: the recommendation a month
		"scheduled action 300 s before the spike", // the recommendation
		"gb_processed", "nat_gb", "lcu", // the usage entries that settle the pending items
		cost.EstimateNote[:40],
	} {
		text := stdhtml.UnescapeString(string(html))
		if !strings.Contains(text, want) || !bytes.Contains(md, []byte(want)) {
			t.Errorf("%q missing (html %v, markdown %v)", want, strings.Contains(text, want), bytes.Contains(md, []byte(want)))
		}
	}
	if !bytes.Contains(html, []byte("<svg")) || !bytes.Contains(md, []byte("](report.svg)")) {
		t.Error("plot not embedded in the HTML or not linked from the Markdown")
	}
	// The same content: every figure the HTML marks is in the Markdown.
	figures := regexp.MustCompile(`data-figure="[^"]*"[^>]*>([^<]+)<`).FindAllStringSubmatch(string(html), -1)
	if len(figures) < 30 {
		t.Fatalf("%d figures marked in the HTML", len(figures))
	}
	for _, f := range figures {
		if v := stdhtml.UnescapeString(f[1]); !bytes.Contains(md, []byte(v)) {
			t.Errorf("figure %q of the HTML is not in the Markdown", v)
		}
	}
}

// TestSelfContained: nothing in the HTML is fetched from elsewhere; the
// page forbids it (Content-Security-Policy) and holds no script.
func TestSelfContained(t *testing.T) {
	t.Parallel()
	html := string(write(t, build(t, production, nil, ""), report.FormatHTML, ""))
	if !strings.Contains(html, `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`) {
		t.Error("no Content-Security-Policy forbidding outside resources")
	}
	for _, bad := range []string{"<script", "<link", "@import", "url(", `src="http`, `href="http`, "@font-face"} {
		if strings.Contains(html, bad) {
			t.Errorf("HTML holds %q", bad)
		}
	}
	// Without a ticket price the lost tickets are counted, not valued.
	if !strings.Contains(html, "No ticket price was given") || strings.Contains(html, `data-figure="lost-value-spike"`) {
		t.Error("lost tickets valued without a price")
	}
}

// TestEscaping: names from the input reach the page as text, never as
// markup, in the tables and in the plot.
func TestEscaping(t *testing.T) {
	t.Parallel()
	sc, err := simulate.Preset("ticketing-spike")
	if err != nil {
		t.Fatal(err)
	}
	sc.Name = `<script>alert("x")</script>&`
	html := string(write(t, build(t, production, sc, "1"), report.FormatHTML, ""))
	if strings.Contains(html, "<script") {
		t.Error("scenario name reached the HTML unescaped")
	}
	if !strings.Contains(html, "&lt;script&gt;alert(") {
		t.Error("scenario name not shown escaped")
	}
}

// TestSums: the tiers and the component kinds each add up to the total
// the cost estimate gives; every resource is in exactly one tier.
func TestSums(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{production, "../../examples/three-tier-basic", "testdata/pending", "../testdata/terraform/two-regions"} {
		snap, _ := snapshot(t, dir, nil)
		rep, err := report.Build(report.Input{Costs: snap.Costs, Graph: snap.Graph, NoSpikeReason: "none"}, report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		num := func(s string) decimal.Decimal {
			s = strings.NewReplacer("~", "", ",", "").Replace(s)
			if s == cost.DependsOnUsage {
				return decimal.Zero
			}
			return decimal.RequireFromString(s)
		}
		var tiers, lo, hi, kinds decimal.Decimal
		n := 0
		for _, tr := range rep.Tiers {
			tiers, lo, hi = tiers.Add(num(tr.Monthly)), lo.Add(num(tr.Min)), hi.Add(num(tr.Max))
			n += len(tr.Resources)
		}
		for _, k := range rep.Kinds {
			kinds = kinds.Add(num(k.Monthly))
		}
		c := snap.Costs
		if !tiers.Equal(c.TotalMonthly) || !kinds.Equal(c.TotalMonthly) || !lo.Equal(c.TotalMin) || !hi.Equal(c.TotalMax) || n != len(c.Resources) {
			t.Errorf("%s: tiers %s (%s–%s), kinds %s, %d resources; cost %s (%s–%s), %d resources", dir, tiers, lo, hi, kinds, n, c.TotalMonthly, c.TotalMin, c.TotalMax, len(c.Resources))
		}
		if num(rep.Total) != c.TotalMonthly && !num(rep.Total).Equal(c.TotalMonthly) {
			t.Errorf("%s: total %s, cost %s", dir, rep.Total, c.TotalMonthly)
		}
	}
}

// TestPendingSettled: for every component that depends on usage, the
// usage file entry the report names prices it. The fixture holds every
// kind of such component; a usage file made of the report's entries
// leaves none pending.
func TestPendingSettled(t *testing.T) {
	t.Parallel()
	for _, dir := range []string{"testdata/pending", production} {
		snap, _ := snapshot(t, dir, nil)
		rep, err := report.Build(report.Input{Costs: snap.Costs, Graph: snap.Graph}, report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Pending) != len(snap.Costs.UsageDependent) {
			t.Fatalf("%s: %d pending in the report, %d in the estimate", dir, len(rep.Pending), len(snap.Costs.UsageDependent))
		}
		byKey := map[string][]string{}
		comps := map[string]bool{}
		for _, p := range rep.Pending {
			if p.Field == "" {
				t.Errorf("%s: %s %s names no usage field", dir, p.Resource, p.Component)
				continue
			}
			comps[p.Component] = true
			byKey[p.Key] = append(byKey[p.Key], p.Field)
		}
		if dir == "testdata/pending" {
			for _, want := range []string{cost.CompNATData, cost.CompCrossAZ, cost.CompLCU, cost.CompELBData, cost.CompEBS, cost.CompAuroraStorage, cost.CompAuroraIO, cost.CompEndpointData, cost.CompTGWData, cost.CompSpot} {
				if !comps[want] {
					t.Errorf("fixture lacks a pending %s", want)
				}
			}
		}
		var y strings.Builder
		y.WriteString("version: \"1\"\nresources:\n")
		for key, fields := range byKey {
			fmt.Fprintf(&y, "  %q:\n", key)
			seen := map[string]bool{}
			for _, f := range fields {
				if !seen[f] {
					fmt.Fprintf(&y, "    %s: 7\n", f)
					seen[f] = true
				}
			}
		}
		u, err := cost.ParseUsage(strings.NewReader(y.String()), "usage.yaml")
		if err != nil {
			t.Fatalf("%s: %v\n%s", dir, err, y.String())
		}
		settled, _ := snapshot(t, dir, u)
		if left := settled.Costs.UsageDependent; len(left) > 0 {
			t.Errorf("%s: still pending with the report's usage entries: %v\n%s", dir, left, y.String())
		}
		if !settled.Costs.TotalMonthly.GreaterThan(snap.Costs.TotalMonthly) {
			t.Errorf("%s: settling the usage did not raise the total (%s → %s)", dir, snap.Costs.TotalMonthly, settled.Costs.TotalMonthly)
		}
	}
}
