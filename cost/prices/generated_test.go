package prices

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/vpcgate/vpcgate/cost/prices/internal/ec2table"
)

// TestGeneratedEC2Fresh regenerates the EC2 table from the karpenter
// module (as go generate does) and fails when the checked-in file differs.
func TestGeneratedEC2Fresh(t *testing.T) {
	if testing.Short() {
		t.Skip("downloads a Go module")
	}
	path, err := ec2table.Locate()
	if err != nil {
		t.Skipf("SKIPPED: cannot download %s@%s to check ec2_generated.json against a fresh go generate: %v", ec2table.Module, ec2table.Version, err)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := ec2table.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	var fresh bytes.Buffer
	if err := tab.Write(&fresh); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh.Bytes(), EmbeddedEC2()) {
		t.Fatalf("ec2_generated.json differs from a fresh generation (%d bytes, checked in %d): run go generate ./cost/prices", fresh.Len(), len(EmbeddedEC2()))
	}
	// Generating twice gives the same bytes.
	var again bytes.Buffer
	if err := tab.Write(&again); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(fresh.Bytes(), again.Bytes()) {
		t.Fatal("generation is not deterministic")
	}
	// Spot-check prices against the source text itself.
	for typ, want := range map[string]string{"t2.micro": "0.011600", "m4.large": "0.100000", "c4.xlarge": "0.199000", "m3.xlarge": "0.266000"} {
		if !bytes.Contains(src, []byte(`"`+typ+`": `+want)) {
			t.Errorf("source has no %s at %s", typ, want)
		}
		got := tab.Prices["us-east-1"][typ]
		if !got.Equal(decimal.RequireFromString(want)) {
			t.Errorf("%s = %s, want %s", typ, got, want)
		}
	}
}

func TestParseTableErrors(t *testing.T) {
	t.Parallel()
	for name, src := range map[string]string{
		"no header":   "package pricing\nvar InitialOnDemandPricesAWS = map[string]map[string]float64{\"us-east-1\": {\"t3.micro\": 0.0104}}\n",
		"no var":      "package pricing\n// generated at 2026-03-24T18:26:10Z for us-east-1\nvar X = 1\n",
		"bad price":   "package pricing\n// generated at 2026-03-24T18:26:10Z for us-east-1\nvar InitialOnDemandPricesAWS = map[string]map[string]float64{\"us-east-1\": {\"t3.micro\": -1}}\n",
		"not go code": "// generated at 2026-03-24T18:26:10Z\n{{{",
	} {
		if _, err := ec2table.Parse([]byte(src)); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	tab, err := ec2table.Parse([]byte("package pricing\n// generated at 2026-03-24T18:26:10Z for us-east-1\nvar InitialOnDemandPricesAWS = map[string]map[string]float64{\n\t// us-east-1\n\t\"us-east-1\": {\"t3.micro\": 0.010400, \"x.y\": 2},\n}\n"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := tab.Write(&buf); err != nil {
		t.Fatal(err)
	}
	c, err := Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	e, ok := c.Lookup("us-east-1", "ec2/t3.micro")
	if !ok || e.Price.String() != "0.0104" || e.AsOf != "2026-03-24" || !strings.Contains(e.Source, "karpenter-provider-aws@v1.12.0") || e.Estimate {
		t.Errorf("entry = %+v", e)
	}
}

// TestProvenance: every entry names a source and a date; the EC2 prices
// of us-east-1 come from the generated table, and every hand-entered
// figure outside us-east-1 is marked an estimate.
func TestProvenance(t *testing.T) {
	t.Parallel()
	c := defaultCatalog(t)
	gen := 0
	for _, e := range c.Entries() {
		if e.Source == "" || len(e.AsOf) != 10 {
			t.Errorf("%s %s: source %q, as_of %q", e.Region, e.Key, e.Source, e.AsOf)
		}
		if strings.Contains(e.Source, "karpenter") {
			gen++
			if e.Estimate || e.Region != "us-east-1" {
				t.Errorf("%s %s: generated entry marked estimate or outside us-east-1", e.Region, e.Key)
			}
			continue
		}
		if e.Region != "us-east-1" && !e.Estimate {
			t.Errorf("%s %s: hand-entered outside us-east-1 but not an estimate (source %q)", e.Region, e.Key, e.Source)
		}
		if e.Estimate && !strings.HasPrefix(e.Source, "estimate") {
			t.Errorf("%s %s: estimate whose source does not say so: %q", e.Region, e.Key, e.Source)
		}
		if e.Region == "us-east-1" && strings.HasPrefix(e.Key, "ec2/") {
			t.Errorf("%s: hand-entered EC2 price in us-east-1 (the generated table has it)", e.Key)
		}
	}
	if gen < 1000 {
		t.Errorf("%d generated EC2 entries, want the whole table", gen)
	}
	for _, typ := range []string{"t2.micro", "m4.large", "c4.large", "r3.large", "x1e.xlarge", "i3.large", "g4dn.xlarge", "p3.2xlarge"} {
		if _, ok := c.Lookup("us-east-1", EC2Key(typ)); !ok {
			t.Errorf("no price for %s in us-east-1", typ)
		}
	}
}
