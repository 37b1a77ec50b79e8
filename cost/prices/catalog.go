// Package prices is vpcgate's price catalog: unit prices by region and
// SKU-like key, each with the source and date it was taken from. The default
// catalog is embedded; a user file overrides entries (currency included),
// and Import and Live rebuild a catalog from the AWS Price List.
//
// Keys name what is sold, with "/" between parts:
//
//	ec2/<instance type>                    hour
//	nat/hour, nat/gb                       hour, GB processed
//	ipv4/hour                              hour per public IPv4 address
//	alb/hour, alb/lcu_hour                 hour, LCU-hour
//	nlb/hour, nlb/lcu_hour                 hour, NLCU-hour
//	elb/hour, elb/gb                       classic load balancer
//	rds/<mysql|postgres>/<class>/<single_az|multi_az>   hour
//	rds_storage/<gp2|gp3>/<single_az|multi_az>          GB-month
//	ebs/<gp2|gp3>                          GB-month
//	transfer/internet_out, transfer/inter_az            GB
//	fargate/vcpu_hour, fargate/gb_hour     vCPU-hour, GB-hour
package prices

//go:generate go run gen_ec2.go

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"sort"

	"github.com/shopspring/decimal"
)

//go:embed catalog.json
var embedded []byte

// embeddedEC2 is the generated EC2 on-demand table (gen_ec2.go); its
// entries replace the hand-entered catalog's.
//
//go:embed ec2_generated.json
var embeddedEC2 []byte

// Well-known keys of the catalog.
const (
	KeyNATHour          = "nat/hour"
	KeyNATGB            = "nat/gb"
	KeyIPv4Hour         = "ipv4/hour"
	KeyALBHour          = "alb/hour"
	KeyALBLCUHour       = "alb/lcu_hour"
	KeyNLBHour          = "nlb/hour"
	KeyNLBLCUHour       = "nlb/lcu_hour"
	KeyELBHour          = "elb/hour"
	KeyELBGB            = "elb/gb"
	KeyTransferInternet = "transfer/internet_out"
	KeyTransferInterAZ  = "transfer/inter_az"
	KeyFargateVCPUHour  = "fargate/vcpu_hour"
	KeyFargateGBHour    = "fargate/gb_hour"
)

// EC2Key returns the key of an EC2 instance type's on-demand Linux hour.
func EC2Key(instanceType string) string { return "ec2/" + instanceType }

// Operating systems and tenancies of EC2 prices.
const (
	OSLinux          = "linux"
	OSWindows        = "windows"
	OSRHEL           = "rhel"
	OSSUSE           = "suse"
	TenancyDefault   = "default"
	TenancyDedicated = "dedicated"
)

// EC2OSKey returns the key of an instance type's on-demand hour for an
// operating system and tenancy: ec2/<type> for Linux on shared hardware
// (the generated table), else ec2/<type>/<os>, ec2/<type>/dedicated or
// ec2/<type>/<os>/dedicated (from prices import).
func EC2OSKey(instanceType, os, tenancy string) string {
	k := "ec2/" + instanceType
	if os != "" && os != OSLinux {
		k += "/" + os
	}
	if tenancy == TenancyDedicated {
		k += "/dedicated"
	}
	return k
}

// RDSKey returns the key of an RDS instance class hour; engine is "mysql"
// or "postgres".
func RDSKey(engine, class string, multiAZ bool) string {
	return "rds/" + engine + "/" + class + "/" + azPart(multiAZ)
}

// RDSStorageKey returns the key of RDS storage of type gp2 or gp3.
func RDSStorageKey(volumeType string, multiAZ bool) string {
	return "rds_storage/" + volumeType + "/" + azPart(multiAZ)
}

// EBSKey returns the key of EBS storage of a volume type.
func EBSKey(volumeType string) string { return "ebs/" + volumeType }

