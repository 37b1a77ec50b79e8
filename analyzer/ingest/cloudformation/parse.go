package cloudformation

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// nodeKind is the shape of a parsed template node.
type nodeKind uint8

const (
	scalarNode nodeKind = iota
	mapNode
	seqNode
)

// node is one value of a template with its position. Short-form tags are
// already rewritten into their long form ({"Fn::Join": [...]}), so the
// evaluator sees one shape for YAML and JSON.
type node struct {
	kind  nodeKind
	value string            // scalars
	tag   string            // scalars: !!str, !!int, !!bool, !!null…
	ents  []*entry          // mappings, in document order
	index map[string]*entry // mappings with many keys: key → entry
	items []*node           // sequences
	rng   graph.Range
}

// entry is one key of a mapping: its name, the value and the range from
// the key's start to the value's end.
type entry struct {
	key    string
	keyRng graph.Range
	val    *node
	rng    graph.Range
}

// get returns the value of key k of a mapping, or nil.
func (n *node) get(k string) *node {
	if e := n.entry(k); e != nil {
		return e.val
	}
	return nil
}

// entry returns the entry of key k of a mapping, or nil.
func (n *node) entry(k string) *entry {
	if n == nil || n.kind != mapNode {
		return nil
	}
	if n.index != nil {
		return n.index[k]
	}
	for _, e := range n.ents {
		if e.key == k {
			return e
		}
	}
	return nil
}

// limits bound what one template may cost to read.
type limits struct {
	maxAliases int
	maxDepth   int
	maxNodes   int
}

// source converts yaml.v3 positions (1-based line, 1-based column counted in
// characters) into graph positions (columns in bytes, byte offsets).
type source struct {
	file       string
	data       []byte
	lineStarts []int
	// nonASCII marks the lines holding multi-byte characters; runeOffsets
	// caches, for those lines, the byte offset of each character.
	nonASCII    map[int]bool
	runeOffsets map[int][]int
}

func newSource(file string, data []byte) *source {
	s := &source{file: file, data: data, lineStarts: []int{0}}
	for i, b := range data {
		switch {
		case b == '\n':
			s.lineStarts = append(s.lineStarts, i+1)
		case b >= utf8.RuneSelf:
			if s.nonASCII == nil {
				s.nonASCII = map[int]bool{}
			}
			s.nonASCII[len(s.lineStarts)] = true
		}
	}
	return s
}

// offset returns the byte offset of a yaml line and character column, in
// constant time on ASCII lines (a minified one-line JSON template has
// every value on line 1).
func (s *source) offset(line, col int) int {
	if line < 1 {
		return 0
	}
	if line > len(s.lineStarts) {
		return len(s.data)
	}
	start := s.lineStarts[line-1]
	if line == 1 && bytes.HasPrefix(s.data, []byte("\xef\xbb\xbf")) {
		start += 3 // yaml.v3 does not count a byte order mark
	}
	end := len(s.data)
	if line < len(s.lineStarts) {
		end = s.lineStarts[line] - 1
	}
	if col < 1 {
		col = 1
	}
	if !s.nonASCII[line] {
		return min(start+col-1, end)
	}
	offs, ok := s.runeOffsets[line]
	if !ok {
		for off := start; off < end; {
			offs = append(offs, off)
			_, size := utf8.DecodeRune(s.data[off:])
			off += size
		}
		if s.runeOffsets == nil {
			s.runeOffsets = map[int][]int{}
		}
		s.runeOffsets[line] = offs
	}
	if col-1 < len(offs) {
		return offs[col-1]
	}
	return end
}

