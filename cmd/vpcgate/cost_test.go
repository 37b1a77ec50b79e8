package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCostCommand(t *testing.T) {
	t.Parallel()
	prod := filepath.Join(fixtures, "production")
	basic := filepath.Join(fixtures, "basic")
	usage := filepath.Join("..", "..", "cost", "testdata", "usage-production.yaml")
	tests := []struct {
		name     string
		args     []string
		code     int
		golden   string
		contains []string
	}{
		{name: "table", args: []string{"cost", prod}, golden: "cost-production.txt"},
		{name: "json", args: []string{"cost", "--format", "json", prod}, golden: "cost-production.json"},
		{name: "csv with usage", args: []string{"cost", "--format", "csv", "--usage", usage, prod}, golden: "cost-production-usage.csv"},
		{name: "markdown with usage", args: []string{"cost", "--format", "markdown", "--usage", usage, prod}, golden: "cost-production-usage.md"},
		{name: "compare", args: []string{"cost", "--format", "markdown", "--compare", basic, prod}, golden: "cost-compare.md"},
		{name: "gate percent exceeded", args: []string{"cost", "--compare", basic, "--fail-on-increase", "10%", prod}, code: exitFindings,
			contains: []string{"over --fail-on-increase 10%"}},
		{name: "gate amount not exceeded", args: []string{"cost", "--compare", basic, "--fail-on-increase", "1000", prod}},
		{name: "decrease passes", args: []string{"cost", "--compare", prod, "--fail-on-increase", "0", basic}},
		{name: "eur", args: []string{"cost", "--format", "json", "--prices", filepath.Join("testdata", "prices-eur.yaml"), basic},
			contains: []string{`"currency": "EUR"`, `"total_monthly": "378.25"`, `"unit_price": "0.495"`}},
		// The describe fixture's zones say us-east-1: --price-region only
		// fills what the input leaves open (a template without a region).
		{name: "price region", args: []string{"cost", "--format", "json", "--price-region", "eu-west-1", basic}, contains: []string{`"region": "us-east-1"`, `"from": "input"`}},
		{name: "region fills", args: []string{"cost", "--format", "json", "--region", "eu-west-1", filepath.Join("..", "..", "testdata", "cloudformation", "vpc-nat-private.yaml")},
			contains: []string{`"region": "eu-west-1"`, `"estimate": true`, "~ estimate"}},
		{name: "bad format", args: []string{"cost", "--format", "yaml", prod}, code: exitUsage, contains: []string{"unknown format"}},
		{name: "gate without compare", args: []string{"cost", "--fail-on-increase", "5", prod}, code: exitUsage, contains: []string{"needs --compare"}},
		{name: "bad gate", args: []string{"cost", "--compare", basic, "--fail-on-increase", "lots", prod}, code: exitUsage, contains: []string{"threshold"}},
		{name: "bad usage", args: []string{"cost", "--usage", filepath.Join("testdata", "prices-eur.yaml"), prod}, code: exitUsage, contains: []string{"--usage"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, errOut, code := runCLI(t, tt.args...)
			if code != tt.code {
				t.Fatalf("exit %d, want %d\nstdout:\n%s\nstderr:\n%s", code, tt.code, out, errOut)
			}
			if tt.golden != "" {
				checkGolden(t, tt.golden, out)
			}
			for _, c := range tt.contains {
				if !strings.Contains(out+errOut, c) {
					t.Errorf("output lacks %q:\n%s%s", c, out, errOut)
				}
			}
		})
	}
}

func TestSimulateCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	prod := filepath.Join(fixtures, "production")
	scenario := filepath.Join("..", "..", "cost", "simulate", "testdata", "ticketing-detailed.yaml")
	t.Run("json with recommendation and plot", func(t *testing.T) {
		t.Parallel()
		png := filepath.Join(dir, "spike.png")
		out, errOut, code := runCLI(t, "simulate", "--scenario", scenario, "--format", "json", "--recommend", "--plot", png, prod)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		var doc struct {
			Scenario       string         `json:"scenario"`
			Summary        map[string]any `json:"summary"`
			Timeline       []any          `json:"timeline"`
			Recommendation struct {
				Best struct {
					Kind   string  `json:"kind"`
					Failed float64 `json:"failed"`
				} `json:"best"`
			} `json:"recommendation"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatal(err)
		}
		if doc.Scenario != "ticketing-spike-detailed" || len(doc.Timeline) != 3600 || doc.Summary["peak_in_service"] != 4.0 {
			t.Errorf("scenario %q, %d points, summary %v", doc.Scenario, len(doc.Timeline), doc.Summary)
		}
		if doc.Recommendation.Best.Kind != "scheduled-prewarm" || doc.Recommendation.Best.Failed != 0 {
			t.Errorf("best = %+v", doc.Recommendation.Best)
		}
		b, err := os.ReadFile(png)
		if err != nil || !strings.HasPrefix(string(b), "\x89PNG") {
			t.Errorf("plot: %v", err)
		}
	})
	t.Run("preset without inputs, csv", func(t *testing.T) {
		t.Parallel()
		out, errOut, code := runCLI(t, "simulate", "--format", "csv")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != 3601 || lines[0] != "t,offered_rps,served_rps,failed_rps,capacity_rps,queued,in_service,pending,desired" {
			t.Errorf("%d lines, header %q", len(lines), lines[0])
		}
	})
	t.Run("table golden", func(t *testing.T) {
		t.Parallel()
		out, errOut, code := runCLI(t, "simulate", "--recommend", prod)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		checkGolden(t, "simulate-production.txt", out)
	})
	for name, args := range map[string][]string{
		"bad plot":     {"simulate", "--plot", filepath.Join(dir, "x.gif")},
		"bad preset":   {"simulate", "--preset", "nope"},
		"bad scenario": {"simulate", "--scenario", filepath.Join("testdata", "prices-eur.yaml")},
		"bad format":   {"simulate", "--format", "xml"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			if _, _, code := runCLI(t, args...); code != exitUsage {
				t.Errorf("exit %d, want %d", code, exitUsage)
			}
		})
	}
}

func TestPricesCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cat := filepath.Join(dir, "catalog.json")
	offers := filepath.Join("..", "..", "cost", "prices", "testdata")
	_, errOut, code := runCLI(t, "prices", "import", "--output", cat, filepath.Join(offers, "offer-ec2.json"), filepath.Join(offers, "offer-elb.csv"))
	if code != 0 || !strings.Contains(errOut, "wrote 10 prices in 2 regions") {
		t.Fatalf("import: exit %d: %s", code, errOut)
	}
	out, errOut, code := runCLI(t, "prices", "list", "--catalog", cat, "--region", "eu-west-1", "--key", "ec2/m3", "--format", "json")
	if code != 0 {
		t.Fatalf("list: exit %d: %s", code, errOut)
	}
	if !strings.Contains(out, `"price":"0.293"`) || !strings.Contains(out, "AWS Price List AmazonEC2 offer file") {
		t.Errorf("imported price not listed:\n%s", out)
	}
	out, _, code = runCLI(t, "prices", "list", "--region", "us-east-1", "--key", "nat/")
	if code != 0 || !strings.Contains(out, "nat/hour") || !strings.Contains(out, "0.045") {
		t.Errorf("list: exit %d:\n%s", code, out)
	}
	if _, _, code := runCLI(t, "prices", "import"); code != exitUsage {
		t.Errorf("import without files: exit %d", code)
	}
	if _, _, code := runCLI(t, "prices", "import", "--live"); code != exitUsage {
		t.Errorf("import --live without region: exit %d", code)
	}
}

// TestCostCompareSameOptions: the base of --compare is read with the same
// options as the head (it used to be read without --var, so two identical
// configurations differed by 100%).
func TestCostCompareSameOptions(t *testing.T) {
	tf := "variable \"n\" {\n  default = 1\n}\n\nresource \"aws_instance\" \"app\" {\n  count         = var.n\n  ami           = \"ami-1\"\n  instance_type = \"t3.medium\"\n}\n"
	base, head := t.TempDir(), t.TempDir()
	for _, d := range []string{base, head} {
		if err := os.WriteFile(filepath.Join(d, "main.tf"), []byte(tf), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, stderr, code := runCLI(t, "cost", "--format", "json", "--var", "n=3", "--compare", base, "--fail-on-increase", "0", head)
	if code != 0 {
		t.Fatalf("exit %d: %s%s", code, out, stderr)
	}
	var d struct {
		Base  string `json:"base_total_monthly"`
		Delta string `json:"delta_monthly"`
	}
	if err := json.Unmarshal([]byte(out), &d); err != nil {
		t.Fatal(err)
	}
	if d.Delta != "0.00" || d.Base == "0.00" {
		t.Errorf("identical configurations read with the same --var differ:\n%s", out)
	}
	one, _, _ := runCLI(t, "cost", "--format", "json", head)
	three, _, _ := runCLI(t, "cost", "--format", "json", "--var", "n=3", head)
	if one == three {
		t.Error("--var n=3 does not change the cost: the test would not see the drift")
	}
}
