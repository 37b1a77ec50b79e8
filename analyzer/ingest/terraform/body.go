package terraform

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// obj is an evaluated block: attribute values with their ranges, and nested
// blocks (dynamic blocks expanded).
type obj struct {
	file   *file
	rng    hcl.Range // the whole block
	attrs  map[string]*val
	blocks map[string][]*obj
	// unknownBlocks names nested block types whose dynamic for_each is
	// unknown.
	unknownBlocks map[string]hcl.Range // the dynamic block
}

// val is an evaluated attribute.
type val struct {
	v   cty.Value
	rng hcl.Range // the whole attribute, name = value
	// expr is the value expression (nil for plan input), used to find the
	// range of one element of a list.
	expr hclsyntax.Expression
}

// meta-arguments that are not resource attributes.
var metaArgs = map[string]bool{"count": true, "for_each": true, "provider": true, "depends_on": true, "lifecycle": true}

// evalAttrs evaluates the top-level attributes of a resource body.
func (m *modInst) evalAttrs(b *hclsyntax.Body, sc *scope, f *file) map[string]*val {
	out := make(map[string]*val, len(b.Attributes))
	for _, name := range sortedKeys(b.Attributes) {
		a := b.Attributes[name]
		if metaArgs[name] {
			continue
		}
		out[name] = &val{v: m.eval(a.Expr, sc, f), rng: a.SrcRange, expr: a.Expr}
	}
	return out
}

// evalBlocks evaluates the nested blocks of a body into o, expanding
// dynamic blocks.
func (m *modInst) evalBlocks(o *obj, b *hclsyntax.Body, sc *scope, depth int) {
	if depth > 32 {
		return
	}
	for _, nb := range b.Blocks {
		switch {
		case nb.Type == "lifecycle" || nb.Type == "provisioner" || nb.Type == "connection" || nb.Type == "timeouts":
			continue
		case nb.Type == "dynamic" && len(nb.Labels) == 1:
			m.expandDynamic(o, nb, sc, depth)
		default:
			o.addBlock(nb.Type, m.evalBody(nb, sc, o.file, depth+1))
		}
	}
}

func (o *obj) addBlock(name string, c *obj) {
	if o.blocks == nil {
		o.blocks = map[string][]*obj{}
	}
	o.blocks[name] = append(o.blocks[name], c)
}

// evalBody evaluates one block completely.
func (m *modInst) evalBody(b *hclsyntax.Block, sc *scope, f *file, depth int) *obj {
	o := &obj{file: f, rng: b.Range(), attrs: m.evalAttrs(b.Body, sc, f)}
	m.evalBlocks(o, b.Body, sc, depth)
	return o
}

// expandDynamic evaluates a dynamic block: one content block per element
// of for_each, with the iterator bound.
func (m *modInst) expandDynamic(o *obj, nb *hclsyntax.Block, sc *scope, depth int) {
	name := nb.Labels[0]
	fe, ok := nb.Body.Attributes["for_each"]
	if !ok {
		m.ev.warn(o.file, nb.DefRange(), fmt.Sprintf("dynamic %q has no for_each", name), "")
		return
	}
	iter := name
	if a, ok := nb.Body.Attributes["iterator"]; ok {
		if kw := hcl.ExprAsKeyword(a.Expr); kw != "" {
			iter = kw
		}
	}
	var content *hclsyntax.Block
	for _, c := range nb.Body.Blocks {
		if c.Type == "content" {
			content = c
		}
	}
	if content == nil {
		m.ev.warn(o.file, nb.DefRange(), fmt.Sprintf("dynamic %q has no content block", name), "")
		return
	}
	v := m.eval(fe.Expr, sc, o.file)
	if !v.IsKnown() || v.IsNull() || !v.CanIterateElements() {
		if v.IsKnown() && !v.IsNull() {
			m.ev.warn(o.file, fe.Expr.Range(), fmt.Sprintf("dynamic %q: for_each must be a collection, not %s", name, v.Type().FriendlyName()), "")
		} else {
			m.ev.warn(o.file, fe.Expr.Range(), fmt.Sprintf("dynamic %q: for_each is not known statically", name), "the blocks it makes are unknown")
		}
		if o.unknownBlocks == nil {
			o.unknownBlocks = map[string]hcl.Range{}
		}
		o.unknownBlocks[name] = nb.Range()
		return
	}
	n := 0
	for it := v.ElementIterator(); it.Next(); {
		if n++; n > maxInstances {
			m.ev.warn(o.file, fe.Expr.Range(), fmt.Sprintf("dynamic %q makes more than %d blocks; the rest are ignored", name, maxInstances), "")
			break
		}
		k, e := it.Element()
		inner := sc.with(iter, cty.ObjectVal(map[string]cty.Value{"key": k, "value": e}))
		c := m.evalBody(content, inner, o.file, depth+1)
		c.rng = nb.Range()
		o.addBlock(name, c)
	}
}

// subBlocks returns the nested blocks called name, or the elements of an
// attribute of that name written as a list of objects (the "attributes as
// blocks" form, and how plan JSON renders blocks).
func (o *obj) subBlocks(name string) []*obj {
	if bs, ok := o.blocks[name]; ok {
		return bs
	}
	a, ok := o.attrs[name]
	if !ok || !a.v.IsKnown() || a.v.IsNull() {
		return nil
	}
	t := a.v.Type()
	if !(t.IsListType() || t.IsSetType() || t.IsTupleType()) {
		if t.IsObjectType() || t.IsMapType() {
			return []*obj{o.objOf(a.v, a.rng, nil)}
		}
		return nil
	}
	var items []hclsyntax.Expression
	if tc, ok := a.expr.(*hclsyntax.TupleConsExpr); ok {
		items = tc.Exprs
	}
	var out []*obj
	i := 0
	for it := a.v.ElementIterator(); it.Next(); i++ {
		_, e := it.Element()
		r := a.rng
		var ex hclsyntax.Expression
		if i < len(items) {
			r = items[i].Range()
			ex = items[i]
		}
		if !e.IsKnown() || e.IsNull() || !(e.Type().IsObjectType() || e.Type().IsMapType()) {
			continue
		}
		out = append(out, o.objOf(e, r, ex))
	}
	return out
}

// objOf wraps an object value as a block, taking attribute ranges from an
// object constructor expression when there is one.
func (o *obj) objOf(v cty.Value, r hcl.Range, ex hclsyntax.Expression) *obj {
	c := &obj{file: o.file, rng: r, attrs: map[string]*val{}}
	itemRanges := map[string]hcl.Range{}
	if oc, ok := ex.(*hclsyntax.ObjectConsExpr); ok {
		for _, it := range oc.Items {
			if k := hcl.ExprAsKeyword(it.KeyExpr); k != "" {
				itemRanges[k] = hcl.RangeBetween(it.KeyExpr.Range(), it.ValueExpr.Range())
			}
		}
	}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		ar, ok := itemRanges[k.AsString()]
		if !ok {
			ar = r
		}
		c.attrs[k.AsString()] = &val{v: e, rng: ar}
	}
	return c
}
