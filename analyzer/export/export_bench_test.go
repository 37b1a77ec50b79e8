package export_test

import (
	"context"
	"io"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/analyzer/export"
	"github.com/vpcgate/vpcgate/internal/estate"
)

// BenchmarkExport renders a 10,000-instance estate in each format.
func BenchmarkExport(b *testing.B) {
	dir := b.TempDir()
	if _, err := estate.Write(dir, estate.Options{Instances: 10000, Seed: 1}); err != nil {
		b.Fatal(err)
	}
	res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{dir}})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("json", func(b *testing.B) {
		for b.Loop() {
			if err := export.JSON(io.Discard, res.Graph); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("dot", func(b *testing.B) {
		for b.Loop() {
			if err := export.Dot(io.Discard, res.Graph); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("mermaid", func(b *testing.B) {
		for b.Loop() {
			if err := export.Mermaid(io.Discard, res.Graph); err != nil {
				b.Fatal(err)
			}
		}
	})
}