func azPart(multiAZ bool) string {
	if multiAZ {
		return "multi_az"
	}
	return "single_az"
}

// Entry is one unit price.
type Entry struct {
	Region string `json:"region"`
	Key    string `json:"key"`
	// Unit is what one Price buys: hour, GB, GB-month, LCU-hour…
	Unit string `json:"unit"`
	// Price is in the catalog's currency per Unit.
	Price       decimal.Decimal `json:"price"`
	Description string          `json:"description,omitempty"`
	// Source names where the price comes from ("AWS price pages, entered by hand", the generated EC2 table,
	// an offer file, a user price file).
	Source string `json:"source"`
	// AsOf is the date (YYYY-MM-DD) the price is known valid.
	AsOf string `json:"as_of"`
	// Estimate marks a price that is not a list price from a dated,
	// published table (entered from memory, derived from another size or
	// region). Every output shows it with "~" and a footnote.
	Estimate bool `json:"estimate,omitempty"`
}

type entryKey struct{ region, key string }

// Catalog holds unit prices by region and key. A Catalog is not safe for
// concurrent modification; reading is.
type Catalog struct {
	// Currency of every price (ISO 4217, "USD" for the embedded catalog).
	Currency string
	// Source and AsOf describe the catalog as a whole.
	Source  string
	AsOf    string
	entries map[entryKey]Entry
}

// New returns an empty catalog in currency.
func New(currency, source, asOf string) *Catalog {
	return &Catalog{Currency: currency, Source: source, AsOf: asOf, entries: map[entryKey]Entry{}}
}

// Default returns a fresh copy of the embedded catalog: the hand-entered
// entries (catalog.json) with the generated EC2 table (ec2_generated.json)
// over them.
func Default() (*Catalog, error) {
	c, err := Parse(bytes.NewReader(embedded))
	if err != nil {
		return nil, fmt.Errorf("embedded catalog: %w", err)
	}
	g, err := Parse(bytes.NewReader(embeddedEC2))
	if err != nil {
		return nil, fmt.Errorf("embedded EC2 table: %w", err)
	}
	if err := c.Merge(g); err != nil {
		return nil, fmt.Errorf("embedded EC2 table: %w", err)
	}
	c.Source = c.Source + "; EC2 on-demand Linux: " + g.Source
	return c, nil
}

// EmbeddedEC2 returns the checked-in generated EC2 table as written by
// go generate (for the test that keeps it fresh).
func EmbeddedEC2() []byte { return append([]byte(nil), embeddedEC2...) }

// DefaultRegion is the region whose prices stand in, with a warning, for a
// region the catalog has no price for.
const DefaultRegion = "us-east-1"

// fileEntry is an entry as written in a catalog file, where the price is
// named after the currency ("usd") in the embedded file or "price".
type fileEntry struct {
	Region      string           `json:"region"`
	Key         string           `json:"key"`
	Unit        string           `json:"unit"`
	USD         *decimal.Decimal `json:"usd,omitempty"`
	Price       *decimal.Decimal `json:"price,omitempty"`
	Description string           `json:"description,omitempty"`
	Source      string           `json:"source"`
	AsOf        string           `json:"as_of"`
	Estimate    bool             `json:"estimate,omitempty"`
}

type fileCatalog struct {
	Version  string `json:"version"`
	Currency string `json:"currency"`
	Source   string `json:"source"`
	AsOf     string `json:"as_of"`
	// Generated names the program that wrote a generated file.
	Generated string      `json:"generated,omitempty"`
	Entries   []fileEntry `json:"entries"`
}

