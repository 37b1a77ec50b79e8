package policies

import (
	"fmt"
	"reflect"
	"sort"
	"strings"

	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// InputVersion is the version of the input document handed to every rule
// (input.version). It changes when a field is renamed or removed; new fields
// do not change it.
const InputVersion = "1"

// InputDocument builds the document every rule sees as input, as plain Go
// values (maps, slices, strings, numbers, booleans): what `vpcgate graph
// --format input` prints and what users write their policies against. It is
// described in README.md.
func InputDocument(g *graph.Graph) (map[string]any, error) {
	v := inputValue(g)
	j, err := ast.JSON(v)
	if err != nil {
		return nil, fmt.Errorf("policy input: %w", err)
	}
	m, ok := j.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("policy input: built %T, not an object", j)
	}
	return m, nil
}

// inputValue builds the input document as an OPA value, directly from the
// graph's typed nodes (no JSON round trip).
func inputValue(g *graph.Graph) ast.Value {
	usedBy := securityGroupUsers(g)
	hosts := subnetHosts(g)

	resources := ast.NewObject()
	for _, k := range graph.Kinds {
		nodes := g.Of(k)
		byID := ast.NewObject()
		for _, n := range nodes {
			b := n.Meta()
			obj := nodeObject(n)
			derived := ast.NewObject()
			switch k {
			case graph.KindSubnet:
				if f := g.Facts.Subnets[b.ID]; f != nil {
					derived = structObject(reflect.ValueOf(f).Elem())
				}
				derived.Insert(ast.StringTerm("hosts"), stringArray(hosts[b.ID]))
			case graph.KindSecurityGroup:
				derived.Insert(ast.StringTerm("used_by"), stringArray(usedBy[b.ID]))
			}
			if f := g.Facts.Nodes[b.ID]; f != nil {
				fo := structObject(reflect.ValueOf(f).Elem())
				fo.Foreach(func(key, value *ast.Term) { derived.Insert(key, value) })
			}
			obj.Insert(ast.StringTerm("derived"), ast.NewTerm(derived))
			byID.Insert(ast.StringTerm(b.ID), ast.NewTerm(obj))
		}
		resources.Insert(ast.StringTerm(string(k)), ast.NewTerm(byID))
	}

	doc := ast.NewObject(
		ast.Item(ast.StringTerm("version"), ast.StringTerm(InputVersion)),
		ast.Item(ast.StringTerm("resources"), ast.NewTerm(resources)),
		ast.Item(ast.StringTerm("sg_links"), toTerm(reflect.ValueOf(g.Facts.SGLinks))),
		ast.Item(ast.StringTerm("lb_targets"), toTerm(reflect.ValueOf(g.Facts.LBTargets))),
	)
	return doc
}

// nodeObject converts one node: the common fields, then the typed ones.
func nodeObject(n graph.Node) ast.Object {
	b := n.Meta()
	obj := structObject(reflect.ValueOf(n).Elem())
	tags := ast.NewObject()
	for k, v := range b.Tags {
		tags.Insert(ast.StringTerm(k), ast.StringTerm(v))
	}
	unknown := append([]string(nil), b.Unknown...)
	sort.Strings(unknown)
	obj.Insert(ast.StringTerm("id"), ast.StringTerm(b.ID))
	obj.Insert(ast.StringTerm("kind"), ast.StringTerm(string(b.Kind)))
	obj.Insert(ast.StringTerm("name"), ast.StringTerm(b.Name))
	obj.Insert(ast.StringTerm("tags"), ast.NewTerm(tags))
	obj.Insert(ast.StringTerm("unknown"), stringArray(unknown))
	obj.Insert(ast.StringTerm("form"), ast.StringTerm(string(b.Source.Form)))
	obj.Insert(ast.StringTerm("address"), ast.StringTerm(b.Source.Address))
	return obj
}