// pos returns the position of byte offset off.
func (s *source) pos(off int) graph.Pos {
	if off > len(s.data) {
		off = len(s.data)
	}
	if off < 0 {
		off = 0
	}
	i := sort.Search(len(s.lineStarts), func(i int) bool { return s.lineStarts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return graph.Pos{Line: i + 1, Column: off - s.lineStarts[i] + 1, Byte: off}
}

func (s *source) rangeOf(start, end int) graph.Range {
	if end < start {
		end = start
	}
	return graph.Range{File: s.file, Start: s.pos(start), End: s.pos(end)}
}

// lineRange returns the range of 1-based line l without its newline.
func (s *source) lineRange(l int) graph.Range {
	if l < 1 || l > len(s.lineStarts) {
		return graph.Range{File: s.file}
	}
	start := s.lineStarts[l-1]
	end := len(s.data)
	if l < len(s.lineStarts) {
		end = s.lineStarts[l] - 1
	}
	return s.rangeOf(start, end)
}

// line returns the text of 1-based line l.
func (s *source) line(l int) string {
	r := s.lineRange(l)
	return string(s.data[r.Start.Byte:r.End.Byte])
}

// errLimit marks a bound exceeded by hostile or runaway input.
var errLimit = errors.New("limit exceeded")

// converter turns a yaml.v3 document into template nodes, expanding
// aliases within bounds and rewriting short-form tags.
type converter struct {
	src     *source
	lim     limits
	aliases int
	nodes   int
	diags   []graph.Diagnostic
}

// parseTemplate parses YAML or JSON data into a node tree.
func parseTemplate(src *source, lim limits) (*node, []graph.Diagnostic, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src.data, &doc); err != nil {
		return nil, nil, fmt.Errorf("parse: %w", err)
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, nil, errors.New("parse: empty document")
	}
	c := &converter{src: src, lim: lim}
	root, err := c.convert(doc.Content[0], 0)
	if err != nil {
		return nil, c.diags, err
	}
	return root, c.diags, nil
}

// shortForms maps a YAML short-form tag to its long-form function name.
var shortForms = map[string]string{
	"!Ref": "Ref", "!Condition": "Condition",
	"!GetAtt": "Fn::GetAtt", "!Sub": "Fn::Sub", "!Join": "Fn::Join", "!Select": "Fn::Select",
	"!Split": "Fn::Split", "!If": "Fn::If", "!Equals": "Fn::Equals", "!Not": "Fn::Not",
	"!And": "Fn::And", "!Or": "Fn::Or", "!FindInMap": "Fn::FindInMap", "!GetAZs": "Fn::GetAZs",
	"!Cidr": "Fn::Cidr", "!ImportValue": "Fn::ImportValue", "!Base64": "Fn::Base64",
	"!Transform": "Fn::Transform", "!Length": "Fn::Length", "!ToJsonString": "Fn::ToJsonString",
}

func (c *converter) convert(y *yaml.Node, depth int) (*node, error) {
	if depth > c.lim.maxDepth {
		r := c.src.rangeOf(c.src.offset(y.Line, y.Column), c.src.offset(y.Line, y.Column))
		return nil, fmt.Errorf("%s: nesting deeper than %d levels: %w", r, c.lim.maxDepth, errLimit)
	}
	c.nodes++
	if c.nodes > c.lim.maxNodes {
		return nil, fmt.Errorf("more than %d values after alias expansion: %w", c.lim.maxNodes, errLimit)
	}
	if y.Kind == yaml.AliasNode {
		c.aliases++
		if c.aliases > c.lim.maxAliases {
			r := c.src.rangeOf(c.src.offset(y.Line, y.Column), c.src.offset(y.Line, y.Column))
			return nil, fmt.Errorf("%s: more than %d YAML alias expansions: %w", r, c.lim.maxAliases, errLimit)
		}
		if y.Alias == nil {
			return nil, errors.New("alias without anchor")
		}
		return c.convert(y.Alias, depth+1)
	}
	start := c.src.offset(y.Line, y.Column)
	if y.Anchor != "" && c.at(start) == '&' {
		// The value starts after its anchor.
		for start < len(c.src.data) && c.src.data[start] != ' ' && c.src.data[start] != '\t' && c.src.data[start] != '\n' {
			start++
		}
		for start < len(c.src.data) && (c.src.data[start] == ' ' || c.src.data[start] == '\t' || c.src.data[start] == '\r' || c.src.data[start] == '\n') {
			start++
		}
	}
	n := &node{}
	switch y.Kind {
	case yaml.ScalarNode:
		n.kind = scalarNode
		n.value = y.Value
		n.tag = y.ShortTag()
		n.rng = c.src.rangeOf(start, c.scalarEnd(y, start))
	case yaml.MappingNode:
		n.kind = mapNode
		end := start
		for i := 0; i+1 < len(y.Content); i += 2 {
			ky, vy := y.Content[i], y.Content[i+1]
			if ky.Kind == yaml.ScalarNode && ky.Value == "<<" && ky.ShortTag() == "!!merge" {
				if err := c.merge(n, vy, depth); err != nil {
					return nil, err
				}
				end = max(end, c.maxEnd(n))
				continue
			}
			k, err := c.key(ky, depth)
			if err != nil {
				return nil, err
			}
			v, err := c.convert(vy, depth+1)
			if err != nil {
				return nil, err
			}
			if k.kind != scalarNode {
				c.diags = append(c.diags, graph.Diagnostic{Severity: graph.SeverityWarning, Summary: "mapping key is not a string; entry ignored", Range: k.rng})
				continue
			}
			if old := n.entry(k.value); old != nil {
				c.diags = append(c.diags, graph.Diagnostic{Severity: graph.SeverityWarning,
					Summary: fmt.Sprintf("duplicate key %q; the last one wins", k.value), Detail: "first at " + old.keyRng.String(), Range: k.rng})
				old.val, old.keyRng = v, k.rng
				old.rng = c.src.rangeOf(k.rng.Start.Byte, v.rng.End.Byte)
			} else {
				e := &entry{key: k.value, keyRng: k.rng, val: v,
					rng: c.src.rangeOf(k.rng.Start.Byte, max(v.rng.End.Byte, k.rng.End.Byte))}
				if n.ents == nil {
					n.ents = make([]*entry, 0, len(y.Content)/2)
				}
				n.ents = append(n.ents, e)
				if n.index == nil && len(n.ents) > 16 {
					n.index = make(map[string]*entry, len(y.Content)/2)
					for _, old := range n.ents {
						n.index[old.key] = old
					}
				} else if n.index != nil {
					n.index[k.value] = e
				}
			}
			end = max(end, v.rng.End.Byte, k.rng.End.Byte)
		}
		if y.Style&yaml.FlowStyle != 0 || c.at(start) == '{' {
			end = c.closeFlow(start, end, '{', '}')
		}
		n.rng = c.src.rangeOf(start, end)
	case yaml.SequenceNode:
		n.kind = seqNode
		end := start
		for _, iy := range y.Content {
			it, err := c.convert(iy, depth+1)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, it)
			end = max(end, it.rng.End.Byte)
		}
		if y.Style&yaml.FlowStyle != 0 || c.at(start) == '[' {
			end = c.closeFlow(start, end, '[', ']')
		}
		n.rng = c.src.rangeOf(start, end)
	default:
		n.kind = scalarNode
		n.tag = "!!null"
		n.rng = c.src.rangeOf(start, start)
	}
	return c.rewriteTag(y, n)
}

