package prices

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/shopspring/decimal"
)

// ImportOptions select what an import keeps.
type ImportOptions struct {
	// Regions keeps only these regions; empty keeps every region.
	Regions []string
}

// Importer builds a catalog from AWS Price List offers: bulk offer files
// (JSON or CSV, streamed, so files of hundreds of megabytes are fine) and
// Pricing API answers. Feed it with ReadOffer or Live, then call Catalog.
type Importer struct {
	opts    ImportOptions
	found   map[entryKey][]candidate
	asOf    string
	sources []string
}

type classified struct {
	region, key, unit string
}

type candidate struct {
	sku    string
	unit   string
	dims   []dimension
	source string
	asOf   string
}

// NewImporter returns an empty importer.
func NewImporter(opts ImportOptions) *Importer {
	return &Importer{opts: opts, found: map[entryKey][]candidate{}}
}

func (im *Importer) wantRegion(r string) bool {
	if r == "" {
		return false
	}
	if len(im.opts.Regions) == 0 {
		return true
	}
	for _, w := range im.opts.Regions {
		if w == r {
			return true
		}
	}
	return false
}

func (im *Importer) add(c classified, sku string, dims []dimension, source, asOf string) {
	k := entryKey{c.region, c.key}
	im.found[k] = append(im.found[k], candidate{sku: sku, unit: c.unit, dims: dims, source: source, asOf: asOf})
}

// ReadFile imports one offer file from disk.
func (im *Importer) ReadFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	defer f.Close()
	return im.ReadOffer(f, path)
}

// ReadOffer imports one bulk offer file, JSON or CSV (told apart by the
// first byte); name is used in errors and in each entry's source.
func (im *Importer) ReadOffer(r io.Reader, name string) error {
	br := bufio.NewReaderSize(r, 1<<20)
	for {
		b, err := br.Peek(1)
		if err != nil {
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("import %s: empty file", name)
			}
			return fmt.Errorf("import %s: %w", name, err)
		}
		switch b[0] {
		case ' ', '\t', '\r', '\n':
			if _, err := br.ReadByte(); err != nil {
				return fmt.Errorf("import %s: %w", name, err)
			}
			continue
		case 0xEF: // UTF-8 byte order mark
			if _, err := br.Discard(3); err != nil {
				return fmt.Errorf("import %s: %w", name, err)
			}
			continue
		case '{':
			if err := im.readJSON(br, name); err != nil {
				return fmt.Errorf("import %s: %w", name, err)
			}
			return nil
		default:
			if err := im.readCSV(br, name); err != nil {
				return fmt.Errorf("import %s: %w", name, err)
			}
			return nil
		}
	}
}

// jsonProduct is a product of a bulk JSON offer file.
type jsonProduct struct {
	SKU           string            `json:"sku"`
	ProductFamily string            `json:"productFamily"`
	Attributes    map[string]string `json:"attributes"`
}

// jsonTerm is one term (offer) of a SKU.
type jsonTerm struct {
	EffectiveDate   string `json:"effectiveDate"`
	PriceDimensions map[string]struct {
		Unit         string            `json:"unit"`
		BeginRange   string            `json:"beginRange"`
		PricePerUnit map[string]string `json:"pricePerUnit"`
	} `json:"priceDimensions"`
}

func (im *Importer) classifyProduct(p jsonProduct) (classified, bool) {
	attrs := make(map[string]string, len(p.Attributes))
	for k, v := range p.Attributes {
		attrs[normAttr(k)] = v
	}
	region, key, unit := classify(&product{sku: p.SKU, family: p.ProductFamily, attrs: attrs})
	if key == "" || !im.wantRegion(region) {
		return classified{}, false
	}
	return classified{region, key, unit}, true
}

func dimsOf(terms map[string]jsonTerm) ([]dimension, string, error) {
	var dims []dimension
	asOf := ""
	ids := make([]string, 0, len(terms))
	for id := range terms {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t := terms[id]
		if len(t.EffectiveDate) >= 10 && t.EffectiveDate[:10] > asOf {
			asOf = t.EffectiveDate[:10]
		}
		for _, d := range t.PriceDimensions {
			usd, ok := d.PricePerUnit["USD"]
			if !ok {
				continue
			}
			price, err := decimal.NewFromString(usd)
			if err != nil {
				return nil, "", fmt.Errorf("price %q of %s: %w", usd, id, err)
			}
			begin := decimal.Zero
			if d.BeginRange != "" {
				if b, err := decimal.NewFromString(d.BeginRange); err == nil {
					begin = b
				}
			}
			dims = append(dims, dimension{unit: d.Unit, price: price, beginRange: begin})
		}
	}
	return dims, asOf, nil
}