// securityGroupUsers maps a security group id to the sorted ids of the nodes
// that use it, from the nodes' own references and the derived facts.
func securityGroupUsers(g *graph.Graph) map[string][]string {
	sets := map[string]map[string]bool{}
	add := func(sg, id string) {
		if sets[sg] == nil {
			sets[sg] = map[string]bool{}
		}
		sets[sg][id] = true
	}
	for _, n := range g.Nodes() {
		id := n.Meta().ID
		for _, r := range n.Refs() {
			if r.Kind == graph.EdgeUsesSG {
				add(r.To, id)
			}
		}
	}
	for id, f := range g.Facts.Nodes {
		if f == nil {
			continue
		}
		for _, sg := range f.SecurityGroups {
			add(sg, id)
		}
	}
	return sortedSets(sets)
}

// subnetHosts maps a subnet id to the sorted ids of the nodes placed in it
// (directly, through derived facts, or through a DB subnet group).
func subnetHosts(g *graph.Graph) map[string][]string {
	sets := map[string]map[string]bool{}
	add := func(sn, id string) {
		if sets[sn] == nil {
			sets[sn] = map[string]bool{}
		}
		sets[sn][id] = true
	}
	groups := map[string][]string{}
	for _, sg := range g.DBSubnetGroups() {
		groups[sg.ID] = sg.SubnetIDs
	}
	for _, n := range g.Nodes() {
		b := n.Meta()
		if b.Kind == graph.KindDBSubnetGroup || b.Kind == graph.KindTransitGatewayAttachment {
			continue
		}
		for _, r := range n.Refs() {
			switch r.Kind {
			case graph.EdgeInSubnet:
				add(r.To, b.ID)
			case graph.EdgeSubnetGroup:
				for _, sn := range groups[r.To] {
					add(sn, b.ID)
				}
			}
		}
	}
	for id, f := range g.Facts.Nodes {
		if f == nil {
			continue
		}
		for _, sn := range f.Subnets {
			add(sn, id)
		}
	}
	return sortedSets(sets)
}

func sortedSets(sets map[string]map[string]bool) map[string][]string {
	out := make(map[string][]string, len(sets))
	for k, set := range sets {
		ids := make([]string, 0, len(set))
		for id := range set {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		out[k] = ids
	}
	return out
}

func stringArray(ss []string) *ast.Term {
	terms := make([]*ast.Term, len(ss))
	for i, s := range ss {
		terms[i] = ast.StringTerm(s)
	}
	return ast.ArrayTerm(terms...)
}

// structObject converts a struct following its json tags. Every field is
// present (omitempty is ignored) so rules can rely on it; fields tagged "-"
// (ranges, the embedded Base) are left out.
func structObject(v reflect.Value) ast.Object {
	obj := ast.NewObject()
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" || (tag == "" && f.Anonymous) {
			continue
		}
		if name == "" {
			name = f.Name
		}
		obj.Insert(ast.StringTerm(name), toTerm(v.Field(i)))
	}
	return obj
}

// toTerm converts a Go value of the graph model to an OPA term. Nil slices
// become empty arrays and nil pointers null.
func toTerm(v reflect.Value) *ast.Term {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return ast.NullTerm()
		}
		return toTerm(v.Elem())
	case reflect.String:
		return ast.StringTerm(v.String())
	case reflect.Bool:
		return ast.BooleanTerm(v.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return ast.IntNumberTerm(int(v.Int()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return ast.UIntNumberTerm(v.Uint())
	case reflect.Float32, reflect.Float64:
		return ast.FloatNumberTerm(v.Float())
	case reflect.Slice, reflect.Array:
		terms := make([]*ast.Term, v.Len())
		for i := range terms {
			terms[i] = toTerm(v.Index(i))
		}
		return ast.ArrayTerm(terms...)
	case reflect.Map:
		obj := ast.NewObject()
		iter := v.MapRange()
		for iter.Next() {
			obj.Insert(ast.StringTerm(fmt.Sprint(iter.Key().Interface())), toTerm(iter.Value()))
		}
		return ast.NewTerm(obj)
	case reflect.Struct:
		return ast.NewTerm(structObject(v))
	}
	return ast.NullTerm()
}