// plainKey is a mapping key read without allocating a node.
type plainKey struct {
	kind  nodeKind
	value string
	rng   graph.Range
}

// key reads a mapping key: a plain string key directly, anything else
// (aliases, tags, collections) through convert.
func (c *converter) key(y *yaml.Node, depth int) (plainKey, error) {
	if y.Kind == yaml.ScalarNode && y.Anchor == "" && (y.Tag == "" || y.Tag == "!!str") {
		c.nodes++
		start := c.src.offset(y.Line, y.Column)
		return plainKey{kind: scalarNode, value: y.Value, rng: c.src.rangeOf(start, c.scalarEnd(y, start))}, nil
	}
	n, err := c.convert(y, depth+1)
	if err != nil {
		return plainKey{}, err
	}
	return plainKey{kind: n.kind, value: n.value, rng: n.rng}, nil
}

// merge applies a YAML merge key (<<: *anchor or a list of them).
func (c *converter) merge(n *node, vy *yaml.Node, depth int) error {
	v, err := c.convert(vy, depth+1)
	if err != nil {
		return err
	}
	srcs := []*node{v}
	if v.kind == seqNode {
		srcs = v.items
	}
	for _, s := range srcs {
		if s.kind != mapNode {
			continue
		}
		for _, e := range s.ents {
			if n.entry(e.key) == nil {
				n.ents = append(n.ents, e)
				if n.index != nil {
					n.index[e.key] = e
				}
			}
		}
	}
	return nil
}

func (c *converter) maxEnd(n *node) int {
	end := n.rng.End.Byte
	for _, e := range n.ents {
		end = max(end, e.rng.End.Byte)
	}
	return end
}

