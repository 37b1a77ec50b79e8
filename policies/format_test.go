package policies

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/open-policy-agent/opa/v1/ast"
	"github.com/open-policy-agent/opa/v1/format"

	"github.com/vpcgate/vpcgate/internal/golden"
)

// TestRegoFormatted keeps every Rego file as `opa fmt` writes it
// (go test ./policies -run TestRegoFormatted -update rewrites them).
func TestRegoFormatted(t *testing.T) {
	t.Parallel()
	err := filepath.WalkDir(".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".rego") || strings.HasPrefix(p, "testdata") {
			return err
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		got, err := format.SourceWithOpts(p, src, format.Opts{RegoVersion: ast.RegoV1})
		if err != nil {
			t.Errorf("%s: %v", p, err)
			return nil
		}
		if string(got) != string(src) {
			if golden.Updating() {
				return os.WriteFile(p, got, 0o644)
			}
			t.Errorf("%s is not formatted (opa fmt); rerun with -update", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
