package analyzer

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/internal/hostile"
)

// Issue 13, deliverable 3: 2,000 resources naming the same undeclared
// variable and data source give one diagnostic per cause and file, with
// the count; a cause repeated a few times keeps each of its diagnostics.
func TestRepeatedDiagnosticsGrouped(t *testing.T) {
	dir := t.TempDir()
	hostile.Write(t, dir, "main.tf", hostile.GoodTF(t))
	var b strings.Builder
	for i := range 2000 {
		fmt.Fprintf(&b, "resource \"aws_security_group\" \"u%d\" {\n  name   = var.missing\n  vpc_id = data.aws_vpc.x.id\n}\n", i)
	}
	for i := range 3 {
		fmt.Fprintf(&b, "resource \"aws_subnet\" \"s%d\" {\n  cidr_block = var.few\n}\n", i)
	}
	hostile.Write(t, dir, "many.tf", []byte(b.String()))
	e, err := NewEngine(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	snap, err := e.Analyze(context.Background(), Request{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	causes := map[string]int{}
	for _, d := range snap.Diagnostics {
		if d.Range.File != filepath.Join(dir, "many.tf") {
			continue
		}
		switch {
		case strings.Contains(d.Detail, `"missing"`):
			causes["missing"]++
			if !strings.HasSuffix(d.Summary, "(and 1999 more in this file)") || d.Range.Start.Line != 2 {
				t.Errorf("%s: %s", d.Range, d.Summary)
			}
		case strings.Contains(d.Detail, `"aws_vpc"`):
			causes["aws_vpc"]++
			if !strings.HasSuffix(d.Summary, "(and 1999 more in this file)") || d.Range.Start.Line != 3 {
				t.Errorf("%s: %s", d.Range, d.Summary)
			}
		case strings.Contains(d.Detail, `"few"`):
			causes["few"]++
			if strings.Contains(d.Summary, "more in this file") {
				t.Errorf("grouped below the bound: %s", d.Summary)
			}
		}
	}
	if causes["missing"] != 1 || causes["aws_vpc"] != 1 || causes["few"] != 3 {
		t.Errorf("diagnostics per cause: %v (all: %v)", causes, snap.Diagnostics)
	}
}
