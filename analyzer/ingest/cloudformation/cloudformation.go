// Package cloudformation reads AWS CloudFormation templates (YAML with the
// short-form tags, or JSON) and AWS CDK cloud assemblies (cdk.out) into a
// graph fragment with the positions of every resource and of the
// properties the rules point at.
//
// Templates are evaluated, not just parsed: parameters (defaults, given
// values, parameter files), mappings, conditions, Fn::If with AWS::NoValue,
// pseudo parameters, Fn::Cidr and Fn::GetAZs. What cannot be known before
// deployment (an imported value, a physical name) stays unknown and is
// recorded in graph.Base.Unknown or graph.SGRule.Unknown, never guessed.
// CloudFormation's own defaults are honoured: a security group without
// SecurityGroupEgress allows all egress, a VPC gets its main route table,
// default network ACL and default security group, a load balancer's scheme
// defaults to internet-facing.
package cloudformation

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
)

// Default bounds for hostile input.
const (
	// DefaultMaxFileSize bounds one template, in bytes.
	DefaultMaxFileSize = 8 << 20
	// DefaultMaxAliases bounds YAML alias expansions per template.
	DefaultMaxAliases = 1000
	// DefaultMaxDepth bounds the nesting of values (and of nested stacks).
	DefaultMaxDepth = 100
	// maxValues bounds the values of one template after alias expansion.
	maxValues = 4_000_000
	// maxNestedStacks bounds how deep nested stacks may go.
	maxNestedStacks = 8
	// maxNestedReads bounds how many nested stack templates one read loads
	// (a template naming itself several times would otherwise grow
	// exponentially).
	maxNestedReads = 200
)

// Options configure how templates are read: what every reader shares
// (ingest.Options: the scanned root — no TemplateURL, nested stack file or
// symlink leads out of it unless AllowOutsideRoot; empty: the folder of the
// template or cloud assembly —, region, account, availability zones for
// Fn::GetAZs, limits — MaxFileSize, MaxAliases, MaxDepth, zero: this
// reader's defaults — and the analysis budget: each resource claims one
// unit) and CloudFormation's own.
type Options struct {
	ingest.Options
	// Parameters are parameter values (they win over ParameterFiles).
	Parameters map[string]string
	// ParameterFiles are JSON files in the forms
	// [{"ParameterKey": k, "ParameterValue": v}] or {"Parameters": {k: v}}.
	ParameterFiles []string
	// Pseudo parameters AWS::Partition (default aws, aws-cn or aws-us-gov
	// from the region) and AWS::StackName (default the file name);
	// AWS::Region and AWS::AccountId come from Region (default us-east-1)
	// and Account (default 123456789012).
	Partition, StackName string
}

func (o Options) withDefaults() Options {
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.Account == "" {
		o.Account = "123456789012"
	}
	if o.Partition == "" {
		o.Partition = partitionOf(o.Region)
	}
	if o.Budget == nil {
		o.Budget = ingest.NewBudget(o.Limits.WithDefaults().MaxNodes)
	}
	if o.Limits.MaxFileSize <= 0 {
		o.Limits.MaxFileSize = DefaultMaxFileSize
	}
	if o.Limits.MaxAliases <= 0 {
		o.Limits.MaxAliases = DefaultMaxAliases
	}
	if o.Limits.MaxDepth <= 0 {
		o.Limits.MaxDepth = DefaultMaxDepth
	}
	return o
}

func partitionOf(region string) string {
	switch {
	case strings.HasPrefix(region, "cn-"):
		return "aws-cn"
	case strings.HasPrefix(region, "us-gov-"):
		return "aws-us-gov"
	}
	return "aws"
}

// templateExts are the file extensions Detect accepts.
var templateExts = map[string]bool{".yaml": true, ".yml": true, ".json": true, ".template": true}

