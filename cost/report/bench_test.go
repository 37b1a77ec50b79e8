package report_test

import (
	"bytes"
	"testing"

	"github.com/vpcgate/vpcgate/cost/report"
	"github.com/vpcgate/vpcgate/cost/simulate"
)

// BenchmarkReportProduction is `vpcgate report` after the analysis: the
// ticketing spike compared with its recommendation, the plot, and the
// HTML page of the production example.
func BenchmarkReportProduction(b *testing.B) {
	snap, eng := snapshot(b, production, nil)
	sc, err := simulate.Preset("ticketing-spike")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		cfg, err := simulate.Resolve(snap.Graph, sc, eng.Catalog(), eng.PriceRegion())
		if err != nil {
			b.Fatal(err)
		}
		cmp, err := simulate.CompareRecommended(cfg)
		if err != nil {
			b.Fatal(err)
		}
		rep, err := report.Build(report.Input{Costs: snap.Costs, Graph: snap.Graph, Spike: &report.Spike{Comparison: cmp}}, report.Options{})
		if err != nil {
			b.Fatal(err)
		}
		var buf bytes.Buffer
		if err := report.Write(&buf, rep, report.FormatHTML, ""); err != nil {
			b.Fatal(err)
		}
	}
}
