package cost_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer"
	"github.com/vpcgate/vpcgate/cost"
	"github.com/vpcgate/vpcgate/cost/prices"
)

func analyze(t *testing.T, dir string) *analyzer.Result {
	t.Helper()
	res, err := analyzer.Analyze(context.Background(), analyzer.Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if res.HasErrors() {
		t.Fatalf("%s: %v", dir, res.Diagnostics)
	}
	return res
}

func goldenFile(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	// The -update flag is declared by the package's internal tests.
	if flag.Lookup("update").Value.String() == "true" {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s (-want +got):\n%s", path, diff)
	}
}

// TestFixtures prices the architecture fixtures read through the library
// facade, as the CLI does, against golden files; the figures that matter
// are checked by hand too.
func TestFixtures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		// want holds components checked by hand: "resource-name component" → monthly.
		want  map[string]string
		total string
	}{
		{name: "basic"},
		{name: "improved"},
		{
			name: "production",
			want: map[string]string{
				"prod-nat nat_gateway_hours":   "32.85", // 730 × 0.045
				"prod-nat-eip public_ipv4":     "3.65",  // 730 × 0.005
				"prod-alb load_balancer_hours": "16.43", // 730 × 0.0225
				"prod-alb public_ipv4":         "7.30",  // 2 AZ × 730 × 0.005
				"prod-app compute":             "60.74", // 2 × 730 × 0.0416 t3.medium
				"prod-app detailed_monitoring": "4.20",  // 2 × ~2.10 (7 metrics × 0.30) from the launch template's monitoring
				"prod-db db_instance":          "99.28", // 730 × 0.136 (2 × 0.068) Multi-AZ db.t3.medium
				"prod-db db_storage":           "23.00", // 100 GB × 0.23 Multi-AZ gp3
				"bastion compute":              "7.59",  // 730 × 0.0104
				"bastion public_ipv4":          "3.65",
			},
			total: "273.87",
		},
	}
	cat, err := prices.Default()
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("..", "testdata", "describe", tt.name)
			res := analyze(t, dir)
			rep, err := cost.Estimate(res.Graph, cost.Options{Catalog: cat})
			if err != nil {
				t.Fatal(err)
			}
			var js, table bytes.Buffer
			if err := cost.Write(&js, rep, cost.FormatJSON); err != nil {
				t.Fatal(err)
			}
			if err := cost.Write(&table, rep, cost.FormatTable); err != nil {
				t.Fatal(err)
			}
			goldenFile(t, "fixture-"+tt.name+".json", js.Bytes())
			goldenFile(t, "fixture-"+tt.name+".txt", table.Bytes())
			// The JSON carries DESIGN section 7's fields.
			var doc map[string]any
			if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
				t.Fatal(err)
			}
			for _, k := range []string{"region", "currency", "prices_as_of", "resources", "total_monthly", "usage_dependent"} {
				if _, ok := doc[k]; !ok {
					t.Errorf("json lacks %q", k)
				}
			}
			if tt.want == nil {
				return
			}
			got := map[string]string{}
			for _, r := range rep.Resources {
				for _, c := range r.Components {
					if c.Monthly != nil {
						got[r.Name+" "+c.Name] = c.Monthly.StringFixed(2)
					}
				}
			}
			for k, w := range tt.want {
				if got[k] != w {
					t.Errorf("%s = %q, want %s", k, got[k], w)
				}
			}
			if g := rep.TotalMonthly.StringFixed(2); g != tt.total {
				t.Errorf("total = %s, want %s", g, tt.total)
			}
		})
	}
}

// TestSameCostEveryForm prices the design documents' three architectures
// written as describe output, Terraform and CloudFormation: every form
// must give the same components and total.
func TestSameCostEveryForm(t *testing.T) {
	t.Parallel()
	cat, err := prices.Default()
	if err != nil {
		t.Fatal(err)
	}
	type line struct{ Kind, Component, Monthly string }
	price := func(t *testing.T, path string) ([]line, string) {
		t.Helper()
		rep, err := cost.Estimate(analyze(t, path).Graph, cost.Options{Catalog: cat})
		if err != nil {
			t.Fatal(err)
		}
		var out []line
		for _, r := range rep.Resources {
			for _, c := range r.Components {
				m := cost.DependsOnUsage
				if c.Monthly != nil {
					m = c.Monthly.StringFixed(2)
				}
				out = append(out, line{string(r.Kind), c.Name, m})
			}
		}
		sort.Slice(out, func(i, j int) bool {
			a, b := out[i], out[j]
			if a.Kind != b.Kind {
				return a.Kind < b.Kind
			}
			if a.Component != b.Component {
				return a.Component < b.Component
			}
			return a.Monthly < b.Monthly
		})
		return out, rep.TotalMonthly.StringFixed(2)
	}
	for _, arch := range []string{"basic", "improved", "production"} {
		t.Run(arch, func(t *testing.T) {
			t.Parallel()
			want, wantTotal := price(t, filepath.Join("..", "testdata", "describe", arch))
			for _, other := range []string{
				filepath.Join("..", "examples", "terraform", arch),
				filepath.Join("..", "examples", "cloudformation", arch+".yaml"),
			} {
				got, total := price(t, other)
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("%s differs from the describe fixture (-describe +%s):\n%s", other, other, diff)
				}
				if total != wantTotal {
					t.Errorf("%s total %s, describe %s", other, total, wantTotal)
				}
			}
		})
	}
}