// Detect reports whether data (a .yaml, .yml, .json or .template file) is a
// CloudFormation template: a mapping with Resources or
// AWSTemplateFormatVersion at its top level.
func Detect(path string, data []byte) bool {
	if !templateExts[strings.ToLower(filepath.Ext(path))] {
		return false
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // a UTF-8 byte order mark
	if bytes.Contains(data, []byte("AWSTemplateFormatVersion")) {
		return topLevelKey(data, "AWSTemplateFormatVersion")
	}
	if !bytes.Contains(data, []byte("Resources")) {
		return false
	}
	return topLevelKey(data, "Resources")
}

// topLevelKey reports whether key is a key of the top-level mapping,
// checking the text cheaply before parsing.
func topLevelKey(data []byte, key string) bool {
	trim := bytes.TrimSpace(data)
	if len(trim) > 0 && trim[0] == '{' {
		var m map[string]json.RawMessage
		if json.Unmarshal(trim, &m) == nil {
			_, ok := m[key]
			return ok
		}
		// Invalid JSON that still looks like a template: let the reader
		// report the error.
		return bytes.Contains(data, []byte(`"`+key+`"`))
	}
	for _, line := range bytes.Split(data, []byte("\n")) {
		l := bytes.TrimRight(line, " \t\r")
		if bytes.HasPrefix(l, []byte(key+":")) || bytes.HasPrefix(l, []byte(`"`+key+`":`)) || bytes.HasPrefix(l, []byte(`'`+key+`':`)) {
			return true
		}
	}
	return false
}

// reader holds the state of one read: a template with its nested stacks,
// or a cloud assembly.
type reader struct {
	ctx     context.Context
	opts    Options
	root    string // resolved Root
	diags   []graph.Diagnostic
	params  map[string]string // given parameter values
	exports map[string]*val   // export name → value (cloud assemblies)
	b       *builder
	stacks  []*stack
	// nestedRead counts the nested stack templates loaded.
	nestedRead int
	// declared are the parameters top-level templates declare.
	declared map[string]bool
	// paramFile is the file that gave each parameter ("" for Parameters).
	paramFile map[string]string
	// physical maps a physical name taken as a node id to the resource
	// type that took it: AWS names are per type, graph ids are not.
	physical map[string]string
	// regionGiven is set when the options name the region (not the
	// us-east-1 default).
	regionGiven bool
}

func newReader(ctx context.Context, root string, opts Options) *reader {
	given := opts.Region != ""
	opts = opts.withDefaults()
	rd := &reader{ctx: ctx, opts: opts, exports: map[string]*val{}, b: newBuilder(), physical: map[string]string{}, regionGiven: given,
		declared: map[string]bool{}, paramFile: map[string]string{}}
	if opts.Root != "" {
		root = opts.Root
	}
	if abs, err := filepath.Abs(root); err == nil {
		root = abs
	}
	if real, err := filepath.EvalSymlinks(root); err == nil {
		root = real
	}
	rd.root = root
	rd.params = rd.loadParameters()
	return rd
}

func (rd *reader) diag(sev graph.Severity, summary, detail string, r graph.Range) {
	rd.diags = append(rd.diags, graph.Diagnostic{Severity: sev, Summary: summary, Detail: detail, Range: r})
}

// azs returns the availability zones of region.
func (rd *reader) azs(region string) []string {
	if region == rd.opts.Region && len(rd.opts.AvailabilityZones) > 0 {
		return rd.opts.AvailabilityZones
	}
	return []string{region + "a", region + "b", region + "c"}
}

// loadParameters reads the parameter files, then the given values.
func (rd *reader) loadParameters() map[string]string {
	out := map[string]string{}
	for _, f := range rd.opts.ParameterFiles {
		data, err := os.ReadFile(f)
		if err != nil {
			rd.diag(graph.SeverityError, fmt.Sprintf("read parameter file: %v", err), "", graph.Range{File: f})
			continue
		}
		if d := checkText(f, data, rd.opts.Limits.MaxDepth); d != nil {
			rd.diags = append(rd.diags, *d)
			continue
		}
		m, err := parseParameterFile(data)
		if err != nil {
			rd.diag(graph.SeverityError, fmt.Sprintf("parameter file %s: %v", f, err), "", graph.Range{File: f})
			continue
		}
		for k, v := range m {
			out[k] = v
			rd.paramFile[k] = f
		}
	}
	for k, v := range rd.opts.Parameters {
		out[k] = v
		rd.paramFile[k] = ""
	}
	return out
}

// parseParameterFile reads [{"ParameterKey", "ParameterValue"}],
// {"Parameters": {k: v}} or {k: v}.
func parseParameterFile(data []byte) (map[string]string, error) {
	trim := bytes.TrimSpace(data)
	out := map[string]string{}
	if len(trim) > 0 && trim[0] == '[' {
		var list []struct {
			ParameterKey     string
			ParameterValue   json.RawMessage
			UsePreviousValue bool
		}
		if err := json.Unmarshal(trim, &list); err != nil {
			return nil, fmt.Errorf("not a list of ParameterKey/ParameterValue: %w", err)
		}
		for i, p := range list {
			if p.ParameterKey == "" {
				return nil, fmt.Errorf("entry %d has no ParameterKey", i)
			}
			v, err := paramString(p.ParameterValue)
			if err != nil {
				return nil, fmt.Errorf("parameter %s: %w", p.ParameterKey, err)
			}
			out[p.ParameterKey] = v
		}
		return out, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(trim, &m); err != nil {
		return nil, fmt.Errorf("not a JSON object or list: %w", err)
	}
	if inner, ok := m["Parameters"]; ok {
		m = nil
		if err := json.Unmarshal(inner, &m); err != nil {
			return nil, fmt.Errorf("the Parameters member is not an object: %w", err)
		}
	}
	for k, raw := range m {
		v, err := paramString(raw)
		if err != nil {
			return nil, fmt.Errorf("parameter %s: %w", k, err)
		}
		out[k] = v
	}
	return out, nil
}

func paramString(raw json.RawMessage) (string, error) {
	if len(raw) == 0 {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s, nil
	}
	var list []string
	if json.Unmarshal(raw, &list) == nil {
		return strings.Join(list, ","), nil
	}
	var n json.Number
	if json.Unmarshal(raw, &n) == nil {
		return n.String(), nil
	}
	var b bool
	if json.Unmarshal(raw, &b) == nil {
		return fmt.Sprint(b), nil
	}
	return "", errors.New("value is not a string, number, boolean or list of strings")
}

// ReadTemplate evaluates one template (and the nested stacks it names
// inside Root) into a graph fragment. Problems in the input are
// diagnostics on the graph; it never panics.
func ReadTemplate(ctx context.Context, path string, data []byte, opts Options) (g *graph.Graph) {
	rd := newReader(ctx, filepath.Dir(path), opts)
	defer rd.recoverInto(&g, path)
	name := rd.opts.StackName
	if name == "" {
		name = stackNameOf(path)
	}
	if s := rd.loadStack(path, data, name, "", nil, 0); s != nil {
		rd.mapStack(s)
	}
	return rd.finish()
}

// recoverInto turns a panic (a bug, never expected) into an error
// diagnostic so that one bad template does not bring down the analysis.
func (rd *reader) recoverInto(g **graph.Graph, path string) {
	if p := recover(); p != nil {
		out := graph.New()
		out.Diagnostics = append(rd.diags, graph.Diagnostic{Severity: graph.SeverityError,
			Summary: fmt.Sprintf("internal error reading the template: %v", p), Range: graph.Range{File: path}})
		*g = out
	}
}

// stackNameOf derives a stack name from a file name.
func stackNameOf(path string) string {
	base := filepath.Base(path)
	for {
		ext := filepath.Ext(base)
		if ext == "" || ext == base {
			break
		}
		base = strings.TrimSuffix(base, ext)
	}
	return base
}

// loadStack parses and prepares one template; nil when it cannot be read.
func (rd *reader) loadStack(path string, data []byte, name, prefix string, given map[string]*val, depth int) *stack {
	return rd.loadStackEnv(path, data, name, prefix, given, depth, rd.opts.Account, rd.opts.Region)
}

// loadStackEnv is loadStack for a stack deployed to account and region.
func (rd *reader) loadStackEnv(path string, data []byte, name, prefix string, given map[string]*val, depth int, account, region string) *stack {
	src := newSource(path, data)
	whole := graph.Range{File: path, Start: graph.Pos{Line: 1, Column: 1}}
	if int64(len(data)) > rd.opts.Limits.MaxFileSize {
		rd.diag(graph.SeverityError, fmt.Sprintf("template is %d bytes, larger than the limit of %d bytes; not read", len(data), rd.opts.Limits.MaxFileSize), "", whole)
		return nil
	}
	if d := checkText(path, data, rd.opts.Limits.MaxDepth); d != nil {
		rd.diags = append(rd.diags, *d)
		return nil
	}
	root, diags, err := parseTemplate(src, limits{maxAliases: rd.opts.Limits.MaxAliases, maxDepth: rd.opts.Limits.MaxDepth, maxNodes: maxValues})
	rd.diags = append(rd.diags, diags...)
	if err != nil {
		rd.diag(graph.SeverityError, "cannot read template: "+err.Error(), "", errRange(src, err, whole))
		return nil
	}
	if root.kind != mapNode {
		rd.diag(graph.SeverityError, "template is not a mapping", "", root.rng)
		return nil
	}
	s := &stack{rd: rd, src: src, name: name, prefix: prefix, dir: filepath.Dir(path), root: root,
		params: map[string]*val{}, paramDef: map[string]*node{}, condDef: map[string]*node{},
		condMemo: map[string]*val{}, condBusy: map[string]bool{}, res: map[string]*resource{},
		depth: depth, region: region, account: account, warned: map[string]bool{}}
	if t := root.entry("Transform"); t != nil {
		s.warn(t.rng, "Transform (macros such as AWS::Serverless) is not expanded; resources it would generate are missing")
	}
	s.mappings = root.get("Mappings")
	if c := root.get("Conditions"); c != nil && c.kind == mapNode {
		for _, e := range c.ents {
			s.condDef[e.key] = e.val
		}
	}
	s.loadParams(given)
	res := root.entry("Resources")
	if res == nil || res.val.kind != mapNode {
		if res != nil {
			rd.diag(graph.SeverityError, "Resources is not a mapping", "", res.rng)
		} else {
			rd.diag(graph.SeverityError, "template has no Resources", "", root.rng)
		}
		return s
	}
	for _, e := range res.val.ents {
		if e.val.kind != mapNode {
			rd.diag(graph.SeverityError, fmt.Sprintf("resource %s is not a mapping", e.key), "", e.rng)
			continue
		}
		typ, ok := literal(e.val.get("Type"))
		if !ok || typ == "" {
			rd.diag(graph.SeverityError, fmt.Sprintf("resource %s has no Type", e.key), "", e.keyRng)
			continue
		}
		if !rd.claim(e) {
			break
		}
		s.res[e.key] = &resource{logical: e.key, typ: typ, def: e.val, ent: e}
		s.order = append(s.order, e.key)
	}
	for _, l := range s.order {
		r := s.res[l]
		cn := r.def.get("Condition")
		if cn == nil {
			continue
		}
		name, ok := literal(cn)
		if !ok {
			s.warn(cn.rng, "Condition of %s must be a condition name", l)
			continue
		}
		c := s.condition(name, cn.rng)
		if b, ok := c.boolean(); ok {
			r.skipped = !b
		} else {
			r.condUnk = true
			s.warn(cn.rng, "condition %s of %s is unknown (%s); the resource is read as if it were created", name, l, c.why)
		}
	}
	rd.stacks = append(rd.stacks, s)
	return s
}

// errRange extracts "line N" from a yaml error when there is one.
func errRange(src *source, err error, def graph.Range) graph.Range {
	msg := err.Error()
	i := strings.Index(msg, "line ")
	if i < 0 {
		return def
	}
	n := 0
	for _, c := range msg[i+5:] {
		if c < '0' || c > '9' {
			break
		}
		n = n*10 + int(c-'0')
	}
	if n < 1 || n > len(src.lineStarts) {
		return def
	}
	return src.lineRange(n)
}

// loadParams evaluates the Parameters section with the given values.
func (s *stack) loadParams(given map[string]*val) {
	ps := s.root.get("Parameters")
	if ps == nil || ps.kind != mapNode {
		return
	}
	for _, e := range ps.ents {
		s.paramDef[e.key] = e.val
		typ, _ := literal(e.val.get("Type"))
		var v, gv *val
		if given == nil {
			s.rd.declared[e.key] = true
		}
		if given != nil {
			gv = given[e.key]
		} else if p, ok := s.rd.params[e.key]; ok {
			gv = strVal(p, e.rng)
		}
		switch {
		case gv != nil:
			v = gv
		case e.val.get("Default") != nil:
			v = s.eval(e.val.get("Default"))
			if v.kind == vList {
				parts := make([]string, 0, len(v.list))
				for _, it := range v.list {
					p, _ := it.str()
					parts = append(parts, p)
				}
				v = strVal(strings.Join(parts, ","), v.rng)
			}
		default:
			s.rd.diag(graph.SeverityInfo, fmt.Sprintf("parameter %s has no value (no default and none given); what depends on it stays unknown", e.key), "", e.keyRng)
			v = unknownVal("parameter "+e.key+" has no value", e.rng)
		}
		if gv != nil && gv.kind == vStr {
			s.checkAllowed(e, gv.s)
		}
		if strings.HasPrefix(typ, "AWS::SSM::Parameter::Value<") {
			v = unknownVal("parameter "+e.key+" is read from SSM Parameter Store at deployment", e.rng)
		} else if v.kind == vStr && (typ == "CommaDelimitedList" || strings.HasPrefix(typ, "List<")) {
			list := &val{kind: vList, rng: v.rng}
			if v.s != "" {
				for _, p := range strings.Split(v.s, ",") {
					list.list = append(list.list, strVal(strings.TrimSpace(p), v.rng))
				}
			}
			v = list
		}
		s.params[e.key] = v
	}
}

// checkAllowed warns when a given parameter value is not among the
// parameter's AllowedValues (CloudFormation would reject the stack).
func (s *stack) checkAllowed(e *entry, v string) {
	allowed := e.val.get("AllowedValues")
	if allowed == nil || allowed.kind != seqNode {
		return
	}
	var vals []string
	for _, it := range allowed.items {
		a, _ := literal(it)
		if a == v {
			return
		}
		vals = append(vals, a)
	}
	s.warn(e.keyRng, "parameter %s is %q, not one of its AllowedValues %v; CloudFormation would reject it", e.key, v, vals)
}

// finish builds the graph fragment.
func (rd *reader) finish() *graph.Graph {
	rd.warnUndeclared()
	rd.b.finalize(rd)
	g := graph.New()
	for _, id := range sortedKeys(rd.b.nodes) {
		if d := g.Add(rd.b.nodes[id]); d != nil {
			rd.diags = append(rd.diags, *d)
		}
	}
	g.Diagnostics = append(g.Diagnostics, rd.diags...)
	return g
}

// within reports whether path (made absolute, symlinks resolved) stays
// inside the reader's root.
func (rd *reader) within(path string) (string, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		return "", fmt.Errorf("resolve %s: %w", path, err)
	}
	if rd.opts.AllowOutsideRoot {
		return real, nil
	}
	rel, err := filepath.Rel(rd.root, real)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) || filepath.IsAbs(rel) {
		return "", fmt.Errorf("%s is outside the scanned root %s; not followed (allow it with AllowOutsideRoot)", path, rd.root)
	}
	return real, nil
}

// readFile reads a file inside the root within the size limit.
func (rd *reader) readFile(path string) ([]byte, error) {
	real, err := rd.within(path)
	if err != nil {
		return nil, err
	}
	fi, err := os.Stat(real)
	if err != nil {
		return nil, fmt.Errorf("stat %s: %w", path, err)
	}
	if fi.Size() > rd.opts.Limits.MaxFileSize {
		return nil, fmt.Errorf("%s is %d bytes, larger than the limit of %d bytes", path, fi.Size(), rd.opts.Limits.MaxFileSize)
	}
	data, err := os.ReadFile(real)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}