func (im *Importer) readJSON(r io.Reader, name string) error {
	dec := json.NewDecoder(r)
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	products := map[string]classified{}
	sawProducts := false
	source := "AWS Price List offer file " + name
	for dec.More() {
		k, err := stringToken(dec)
		if err != nil {
			return err
		}
		switch k {
		case "offerCode", "version":
			var s string
			if err := dec.Decode(&s); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
			if k == "offerCode" {
				source = "AWS Price List " + s + " offer file"
			}
		case "publicationDate":
			var s string
			if err := dec.Decode(&s); err != nil {
				return fmt.Errorf("publicationDate: %w", err)
			}
			if len(s) >= 10 && s[:10] > im.asOf {
				im.asOf = s[:10]
			}
		case "products":
			sawProducts = true
			if err := expectDelim(dec, '{'); err != nil {
				return fmt.Errorf("products: %w", err)
			}
			for dec.More() {
				sku, err := stringToken(dec)
				if err != nil {
					return fmt.Errorf("products: %w", err)
				}
				var p jsonProduct
				at := dec.InputOffset()
				if err := dec.Decode(&p); err != nil {
					return fmt.Errorf("product %s at offset %d: %w", ingest.Excerpt(sku), at, err)
				}
				if p.SKU == "" {
					p.SKU = sku
				}
				if c, ok := im.classifyProduct(p); ok {
					products[p.SKU] = c
				}
			}
			if err := expectDelim(dec, '}'); err != nil {
				return fmt.Errorf("products: %w", err)
			}
		case "terms":
			if !sawProducts {
				return errors.New("terms precede products: not an AWS bulk offer file")
			}
			if err := im.readJSONTerms(dec, products, source); err != nil {
				return err
			}
		default:
			if err := skipValue(dec); err != nil {
				return fmt.Errorf("%s: %w", k, err)
			}
		}
	}
	if !sawProducts {
		return errors.New("no products: not an AWS bulk offer file")
	}
	im.sources = append(im.sources, source)
	return nil
}

func (im *Importer) readJSONTerms(dec *json.Decoder, products map[string]classified, source string) error {
	if err := expectDelim(dec, '{'); err != nil {
		return fmt.Errorf("terms: %w", err)
	}
	for dec.More() {
		termType, err := stringToken(dec)
		if err != nil {
			return fmt.Errorf("terms: %w", err)
		}
		if termType != "OnDemand" {
			if err := skipObject(dec); err != nil {
				return fmt.Errorf("terms %s: %w", termType, err)
			}
			continue
		}
		if err := expectDelim(dec, '{'); err != nil {
			return fmt.Errorf("terms OnDemand: %w", err)
		}
		for dec.More() {
			sku, err := stringToken(dec)
			if err != nil {
				return fmt.Errorf("terms OnDemand: %w", err)
			}
			c, ok := products[sku]
			if !ok {
				var raw json.RawMessage
				if err := dec.Decode(&raw); err != nil {
					return fmt.Errorf("terms of %s: %w", sku, err)
				}
				continue
			}
			var terms map[string]jsonTerm
			if err := dec.Decode(&terms); err != nil {
				return fmt.Errorf("terms of %s: %w", sku, err)
			}
			dims, asOf, err := dimsOf(terms)
			if err != nil {
				return fmt.Errorf("terms of %s: %w", sku, err)
			}
			im.add(c, sku, dims, source, asOf)
		}
		if err := expectDelim(dec, '}'); err != nil {
			return fmt.Errorf("terms OnDemand: %w", err)
		}
	}
	return expectDelim(dec, '}')
}

func expectDelim(dec *json.Decoder, want json.Delim) error {
	t, err := dec.Token()
	if err != nil {
		return err
	}
	if d, ok := t.(json.Delim); !ok || d != want {
		return fmt.Errorf("at offset %d: want %q, got %v", dec.InputOffset(), want, t)
	}
	return nil
}

func stringToken(dec *json.Decoder) (string, error) {
	t, err := dec.Token()
	if err != nil {
		return "", err
	}
	s, ok := t.(string)
	if !ok {
		return "", fmt.Errorf("at offset %d: want a key, got %v", dec.InputOffset(), t)
	}
	return s, nil
}

