package terraform

import (
	"context"
	"path/filepath"
	"testing"
)

func TestExamplesGolden(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"basic", "improved", "production"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("..", "..", "..", "examples", "terraform", name)
			g := LoadModule(context.Background(), dir, Options{})
			checkGolden(t, filepath.Join("..", "..", "..", "testdata", "terraform", "golden", name+".json"), takeSnapshot(t, dir, g))
		})
	}
}
