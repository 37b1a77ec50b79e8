package terraform

import (
	"math/big"
	"sort"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
)

// rd reads the attributes of an evaluated block into a node, recording the
// range of each attribute it reads and the attributes whose value is
// unknown.
type rd struct {
	o *obj
	b *graph.Base
	// nested readers (a block inside the resource) record a range only
	// under an explicit model name, and only the first one.
	nested bool
}

// aliases maps a Terraform attribute name to the extra model names its range
// is recorded under.
var attrAliases = map[string][]string{
	"associate_public_ip_address": {"associate_public_ip"},
	"internal":                    {"scheme"},
	"vpc_security_group_ids":      {"security_groups"},
	"security_group_ids":          {"security_groups"},
	"subnets":                     {"subnet_ids"},
	"vpc_zone_identifier":         {"subnet_ids"},
	"db_subnet_group_name":        {"db_subnet_group"},
	"instance_class":              {"instance_class"},
	"load_balancer_type":          {"type"},
	"cidr_block":                  {"cidr_blocks"},
	"default_action":              {"default_actions"},
	"certificate_arn":             {"certificates"},
}

// get returns attribute name, recording its range under name and model.
func (r rd) get(name, model string) (*val, bool) {
	a, ok := r.o.attrs[name]
	if !ok {
		return nil, false
	}
	if r.b != nil && a.rng.Filename != "" && r.nested {
		if _, set := r.b.Attrs[model]; model != "" && !set {
			r.b.SetAttr(model, r.o.file.rng(a.rng))
		}
	} else if r.b != nil && a.rng.Filename != "" {
		r.b.SetAttr(name, r.o.file.rng(a.rng))
		if model != "" && model != name {
			r.b.SetAttr(model, r.o.file.rng(a.rng))
		}
		for _, al := range attrAliases[name] {
			if _, set := r.b.Attrs[al]; !set {
				r.b.SetAttr(al, r.o.file.rng(a.rng))
			}
		}
	}
	if a.v.IsNull() {
		return nil, false
	}
	if !a.v.IsWhollyKnown() {
		r.unknown(model, name)
		return a, true
	}
	return a, true
}

func (r rd) unknown(model, name string) {
	if r.b == nil {
		return
	}
	if model == "" {
		model = name
	}
	if !r.b.IsUnknown(model) {
		r.b.Unknown = append(r.b.Unknown, model)
	}
}

// str reads a string attribute; "" when absent or unknown.
func (r rd) str(name, model string) string {
	a, ok := r.get(name, model)
	if !ok {
		return ""
	}
	s, known := asString(a.v)
	if !known {
		r.unknown(model, name)
	}
	return s
}

// strs reads a list or set of strings; unknown elements are left out and
// mark the attribute unknown.
func (r rd) strs(name, model string) []string {
	a, ok := r.get(name, model)
	if !ok {
		return nil
	}
	out, known := asStrings(a.v)
	if !known {
		r.unknown(model, name)
	}
	return out
}

// boolp reads a bool; nil when absent or unknown.
func (r rd) boolp(name, model string) *bool {
	a, ok := r.get(name, model)
	if !ok {
		return nil
	}
	v, err := convert.Convert(a.v, cty.Bool)
	if err != nil || !v.IsKnown() || v.IsNull() {
		r.unknown(model, name)
		return nil
	}
	b := v.True()
	return &b
}

// boolOr reads a bool with a default.
func (r rd) boolOr(name, model string, def bool) bool {
	if p := r.boolp(name, model); p != nil {
		return *p
	}
	return def
}

// num reads a whole number; ok is false when absent or unknown.
func (r rd) num(name, model string) (int, bool) {
	a, found := r.get(name, model)
	if !found {
		return 0, false
	}
	n, ok := asInt(a.v)
	if !ok {
		r.unknown(model, name)
	}
	return n, ok
}

// numOr reads a whole number with a default.
func (r rd) numOr(name, model string, def int) int {
	if n, ok := r.num(name, model); ok {
		return n
	}
	return def
}

// blocks returns nested blocks; an unknown dynamic block marks model
// unknown.
func (r rd) blocks(name, model string) []*obj {
	if _, ok := r.o.unknownBlocks[name]; ok {
		r.unknown(model, name)
	}
	bs := r.o.subBlocks(name)
	if a, ok := r.o.attrs[name]; ok && r.b != nil && !r.nested && a.rng.Filename != "" {
		r.b.SetAttr(name, r.o.file.rng(a.rng))
		if !a.v.IsWhollyKnown() {
			r.unknown(model, name)
		}
	} else if len(bs) > 0 && r.b != nil && !r.nested {
		if _, set := r.b.Attrs[name]; !set {
			r.b.SetAttr(name, r.o.file.rng(bs[0].rng))
		}
	}
	return bs
}

