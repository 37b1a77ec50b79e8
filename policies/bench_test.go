package policies_test

import (
	"context"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/internal/estate"
	"github.com/vpcgate/vpcgate/internal/hostile"
	"github.com/vpcgate/vpcgate/policies"
)

// BenchmarkEvaluate runs every built-in rule over the synthetic estate of
// 10,000 instances (internal/estate, read back by the describe reader).
// The input document is built inside the measured loop, as in a scan.
func BenchmarkEvaluate(b *testing.B) {
	dir := b.TempDir()
	if _, err := estate.Write(dir, estate.Options{Instances: 10000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{dir}})
	if err != nil {
		b.Fatal(err)
	}
	for _, bc := range []struct {
		name string
		opts []policies.Option
	}{
		{"all-rules", nil},
		// One trivial rule: the cost of building the input and running OPA.
		{"input-only", []policies.Option{policies.WithRules("idle-eip")}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e, err := policies.New(context.Background(), bc.opts...)
			if err != nil {
				b.Fatal(err)
			}
			var n int
			cpu := processCPU()
			for b.Loop() {
				fs, err := e.Evaluate(context.Background(), res.Graph)
				if err != nil {
					b.Fatal(err)
				}
				n = len(fs)
			}
			// On a shared machine wall time includes waiting for a core;
			// the CPU time of the process (GC included) is the cost itself.
			b.ReportMetric(float64(processCPU()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
			b.ReportMetric(float64(res.Graph.Len()), "nodes")
			b.ReportMetric(float64(n), "findings")
		})
	}
}

// BenchmarkEvaluateCountExpansion runs every built-in rule over issue 13's
// row 2: 300 aws_security_group blocks with count = 2048 beside
// examples/terraform/basic, cut at the default budget of 200,000 nodes.
// Policy evaluation must stay linear in the nodes with a small constant:
// peak-heap-MiB is the heap at its peak while evaluating, the graph
// (which the analysis holds anyway) included.
func BenchmarkEvaluateCountExpansion(b *testing.B) {
	dir := b.TempDir()
	hostile.Write(b, dir, "main.tf", hostile.GoodTF(b))
	hostile.Write(b, dir, "sg.tf", []byte(hostile.ManyCounts(300, 2048)))
	res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{dir}})
	if err != nil {
		b.Fatal(err)
	}
	e, err := policies.New(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	var n int
	var peak uint64
	cpu := processCPU()
	for b.Loop() {
		c := hostile.Measure(func() {
			fs, err := e.Evaluate(context.Background(), res.Graph)
			if err != nil {
				b.Fatal(err)
			}
			n = len(fs)
		})
		peak = max(peak, c.PeakHeap)
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(b.N)/1e6, "cpu-ms/op")
	b.ReportMetric(float64(res.Graph.Len()), "nodes")
	b.ReportMetric(float64(n), "findings")
	b.ReportMetric(float64(peak>>20), "peak-heap-MiB")
}

// BenchmarkNew measures loading, compiling and preparing the built-in
// rules (once per process or language server session).
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		if _, err := policies.New(context.Background()); err != nil {
			b.Fatal(err)
		}
	}
}