// rewriteTag turns a short-form intrinsic (!Ref x) into its long form.
func (c *converter) rewriteTag(y *yaml.Node, n *node) (*node, error) {
	if y.Tag == "" || strings.HasPrefix(y.Tag, "!!") || y.Tag == "!" || !strings.HasPrefix(y.Tag, "!") {
		return n, nil
	}
	fn, ok := shortForms[y.Tag]
	if !ok {
		c.diags = append(c.diags, graph.Diagnostic{Severity: graph.SeverityWarning,
			Summary: fmt.Sprintf("unknown YAML tag %s; value read without it", y.Tag), Range: n.rng})
		return n, nil
	}
	inner := *n
	if n.kind == scalarNode {
		inner.tag = "!!str"
		// The tag's own text precedes the value.
		if v := bytes.IndexAny(c.src.data[n.rng.Start.Byte:n.rng.End.Byte], " \t"); v >= 0 && c.at(n.rng.Start.Byte) == '!' {
			off := n.rng.Start.Byte + v
			for off < n.rng.End.Byte && (c.src.data[off] == ' ' || c.src.data[off] == '\t') {
				off++
			}
			inner.rng = c.src.rangeOf(off, n.rng.End.Byte)
		}
	}
	return &node{kind: mapNode, ents: []*entry{{key: fn, keyRng: n.rng, val: &inner, rng: n.rng}}, rng: n.rng}, nil
}

func (c *converter) at(off int) byte {
	if off < 0 || off >= len(c.src.data) {
		return 0
	}
	return c.src.data[off]
}

// closeFlow finds the closing bracket of a flow collection that starts at
// start and whose last child ends at end.
func (c *converter) closeFlow(start, end int, open, close byte) int {
	if end <= start && c.at(start) == open {
		end = start + 1
	}
	d := c.src.data
	for i := end; i < len(d); i++ {
		switch d[i] {
		case close:
			return i + 1
		case ' ', '\t', '\r', '\n', ',':
		case '#':
			for i < len(d) && d[i] != '\n' {
				i++
			}
		default:
			return end
		}
	}
	return end
}

// scalarEnd finds where the text of scalar y, starting at byte start, ends.
func (c *converter) scalarEnd(y *yaml.Node, start int) int {
	d := c.src.data
	i := start
	// Skip a tag and an anchor written before the value.
	for i < len(d) && (d[i] == '!' || d[i] == '&') {
		for i < len(d) && d[i] != ' ' && d[i] != '\t' && d[i] != '\n' {
			i++
		}
		for i < len(d) && (d[i] == ' ' || d[i] == '\t') {
			i++
		}
	}
	switch {
	case y.Style&yaml.DoubleQuotedStyle != 0 && c.at(i) == '"':
		for j := i + 1; j < len(d); j++ {
			if d[j] == '\\' {
				j++
				continue
			}
			if d[j] == '"' {
				return j + 1
			}
		}
		return len(d)
	case y.Style&yaml.SingleQuotedStyle != 0 && c.at(i) == '\'':
		for j := i + 1; j < len(d); j++ {
			if d[j] == '\'' {
				if c.at(j+1) == '\'' {
					j++
					continue
				}
				return j + 1
			}
		}
		return len(d)
	case y.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0:
		// Up to the last line indented deeper than the line the scalar
		// starts on.
		startLine := c.src.pos(i).Line
		indent := indentOf(c.src.line(startLine))
		end := c.src.lineRange(startLine).End.Byte
		for l := startLine + 1; l <= len(c.src.lineStarts); l++ {
			t := c.src.line(l)
			if strings.TrimSpace(t) == "" {
				continue
			}
			if indentOf(t) <= indent {
				break
			}
			end = c.src.lineRange(l).End.Byte
		}
		return end
	}
	if y.Value == "" || y.Tag == "!!null" && y.Value == "" {
		return i
	}
	if !strings.Contains(y.Value, "\n") && bytes.HasPrefix(d[i:], []byte(y.Value)) {
		return i + len(y.Value)
	}
	// A plain scalar folded over lines: to the end of the first line.
	return c.src.lineRange(c.src.pos(i).Line).End.Byte
}

func indentOf(s string) int {
	return len(s) - len(strings.TrimLeft(s, " "))
}
