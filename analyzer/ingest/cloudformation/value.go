package cloudformation

import (
	"strconv"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// vkind is the shape of an evaluated value.
type vkind uint8

const (
	vStr     vkind = iota // a scalar (CloudFormation compares numbers and booleans as strings)
	vNull                 // YAML null
	vList                 // a list
	vMap                  // a mapping
	vRef                  // a resource's identity (Ref or an id attribute): a node id
	vUnknown              // known only after deployment, or not evaluable
	vNoValue              // AWS::NoValue: the property is removed
)

// val is an evaluated template value with the range it came from.
type val struct {
	kind vkind
	s    string // vStr: the scalar; vRef: the node id
	typ  string // vRef: the CloudFormation resource type
	list []*val
	// keys, vals and erng hold a mapping's entries in order: the key, its
	// value and the range of the entry (key to value). Mappings are small:
	// slices beat maps here.
	keys []string
	vals []*val
	erng []graph.Range
	rng  graph.Range
	why  string // vUnknown: the reason
	// res and st are the resource a vRef names and the stack it is in.
	res *resource
	st  *stack
}

func strVal(s string, r graph.Range) *val { return &val{kind: vStr, s: s, rng: r} }

func unknownVal(why string, r graph.Range) *val { return &val{kind: vUnknown, why: why, rng: r} }

// get returns the value of key k of a mapping, or nil.
func (v *val) get(k string) *val {
	if v == nil || v.kind != vMap {
		return nil
	}
	for i, key := range v.keys {
		if key == k {
			return v.vals[i]
		}
	}
	return nil
}

// path walks mapping keys.
func (v *val) path(keys ...string) *val {
	for _, k := range keys {
		v = v.get(k)
	}
	return v
}

// entryRange returns the range of key k of a mapping (key to value), else
// the value's own range.
func (v *val) entryRange(k string) (graph.Range, bool) {
	if v == nil || v.kind != vMap {
		return graph.Range{}, false
	}
	for i, key := range v.keys {
		if key == k {
			return v.erng[i], true
		}
	}
	return graph.Range{}, false
}

// isUnknown reports whether v or anything in it is unknown.
func (v *val) isUnknown() bool {
	if v == nil {
		return false
	}
	switch v.kind {
	case vUnknown:
		return true
	case vList:
		for _, it := range v.list {
			if it.isUnknown() {
				return true
			}
		}
	case vMap:
		for _, e := range v.vals {
			if e.isUnknown() {
				return true
			}
		}
	}
	return false
}

// str returns a scalar's text; ok is false for anything else.
func (v *val) str() (string, bool) {
	if v == nil || v.kind != vStr {
		return "", false
	}
	return v.s, true
}

// id returns the node id a value names: a reference's node id or a
// literal AWS id.
func (v *val) id() (string, bool) {
	if v == nil {
		return "", false
	}
	switch v.kind {
	case vRef, vStr:
		return v.s, v.s != ""
	}
	return "", false
}

// boolean reads a CloudFormation boolean ("true", "false", any case).
func (v *val) boolean() (b, ok bool) {
	s, ok := v.str()
	if !ok {
		return false, false
	}
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	return false, false
}

// integer reads an integer, also from a float written as "80.0".
func (v *val) integer() (int, bool) {
	s, ok := v.str()
	if !ok {
		return 0, false
	}
	s = strings.TrimSpace(s)
	if i, err := strconv.Atoi(s); err == nil {
		return i, true
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil && f == float64(int(f)) {
		return int(f), true
	}
	return 0, false
}

// number reads a float.
func (v *val) number() (float64, bool) {
	s, ok := v.str()
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
	return f, err == nil
}

// items returns a list's items; a scalar counts as a list of one.
func (v *val) items() []*val {
	if v == nil {
		return nil
	}
	switch v.kind {
	case vList:
		return v.list
	case vNull, vNoValue:
		return nil
	}
	return []*val{v}
}
