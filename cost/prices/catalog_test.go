package prices

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
)

func defaultCatalog(t testing.TB) *Catalog {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func price(t testing.TB, c *Catalog, region, key string) decimal.Decimal {
	t.Helper()
	e, ok := c.Lookup(region, key)
	if !ok {
		t.Fatalf("no price for %s %s", region, key)
	}
	return e.Price
}

func TestDefaultAnchors(t *testing.T) {
	t.Parallel()
	c := defaultCatalog(t)
	tests := []struct {
		region, key, want string
	}{
		{"us-east-1", KeyNATHour, "0.045"},
		{"us-east-1", KeyNATGB, "0.045"},
		{"us-east-1", KeyALBHour, "0.0225"},
		{"us-east-1", KeyALBLCUHour, "0.008"},
		{"us-east-1", KeyIPv4Hour, "0.005"},
		{"eu-central-1", KeyIPv4Hour, "0.005"},
		{"us-east-1", EC2Key("t3.micro"), "0.0104"},
		{"us-east-1", EC2Key("t3.nano"), "0.0052"},
		{"us-east-1", EC2Key("m5.large"), "0.096"},
		{"us-east-1", EC2Key("m3.xlarge"), "0.266"},
		{"us-east-1", RDSKey("mysql", "db.t3.micro", false), "0.017"},
		{"us-east-1", RDSKey("mysql", "db.t3.micro", true), "0.034"},
		{"us-east-1", RDSStorageKey("gp2", false), "0.115"},
		{"us-east-1", RDSStorageKey("gp2", true), "0.23"},
		{"us-east-1", EBSKey("gp3"), "0.08"},
		{"us-east-1", KeyTransferInternet, "0.09"},
		{"us-east-1", KeyTransferInterAZ, "0.01"},
		{"us-east-1", KeyFargateVCPUHour, "0.04048"},
		{"us-east-1", KeyFargateGBHour, "0.004445"},
	}
	for _, tt := range tests {
		t.Run(tt.region+"/"+tt.key, func(t *testing.T) {
			t.Parallel()
			got := price(t, c, tt.region, tt.key)
			if !got.Equal(decimal.RequireFromString(tt.want)) {
				t.Errorf("price = %s, want %s", got, tt.want)
			}
		})
	}
}

// TestDefaultCoverage checks that every region the issue names has every
// component, that sources and dates are present, and that Multi-AZ RDS
// costs twice Single-AZ.
func TestDefaultCoverage(t *testing.T) {
	t.Parallel()
	c := defaultCatalog(t)
	regions := []string{"ap-south-1", "eu-central-1", "eu-west-1", "eu-west-2", "us-east-1", "us-west-2"}
	if diff := cmp.Diff(regions, c.Regions()); diff != "" {
		t.Errorf("regions (-want +got):\n%s", diff)
	}
	keys := []string{KeyNATHour, KeyNATGB, KeyIPv4Hour, KeyALBHour, KeyALBLCUHour, KeyNLBHour, KeyNLBLCUHour,
		RDSStorageKey("gp2", false), RDSStorageKey("gp3", true), EBSKey("gp3"), KeyTransferInternet, KeyTransferInterAZ,
		KeyFargateVCPUHour, KeyFargateGBHour}
	for _, fam := range []string{"t3", "t3a", "t4g", "m5", "m6i", "m7g", "c5", "c6i", "c7g", "r5", "r6i"} {
		keys = append(keys, EC2Key(fam+".large"), EC2Key(fam+".xlarge"))
	}
	for _, eng := range []string{"mysql", "postgres"} {
		for _, class := range []string{"db.t3.micro", "db.t4g.medium", "db.m5.large", "db.r6i.large"} {
			keys = append(keys, RDSKey(eng, class, false), RDSKey(eng, class, true))
		}
	}
	for _, r := range regions {
		for _, k := range keys {
			e, ok := c.Lookup(r, k)
			if !ok {
				t.Errorf("%s %s missing", r, k)
				continue
			}
			if e.Source == "" || len(e.AsOf) != 10 || e.Unit == "" {
				t.Errorf("%s %s: source %q, as_of %q, unit %q", r, k, e.Source, e.AsOf, e.Unit)
			}
		}
	}
	two := decimal.NewFromInt(2)
	for _, e := range c.Entries() {
		if !strings.HasPrefix(e.Key, "rds/") || !strings.HasSuffix(e.Key, "/single_az") {
			continue
		}
		multi := price(t, c, e.Region, strings.TrimSuffix(e.Key, "single_az")+"multi_az")
		if d := multi.Sub(e.Price.Mul(two)).Abs(); d.GreaterThan(decimal.RequireFromString("0.001")) {
			t.Errorf("%s %s: multi-AZ %s is not twice %s", e.Region, e.Key, multi, e.Price)
		}
	}
}

func TestWriteParseRoundTrip(t *testing.T) {
	t.Parallel()
	c := defaultCatalog(t)
	var buf bytes.Buffer
	if err := c.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	back, err := Parse(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c.Entries(), back.Entries()); diff != "" {
		t.Errorf("round trip (-want +got):\n%s", diff)
	}
}

func TestParseErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, want string }{
		{"version", `{"version":"2","entries":[]}`, "unsupported version"},
		{"missing price", `{"version":"1","entries":[{"region":"r","key":"k"}]}`, "price are required"},
		{"negative", `{"version":"1","entries":[{"region":"r","key":"k","price":"-1"}]}`, "negative price"},
		{"unknown field", `{"version":"1","bogus":1}`, "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := Parse(strings.NewReader(tt.in))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestOverride(t *testing.T) {
	t.Parallel()
	base := defaultCatalog(t)
	tests := []struct {
		name     string
		file     string
		currency string
		check    map[string]string // region key -> price
		wantErr  string
	}{
		{
			name:     "usd entry",
			file:     "version: \"1\"\nprices:\n  - region: us-east-1\n    key: ec2/t3.micro\n    price: \"0.02\"\n",
			currency: "USD",
			check:    map[string]string{"us-east-1 ec2/t3.micro": "0.02", "us-east-1 nat/hour": "0.045"},
		},
		{
			name:     "eur with rate",
			file:     "currency: EUR\nrate: \"0.9\"\nprices:\n  - region: eu-west-1\n    key: ec2/m3.xlarge\n    price: \"0.495\"\n",
			currency: "EUR",
			check:    map[string]string{"eu-west-1 ec2/m3.xlarge": "0.495", "us-east-1 nat/hour": "0.0405", "us-east-1 ipv4/hour": "0.0045"},
		},
		{
			name:    "new key needs unit",
			file:    "prices:\n  - region: us-east-1\n    key: ec2/x9.huge\n    price: \"1\"\n",
			wantErr: "prices.yaml:2: us-east-1 ec2/x9.huge is not in the catalog",
		},
		{
			name:    "currency without rate",
			file:    "currency: EUR\n",
			wantErr: "give rate",
		},
		{
			name:    "bad price",
			file:    "prices:\n  - region: us-east-1\n    key: nat/hour\n    price: abc\n",
			wantErr: "prices.yaml:4: prices[0].price: \"abc\" is not a number",
		},
		{
			name:    "unknown field",
			file:    "pricez: []\n",
			wantErr: "field pricez not found",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o, err := ParseOverride(strings.NewReader(tt.file), "prices.yaml")
			var c *Catalog
			if err == nil {
				c, err = o.Apply(base, "prices.yaml")
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Currency != tt.currency {
				t.Errorf("currency = %s, want %s", c.Currency, tt.currency)
			}
			for rk, want := range tt.check {
				var region, key string
				fmt.Sscan(rk, &region, &key)
				if got := price(t, c, region, key); !got.Equal(decimal.RequireFromString(want)) {
					t.Errorf("%s = %s, want %s", rk, got, want)
				}
			}
		})
	}
	// The base catalog is never modified.
	if got := price(t, base, "us-east-1", "ec2/t3.micro"); !got.Equal(decimal.RequireFromString("0.0104")) {
		t.Errorf("base modified: %s", got)
	}
}

func TestOverrideAliasBomb(t *testing.T) {
	t.Parallel()
	bomb := "a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\nprices:\n  - description: *h\n"
	if _, err := ParseOverride(strings.NewReader(bomb), "bomb.yaml"); err == nil {
		t.Fatal("alias bomb accepted")
	}
	big := strings.Repeat("#", MaxOverrideSize+1)
	if _, err := ParseOverride(strings.NewReader(big), "big.yaml"); err == nil || !strings.Contains(err.Error(), "larger than") {
		t.Fatalf("err = %v, want size error", err)
	}
}

func FuzzParseOverride(f *testing.F) {
	f.Add("currency: EUR\nrate: \"0.9\"\nprices:\n  - region: us-east-1\n    key: nat/hour\n    price: \"0.04\"\n")
	f.Add("prices: [{region: a, key: b, price: '1', unit: hour}]")
	base := New("USD", "test", "2025-01-01")
	base.Set(Entry{Region: "us-east-1", Key: "nat/hour", Unit: "hour", Price: decimal.RequireFromString("0.045")})
	f.Fuzz(func(t *testing.T, s string) {
		o, err := ParseOverride(strings.NewReader(s), "f.yaml")
		if err != nil {
			return
		}
		_, _ = o.Apply(base, "f.yaml")
	})
}

// FuzzParseCatalog fuzzes a catalog file (--catalog): it parses or is an
// error, never a panic, and what parses writes back and parses the same.
func FuzzParseCatalog(f *testing.F) {
	f.Add(`{"version": "1", "currency": "USD", "entries": [{"region": "us-east-1", "key": "nat/hour", "unit": "hour", "price": "0.045"}]}`)
	f.Add(`{"version": "1", "entries": [{"region": "", "key": "", "price": "-1"}, {"price": "1e400"}]}`)
	f.Add(`{"version": "2"}`)
	f.Fuzz(func(t *testing.T, s string) {
		c, err := Parse(strings.NewReader(s))
		if err != nil {
			return
		}
		var b bytes.Buffer
		if err := c.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		again, err := Parse(&b)
		if err != nil {
			t.Fatalf("a written catalog does not parse: %v\n%s", err, b.String())
		}
		if len(again.Entries()) != len(c.Entries()) {
			t.Fatalf("%d entries, %d after a round trip", len(c.Entries()), len(again.Entries()))
		}
	})
}