// skipObject consumes an object of many members (the reserved terms of
// every SKU) one member at a time, so the section is never held in memory
// whole.
func skipObject(dec *json.Decoder) error {
	if err := expectDelim(dec, '{'); err != nil {
		return err
	}
	for dec.More() {
		if _, err := stringToken(dec); err != nil {
			return err
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
	}
	return expectDelim(dec, '}')
}

// skipValue consumes one JSON value token by token, so that large sections
// are never held in memory.
func skipValue(dec *json.Decoder) error {
	depth := 0
	for {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		switch t {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

func (im *Importer) readCSV(r io.Reader, name string) error {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	source := "AWS Price List offer file " + name
	var header []string
	col := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if header == nil {
			if len(rec) >= 2 {
				switch normAttr(rec[0]) {
				case "publicationdate":
					if len(rec[1]) >= 10 && rec[1][:10] > im.asOf {
						im.asOf = rec[1][:10]
					}
				case "offercode":
					source = "AWS Price List " + rec[1] + " offer file"
				}
			}
			if len(rec) > 0 && normAttr(rec[0]) == "sku" {
				header = make([]string, len(rec))
				for i, h := range rec {
					header[i] = normAttr(h)
					col[header[i]] = i
				}
				for _, need := range []string{"termtype", "priceperunit", "unit"} {
					if _, ok := col[need]; !ok {
						line, _ := cr.FieldPos(0)
						return fmt.Errorf("line %d: header lacks column %q", line, need)
					}
				}
			}
			continue
		}
		get := func(c string) string {
			if i, ok := col[c]; ok && i < len(rec) {
				return rec[i]
			}
			return ""
		}
		if get("termtype") != "OnDemand" || (get("currency") != "" && get("currency") != "USD") {
			continue
		}
		attrs := make(map[string]string, len(header))
		for i, h := range header {
			if i < len(rec) && rec[i] != "" {
				attrs[h] = rec[i]
			}
		}
		p := product{sku: get("sku"), family: get("productfamily"), attrs: attrs}
		region, key, unit := classify(&p)
		if key == "" || !im.wantRegion(region) {
			continue
		}
		price, err := decimal.NewFromString(get("priceperunit"))
		if err != nil {
			line, _ := cr.FieldPos(col["priceperunit"])
			return fmt.Errorf("line %d: price %q: %w", line, get("priceperunit"), err)
		}
		begin := decimal.Zero
		if b, err := decimal.NewFromString(get("startingrange")); err == nil {
			begin = b
		}
		asOf := get("effectivedate")
		if len(asOf) >= 10 {
			asOf = asOf[:10]
		}
		im.add(classified{region, key, unit}, p.sku, []dimension{{unit: get("unit"), price: price, beginRange: begin}}, source, asOf)
	}
	if header == nil {
		return errors.New("no SKU header row: not an AWS bulk offer CSV file")
	}
	im.sources = append(im.sources, source)
	return nil
}

// Catalog returns the prices found so far as a USD catalog. Where several
// SKUs give the same key (storage priced per engine, say), the SKU that
// sorts first wins, so the result does not depend on file order; the
// dimensions of one SKU from several rows are merged.
func (im *Importer) Catalog() *Catalog {
	sort.Strings(im.sources)
	c := New("USD", strings.Join(dedupe(im.sources), "; "), im.asOf)
	for k, cands := range im.found {
		bySKU := map[string]*candidate{}
		var skus []string
		for i := range cands {
			cd := &cands[i]
			if prev, ok := bySKU[cd.sku]; ok {
				prev.dims = append(prev.dims, cd.dims...)
				if cd.asOf > prev.asOf {
					prev.asOf = cd.asOf
				}
				continue
			}
			cp := *cd
			bySKU[cd.sku] = &cp
			skus = append(skus, cd.sku)
		}
		sort.Strings(skus)
		for _, sku := range skus {
			cd := bySKU[sku]
			d, ok := pick(cd.dims)
			if !ok {
				continue
			}
			price := d.price
			asOf := cd.asOf
			if asOf == "" {
				asOf = im.asOf
			}
			c.Set(Entry{Region: k.region, Key: k.key, Unit: cd.unit, Price: price, Source: cd.source + " (SKU " + sku + ")", AsOf: asOf})
			break
		}
	}
	return c
}

func dedupe(s []string) []string {
	var out []string
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}
