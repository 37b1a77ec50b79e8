// Package config reads vpcgate's project configuration, .vpcgate.yaml:
// extra policy directories, rule selection, the failure threshold and
// suppressions with a reason and an optional expiry date. The file is found
// upward from the scanned inputs.
package config

import (
	"errors"
	"fmt"
	"github.com/vpcgate/vpcgate/internal/docpos"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// FileName is the name of the configuration file.
const FileName = ".vpcgate.yaml"

// MaxSize bounds the configuration file, in bytes.
const MaxSize = 1 << 20

// maxDepth bounds the nesting of the YAML document.
const maxDepth = 16

// Config is a parsed .vpcgate.yaml.
type Config struct {
	// Path is the file read; "" for an empty configuration.
	Path string
	// Policies are extra policy directories, made absolute relative to the
	// file's folder.
	Policies []string
	// Rules selects rules by id or glob (empty: all); SkipRules leaves
	// rules out.
	Rules     []string
	SkipRules []string
	// SkipPaths are globs of paths (relative to the scanned path) left
	// out of discovery; added to --skip-path.
	SkipPaths []string
	// Severity is the lowest severity of the rules to evaluate ("" = all),
	// as written: the policy engine validates it (this package only reads
	// the document) and reports a bad value at SeverityRange.
	Severity      string
	SeverityRange graph.Range
	// FailOn is the --fail-on default ("" = the CLI default), as written;
	// validated like Severity, at FailOnRange.
	FailOn      string
	FailOnRange graph.Range
	// Suppressions silence findings, each with a reason.
	Suppressions []Suppression
}

// Suppression is one entry of the suppressions list.
type Suppression struct {
	Rule     string
	Resource string
	Reason   string
	// Expires is the last day the entry applies; zero means never.
	Expires time.Time
	Range   graph.Range
}

// Find looks for .vpcgate.yaml in the folder of start (or start itself when
// it is a folder) and each parent up to the filesystem root. It returns ""
// when there is none.
func Find(start string) (string, error) {
	abs, err := filepath.Abs(start)
	if err != nil {
		return "", fmt.Errorf("find %s: %w", FileName, err)
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		abs = filepath.Dir(abs)
	}
	for dir := abs; ; dir = filepath.Dir(dir) {
		p := filepath.Join(dir, FileName)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p, nil
		}
		if filepath.Dir(dir) == dir {
			return "", nil
		}
	}
}

// Load reads and parses the file at path. Problems in the file are
// diagnostics with its position; an error means it could not be read.
func Load(path string) (*Config, []graph.Diagnostic, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("config: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxSize+1))
	if err != nil {
		return nil, nil, fmt.Errorf("config %s: %w", path, err)
	}
	if len(data) > MaxSize {
		return nil, []graph.Diagnostic{{Severity: graph.SeverityError, Summary: fmt.Sprintf("configuration larger than %d bytes", MaxSize), Range: graph.Range{File: path}}}, nil
	}
	c, diags := Parse(path, data)
	return c, diags, nil
}

// Parse reads a configuration document; name is the file name used in
// diagnostics and to resolve relative policy directories.
func Parse(name string, data []byte) (*Config, []graph.Diagnostic) {
	p := &parser{file: name, c: &Config{Path: name}}
	if err := docpos.CheckText(name, data); err != nil {
		te := err.(*docpos.TextError)
		at := graph.Pos{Line: te.Line, Column: te.Column}
		p.diags = append(p.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: te.Msg, Range: graph.Range{File: name, Start: at, End: at}})
		return p.c, p.diags
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		p.errorf(nil, "invalid YAML: %s", yamlMessage(err))
		return p.c, p.diags
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return p.c, p.diags
	}
	root := doc.Content[0]
	if depth(root, 0) > maxDepth {
		p.errorf(root, "configuration nested deeper than %d levels", maxDepth)
		return p.c, p.diags
	}
	p.top(root)
	return p.c, p.diags
}

type parser struct {
	file  string
	c     *Config
	diags []graph.Diagnostic
}

func (p *parser) rng(n *yaml.Node) graph.Range {
	if n == nil {
		return graph.Range{File: p.file}
	}
	end := n.Column + len(n.Value)
	if n.Kind != yaml.ScalarNode {
		end = n.Column + 1
	}
	return graph.Range{File: p.file, Start: graph.Pos{Line: n.Line, Column: n.Column}, End: graph.Pos{Line: n.Line, Column: end}}
}