// block returns the first nested block called name, or nil.
func (r rd) block(name string) *obj {
	bs := r.blocks(name, "")
	if len(bs) == 0 {
		return nil
	}
	return bs[0]
}

// sub reads a nested block into the same node.
func (r rd) sub(o *obj) rd { return rd{o: o, b: r.b, nested: true} }

// rangeOf returns the graph range of attribute name, or of the block.
func (r rd) rangeOf(name string) graph.Range {
	if a, ok := r.o.attrs[name]; ok && a.rng.Filename != "" {
		return r.o.file.rng(a.rng)
	}
	return r.o.file.rng(r.o.rng)
}

func (r rd) blockRange() graph.Range { return r.o.file.rng(r.o.rng) }

// tags reads the tags map.
func (r rd) tags() map[string]string {
	a, ok := r.get("tags", "tags")
	if !ok || !a.v.IsKnown() || !a.v.CanIterateElements() {
		return nil
	}
	out := map[string]string{}
	for it := a.v.ElementIterator(); it.Next(); {
		k, v := it.Element()
		if s, known := asString(v); known && k.IsKnown() && k.Type() == cty.String {
			out[k.AsString()] = s
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func asString(v cty.Value) (string, bool) {
	if v.IsNull() {
		return "", true
	}
	if !v.IsKnown() {
		return "", false
	}
	s, err := convert.Convert(v, cty.String)
	if err != nil || !s.IsKnown() {
		return "", false
	}
	if s.IsNull() {
		return "", true
	}
	return s.AsString(), true
}

func asStrings(v cty.Value) ([]string, bool) {
	if v.IsNull() {
		return nil, true
	}
	if !v.IsKnown() {
		return nil, false
	}
	t := v.Type()
	if t == cty.String {
		s, ok := asString(v)
		if s == "" {
			return nil, ok
		}
		return []string{s}, ok
	}
	if !(t.IsListType() || t.IsSetType() || t.IsTupleType()) {
		return nil, false
	}
	known := true
	var out []string
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsKnown() && !e.IsNull() && (e.Type().IsListType() || e.Type().IsTupleType() || e.Type().IsSetType()) {
			// A nested list (a splat inside a list): flatten it.
			inner, ok := asStrings(e)
			known = known && ok
			out = append(out, inner...)
			continue
		}
		s, ok := asString(e)
		if !ok {
			known = false
			continue
		}
		if s != "" {
			out = append(out, s)
		}
	}
	if t.IsSetType() {
		sort.Strings(out)
	}
	return out, known
}

func asInt(v cty.Value) (int, bool) {
	if !v.IsKnown() || v.IsNull() {
		return 0, false
	}
	n, err := convert.Convert(v, cty.Number)
	if err != nil || !n.IsKnown() || n.IsNull() {
		return 0, false
	}
	i, acc := n.AsBigFloat().Int64()
	if acc != big.Exact || i > 1<<31 || i < -(1<<31) {
		return 0, false
	}
	return int(i), true
}

func sortStrings(s []string) { sort.Strings(s) }

// sortedKeys returns the keys of m in order, so that evaluation (and the
// diagnostics it raises) does not depend on map iteration.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// sortDiagnostics orders diagnostics by file, position, severity and text.
func sortDiagnostics(ds []graph.Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Range != b.Range {
			return a.Range.Less(b.Range)
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		return a.Summary < b.Summary
	})
}

// exprText returns the source text of attribute name's expression
// ("var.sg_id", "data.aws_security_group.shared.id"), or "" when the
// attribute is absent or comes from a plan.
func (r rd) exprText(name string) string {
	a, ok := r.o.attrs[name]
	if !ok || a.expr == nil || r.o.file == nil {
		return ""
	}
	rg := a.expr.Range()
	src := r.o.file.src
	if rg.Start.Byte < 0 || rg.End.Byte > len(src) || rg.Start.Byte >= rg.End.Byte {
		return ""
	}
	return strings.Join(strings.Fields(string(src[rg.Start.Byte:rg.End.Byte])), " ")
}