// Parse reads a catalog in the JSON form written by WriteJSON.
func Parse(r io.Reader) (*Catalog, error) {
	var f fileCatalog
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parse catalog: %w", err)
	}
	if f.Version != "1" {
		return nil, fmt.Errorf("parse catalog: unsupported version %q (want \"1\")", f.Version)
	}
	if f.Currency == "" {
		f.Currency = "USD"
	}
	c := New(f.Currency, f.Source, f.AsOf)
	for i, e := range f.Entries {
		p := e.Price
		if p == nil {
			p = e.USD
		}
		if e.Region == "" || e.Key == "" || p == nil {
			return nil, fmt.Errorf("parse catalog: entry %d: region, key and price are required", i)
		}
		if p.IsNegative() {
			return nil, fmt.Errorf("parse catalog: entry %d (%s %s): negative price %s", i, e.Region, e.Key, p)
		}
		c.Set(Entry{Region: e.Region, Key: e.Key, Unit: e.Unit, Price: *p, Description: e.Description, Source: e.Source, AsOf: e.AsOf, Estimate: e.Estimate})
	}
	return c, nil
}

// Set adds or replaces an entry.
func (c *Catalog) Set(e Entry) { c.entries[entryKey{e.Region, e.Key}] = e }

// Lookup returns the entry of key in region.
func (c *Catalog) Lookup(region, key string) (Entry, bool) {
	e, ok := c.entries[entryKey{region, key}]
	return e, ok
}

// Len returns the number of entries.
func (c *Catalog) Len() int { return len(c.entries) }

// Entries returns every entry sorted by region then key.
func (c *Catalog) Entries() []Entry {
	out := make([]Entry, 0, len(c.entries))
	for _, e := range c.entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Region != out[j].Region {
			return out[i].Region < out[j].Region
		}
		return out[i].Key < out[j].Key
	})
	return out
}

// Regions returns the regions with at least one entry, sorted.
func (c *Catalog) Regions() []string {
	seen := map[string]bool{}
	var out []string
	for k := range c.entries {
		if !seen[k.region] {
			seen[k.region] = true
			out = append(out, k.region)
		}
	}
	sort.Strings(out)
	return out
}

// HasRegion reports whether the catalog has any price in region.
func (c *Catalog) HasRegion(region string) bool {
	for k := range c.entries {
		if k.region == region {
			return true
		}
	}
	return false
}

// Clone returns a deep copy of c.
func (c *Catalog) Clone() *Catalog {
	n := New(c.Currency, c.Source, c.AsOf)
	for k, e := range c.entries {
		n.entries[k] = e
	}
	return n
}

// Merge copies every entry of o into c, replacing entries with the same
// region and key. Both catalogs must share a currency.
func (c *Catalog) Merge(o *Catalog) error {
	if c.Currency != o.Currency {
		return fmt.Errorf("merge catalogs: currency %s and %s differ", c.Currency, o.Currency)
	}
	for k, e := range o.entries {
		c.entries[k] = e
	}
	return nil
}

// WriteJSON writes the catalog in the form Parse reads, one entry a line,
// sorted, so that files diff well.
func (c *Catalog) WriteJSON(w io.Writer) error {
	var buf bytes.Buffer
	head, err := json.Marshal(struct {
		Version  string `json:"version"`
		Currency string `json:"currency"`
		Source   string `json:"source"`
		AsOf     string `json:"as_of"`
	}{"1", c.Currency, c.Source, c.AsOf})
	if err != nil {
		return fmt.Errorf("write catalog: %w", err)
	}
	buf.Write(head[:len(head)-1])
	buf.WriteString(",\n \"entries\": [")
	for i, e := range c.Entries() {
		line, err := json.Marshal(fileEntry{Region: e.Region, Key: e.Key, Unit: e.Unit, Price: &e.Price, Description: e.Description, Source: e.Source, AsOf: e.AsOf, Estimate: e.Estimate})
		if err != nil {
			return fmt.Errorf("write catalog: %w", err)
		}
		if i > 0 {
			buf.WriteString(",")
		}
		buf.WriteString("\n  ")
		buf.Write(line)
	}
	buf.WriteString("\n ]}\n")
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write catalog: %w", err)
	}
	return nil
}