func (p *parser) errorf(n *yaml.Node, format string, args ...any) {
	p.diags = append(p.diags, graph.Diagnostic{Severity: graph.SeverityError, Summary: fmt.Sprintf(format, args...), Range: p.rng(n)})
}

// mapping iterates over the keys of a mapping node, reporting other kinds.
func (p *parser) mapping(n *yaml.Node, what string, each func(key string, k, v *yaml.Node)) {
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "%s: want a mapping", what)
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		each(n.Content[i].Value, n.Content[i], n.Content[i+1])
	}
}

func (p *parser) scalar(n *yaml.Node, what string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		p.errorf(n, "%s: want a single value", what)
		return "", false
	}
	return n.Value, true
}

func (p *parser) list(n *yaml.Node, what string) []string {
	if n.Kind == yaml.ScalarNode && n.Value != "" {
		return []string{n.Value}
	}
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "%s: want a list", what)
		return nil
	}
	var out []string
	for _, x := range n.Content {
		if s, ok := p.scalar(x, what); ok {
			out = append(out, s)
		}
	}
	return out
}

func (p *parser) top(n *yaml.Node) {
	p.mapping(n, "configuration", func(key string, k, v *yaml.Node) {
		switch key {
		case "version":
			if s, ok := p.scalar(v, "version"); ok && s != "1" {
				p.errorf(v, "version %s is not supported (want 1)", s)
			}
		case "policies":
			for _, d := range p.list(v, "policies") {
				if !filepath.IsAbs(d) {
					d = filepath.Join(filepath.Dir(p.file), d)
				}
				p.c.Policies = append(p.c.Policies, d)
			}
		case "rules":
			p.c.Rules = p.list(v, "rules")
		case "skip_rules":
			p.c.SkipRules = p.list(v, "skip_rules")
		case "skip_paths":
			p.c.SkipPaths = p.list(v, "skip_paths")
		case "severity":
			if s, ok := p.scalar(v, "severity"); ok {
				p.c.Severity, p.c.SeverityRange = s, p.rng(v)
			}
		case "fail_on":
			if s, ok := p.scalar(v, "fail_on"); ok {
				p.c.FailOn, p.c.FailOnRange = s, p.rng(v)
			}
		case "suppressions":
			p.suppressions(v)
		default:
			p.errorf(k, "unknown key %q (want version, policies, rules, skip_rules, skip_paths, severity, fail_on or suppressions)", key)
		}
	})
}

func (p *parser) suppressions(n *yaml.Node) {
	if n.Kind != yaml.SequenceNode {
		p.errorf(n, "suppressions: want a list")
		return
	}
	for _, item := range n.Content {
		s := Suppression{Range: p.rng(item)}
		p.mapping(item, "suppression", func(key string, k, v *yaml.Node) {
			val, ok := p.scalar(v, key)
			if !ok {
				return
			}
			switch key {
			case "rule":
				s.Rule = val
			case "resource":
				s.Resource = val
			case "reason":
				s.Reason = strings.TrimSpace(val)
			case "expires":
				t, err := time.Parse(time.DateOnly, val)
				if err != nil {
					p.errorf(v, "expires %q: want a date YYYY-MM-DD", val)
					return
				}
				s.Expires = t
			default:
				p.errorf(k, "unknown suppression key %q (want rule, resource, reason or expires)", key)
			}
		})
		if item.Kind != yaml.MappingNode {
			continue
		}
		switch {
		case s.Rule == "":
			p.errorf(item, "suppression without a rule")
		case s.Reason == "":
			p.errorf(item, "suppression of %s without a reason: every suppression must say why", s.Rule)
		default:
			p.c.Suppressions = append(p.c.Suppressions, s)
		}
	}
}

func depth(n *yaml.Node, d int) int {
	if d > maxDepth {
		return d
	}
	max := d
	for _, c := range n.Content {
		if x := depth(c, d+1); x > max {
			max = x
		}
	}
	return max
}

// yamlMessage strips yaml.v3's "yaml: " prefix.
func yamlMessage(err error) string {
	var te *yaml.TypeError
	if errors.As(err, &te) {
		return strings.Join(te.Errors, "; ")
	}
	return strings.TrimPrefix(err.Error(), "yaml: ")
}
