package prices

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"
	"gopkg.in/yaml.v3"

	"github.com/vpcgate/vpcgate/internal/docpos"
)

// MaxOverrideSize bounds a user price file.
const MaxOverrideSize = 4 << 20

// Override is a user price file (YAML or JSON):
//
//	version: "1"
//	currency: EUR        # optional; the currency of the prices below
//	rate: "0.92"         # EUR per USD; converts every catalog price not listed
//	source: "contract 2026"
//	as_of: "2026-01-01"
//	prices:
//	  - region: eu-west-1
//	    key: ec2/m3.xlarge
//	    price: "0.495"     # already in EUR
//	    unit: hour         # optional when the catalog has the key
type Override struct {
	Version  string          `yaml:"version"`
	Currency string          `yaml:"currency"`
	Rate     string          `yaml:"rate"`
	Source   string          `yaml:"source"`
	AsOf     string          `yaml:"as_of"`
	Prices   []OverridePrice `yaml:"prices"`
}

// OverridePrice is one entry of an Override.
type OverridePrice struct {
	Region      string `yaml:"region"`
	Key         string `yaml:"key"`
	Price       string `yaml:"price"`
	Unit        string `yaml:"unit"`
	Description string `yaml:"description"`
	Source      string `yaml:"source"`
	AsOf        string `yaml:"as_of"`
	// Line is the 1-based line of the entry in the file.
	Line int `yaml:"-"`
}

// maxPrice bounds a unit price and a conversion rate: beyond it a value is
// absurd, and arithmetic on it (1e1000000) would take time and memory.
var maxPrice = decimal.New(1, 9)

// excerpt cuts a value quoted in a message to 40 bytes.
func excerpt(s string) string {
	if len(s) <= 40 {
		return s
	}
	return s[:40] + "…"
}

// ParseOverride reads a user price file; name is used in errors.
func ParseOverride(r io.Reader, name string) (*Override, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxOverrideSize+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxOverrideSize {
		return nil, fmt.Errorf("%s: price file larger than %d bytes", name, MaxOverrideSize)
	}
	if err := docpos.CheckText(name, data); err != nil {
		return nil, err
	}
	var o Override
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&o); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if o.Version != "" && o.Version != "1" {
		return nil, fmt.Errorf("%s: unsupported version %q (want \"1\")", name, o.Version)
	}
	doc := docpos.Parse(name, data)
	if o.Rate != "" {
		if rate, err := decimal.NewFromString(o.Rate); err != nil || !rate.IsPositive() || rate.GreaterThan(maxPrice) {
			return nil, doc.Locate(docpos.Field("rate", "%q is not a positive number up to %s", excerpt(o.Rate), maxPrice))
		}
	}
	for i, p := range o.Prices {
		if p.Price == "" {
			continue
		}
		if price, err := decimal.NewFromString(p.Price); err != nil || price.IsNegative() || price.GreaterThan(maxPrice) {
			return nil, doc.Locate(docpos.Field(fmt.Sprintf("prices[%d].price", i), "%q is not a number from 0 to %s", excerpt(p.Price), maxPrice))
		}
	}
	// Recover the line of each price entry.
	if len(root.Content) == 1 && root.Content[0].Kind == yaml.MappingNode {
		m := root.Content[0]
		for i := 0; i+1 < len(m.Content); i += 2 {
			if m.Content[i].Value == "prices" && m.Content[i+1].Kind == yaml.SequenceNode {
				for j, item := range m.Content[i+1].Content {
					if j < len(o.Prices) {
						o.Prices[j].Line = item.Line
					}
				}
			}
		}
	}
	return &o, nil
}

// Apply returns a copy of base with the override applied: when the override
// names another currency, every base price is converted with Rate first;
// then each listed price replaces (or adds) its entry.
func (o *Override) Apply(base *Catalog, name string) (*Catalog, error) {
	out := base.Clone()
	if o.Currency != "" && !strings.EqualFold(o.Currency, base.Currency) {
		if o.Rate == "" {
			return nil, fmt.Errorf("%s: currency %s differs from the catalog's %s: give rate (%s per %s)", name, o.Currency, base.Currency, o.Currency, base.Currency)
		}
		rate, err := decimal.NewFromString(o.Rate)
		if err != nil || !rate.IsPositive() {
			return nil, fmt.Errorf("%s: rate %q is not a positive number", name, o.Rate)
		}
		out = New(strings.ToUpper(o.Currency), base.Source, base.AsOf)
		for _, e := range base.Entries() {
			e.Price = e.Price.Mul(rate)
			e.Source = fmt.Sprintf("%s (converted at %s %s/%s)", e.Source, rate, strings.ToUpper(o.Currency), base.Currency)
			out.Set(e)
		}
	}
	for _, p := range o.Prices {
		where := fmt.Sprintf("%s:%d", name, p.Line)
		if p.Region == "" || p.Key == "" || p.Price == "" {
			return nil, fmt.Errorf("%s: region, key and price are required", where)
		}
		price, err := decimal.NewFromString(p.Price)
		if err != nil || price.IsNegative() {
			return nil, fmt.Errorf("%s: price %q is not a non-negative number", where, p.Price)
		}
		e, known := out.Lookup(p.Region, p.Key)
		if !known && p.Unit == "" {
			return nil, fmt.Errorf("%s: %s %s is not in the catalog: give its unit", where, p.Region, p.Key)
		}
		e.Region, e.Key, e.Price = p.Region, p.Key, price
		if p.Unit != "" {
			e.Unit = p.Unit
		}
		if p.Description != "" {
			e.Description = p.Description
		}
		e.Source = firstNonEmpty(p.Source, o.Source, name)
		e.AsOf = firstNonEmpty(p.AsOf, o.AsOf)
		out.Set(e)
	}
	return out, nil
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
