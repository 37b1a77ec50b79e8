package analyzer

import (
	"context"
	"fmt"
	"testing"

	"github.com/vpcgate/vpcgate/internal/estate"
)

// BenchmarkAnalyze runs ingestion plus derivations over synthetic estates
// of describe dumps (internal/estate) at 1k, 10k and 50k instances.
// Run: go test -run "^$" -bench Analyze -benchtime 3x ./analyzer
func BenchmarkAnalyze(b *testing.B) {
	for _, n := range []int{1000, 10000, 50000} {
		b.Run(fmt.Sprintf("instances=%d", n), func(b *testing.B) {
			dir := b.TempDir()
			st, err := estate.Write(dir, estate.Options{Instances: n, Seed: 1})
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(st.Bytes)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				res, err := Analyze(context.Background(), Options{Paths: []string{dir}})
				if err != nil {
					b.Fatal(err)
				}
				if got := len(res.Graph.Instances()); got != n {
					b.Fatalf("%d instances read, want %d", got, n)
				}
				if res.HasErrors() {
					b.Fatalf("diagnostics on the estate: %v", res.Diagnostics[0])
				}
			}
		})
	}
}
