// Package ec2table turns the dated on-demand EC2 price table that
// github.com/aws/karpenter-provider-aws ships in its Go module
// (pkg/providers/pricing/zz_generated.pricing_aws.go) into vpcgate catalog
// entries. The table is read as Go source text with go/parser; the module is
// never imported, so it is not a dependency of vpcgate. The generator
// (cost/prices/gen_ec2.go, run by go generate) and the test that keeps the
// checked-in catalog fresh both go through Generate.
package ec2table

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"
)

// Module, Version and File name the table the catalog is generated from.
const (
	Module  = "github.com/aws/karpenter-provider-aws"
	Version = "v1.12.0"
	File    = "pkg/providers/pricing/zz_generated.pricing_aws.go"
	// Var is the map literal holding the prices by region and type.
	Var = "InitialOnDemandPricesAWS"
)

// Table is the parsed price table.
type Table struct {
	// GeneratedAt is the timestamp in the file's header ("generated at
	// 2026-03-24T18:26:10Z for us-east-1").
	GeneratedAt string
	// Prices holds USD per hour by region and instance type, as written
	// in the file (decimal text, never a float).
	Prices map[string]map[string]decimal.Decimal
}

var headerRE = regexp.MustCompile(`(?m)^// generated at (\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)`)

// Parse reads the table from the file's source text.
func Parse(src []byte) (*Table, error) {
	m := headerRE.FindSubmatch(src)
	if m == nil {
		return nil, fmt.Errorf("%s: no \"// generated at <time>\" header", File)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, File, src, 0)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", File, err)
	}
	t := &Table{GeneratedAt: string(m[1]), Prices: map[string]map[string]decimal.Decimal{}}
	var lit *ast.CompositeLit
	ast.Inspect(f, func(n ast.Node) bool {
		vs, ok := n.(*ast.ValueSpec)
		if !ok || len(vs.Names) != 1 || vs.Names[0].Name != Var || len(vs.Values) != 1 {
			return true
		}
		lit, _ = vs.Values[0].(*ast.CompositeLit)
		return false
	})
	if lit == nil {
		return nil, fmt.Errorf("%s: no map literal %s", File, Var)
	}
	str := func(e ast.Expr) (string, error) {
		bl, ok := e.(*ast.BasicLit)
		if !ok || bl.Kind != token.STRING {
			return "", fmt.Errorf("%s: want a string literal", fset.Position(e.Pos()))
		}
		return strconv.Unquote(bl.Value)
	}
	for _, el := range lit.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			return nil, fmt.Errorf("%s: want region: {…}", fset.Position(el.Pos()))
		}
		region, err := str(kv.Key)
		if err != nil {
			return nil, err
		}
		inner, ok := kv.Value.(*ast.CompositeLit)
		if !ok {
			return nil, fmt.Errorf("%s: want a map of instance types", fset.Position(kv.Value.Pos()))
		}
		byType := map[string]decimal.Decimal{}
		for _, e := range inner.Elts {
			tkv, ok := e.(*ast.KeyValueExpr)
			if !ok {
				return nil, fmt.Errorf("%s: want \"type\": price", fset.Position(e.Pos()))
			}
			typ, err := str(tkv.Key)
			if err != nil {
				return nil, err
			}
			bl, ok := tkv.Value.(*ast.BasicLit)
			if !ok || (bl.Kind != token.FLOAT && bl.Kind != token.INT) {
				return nil, fmt.Errorf("%s: price of %s is not a number literal", fset.Position(tkv.Value.Pos()), typ)
			}
			p, err := decimal.NewFromString(bl.Value)
			if err != nil || p.IsNegative() {
				return nil, fmt.Errorf("%s: price of %s: %q is not a price", fset.Position(bl.Pos()), typ, bl.Value)
			}
			byType[typ] = p
		}
		if len(byType) == 0 {
			continue
		}
		t.Prices[region] = byType
	}
	if len(t.Prices) == 0 {
		return nil, fmt.Errorf("%s: %s holds no prices", File, Var)
	}
	return t, nil
}

// Source is the provenance written on every generated entry.
func Source(generatedAt string) string {
	return fmt.Sprintf("AWS Price List API via %s@%s %s (generated %s)", Module, Version, File, generatedAt)
}

type entry struct {
	Region      string `json:"region"`
	Key         string `json:"key"`
	Unit        string `json:"unit"`
	Price       string `json:"price"`
	Description string `json:"description"`
	Source      string `json:"source"`
	AsOf        string `json:"as_of"`
}

// Write writes the table as a vpcgate catalog file (the form
// prices.Parse reads), sorted by region and key, one entry a line.
func (t *Table) Write(w *bytes.Buffer) error {
	src := Source(t.GeneratedAt)
	asOf := t.GeneratedAt[:10]
	head, err := json.Marshal(struct {
		Version   string `json:"version"`
		Currency  string `json:"currency"`
		Source    string `json:"source"`
		AsOf      string `json:"as_of"`
		Generated string `json:"generated"`
	}{"1", "USD", src, asOf, "by cost/prices/gen_ec2.go (go generate ./cost/prices); DO NOT EDIT"})
	if err != nil {
		return err
	}
	w.Write(head[:len(head)-1])
	w.WriteString(",\n \"entries\": [")
	regions := make([]string, 0, len(t.Prices))
	for r := range t.Prices {
		regions = append(regions, r)
	}
	sort.Strings(regions)
	first := true
	for _, r := range regions {
		types := make([]string, 0, len(t.Prices[r]))
		for typ := range t.Prices[r] {
			types = append(types, typ)
		}
		sort.Strings(types)
		for _, typ := range types {
			line, err := json.Marshal(entry{Region: r, Key: "ec2/" + typ, Unit: "hour", Price: t.Prices[r][typ].String(),
				Description: "EC2 " + typ + " on-demand Linux, shared tenancy", Source: src, AsOf: asOf})
			if err != nil {
				return err
			}
			if !first {
				w.WriteString(",")
			}
			first = false
			w.WriteString("\n  ")
			w.Write(line)
		}
	}
	w.WriteString("\n ]}\n")
	return nil
}

// Locate downloads the module with the go command (into the module cache,
// from a scratch directory, so no go.mod is touched) and returns the path
// of the table file.
func Locate() (string, error) {
	tmp, err := os.MkdirTemp("", "ec2table")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	cmd := exec.Command("go", "mod", "download", "-json", Module+"@"+Version)
	cmd.Dir = tmp
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GO111MODULE=on")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %v: %s", Module, Version, err, strings.TrimSpace(stderr.String()+string(out)))
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out, &info); err != nil {
		return "", fmt.Errorf("go mod download %s@%s: %w", Module, Version, err)
	}
	if info.Error != "" || info.Dir == "" {
		return "", fmt.Errorf("go mod download %s@%s: %s", Module, Version, info.Error)
	}
	return filepath.Join(info.Dir, filepath.FromSlash(File)), nil
}

// Generate downloads the module, parses the table and returns the catalog
// file's bytes.
func Generate() ([]byte, error) {
	path, err := Locate()
	if err != nil {
		return nil, err
	}
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := Parse(src)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := t.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
