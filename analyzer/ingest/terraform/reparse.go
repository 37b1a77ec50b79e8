package terraform

import (
	"bytes"
	"hash/maphash"
	"reflect"
	"sort"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Parsing an edited file again, block by block.
//
// An edit in the editor changes one block of a file; the others keep
// their text, most of them at another offset. A parsed file keeps its
// segments: the top-level blocks that stand alone between two cut points
// (split.go), each a block from its first byte followed only by blank
// lines and line comments. When a new text of the file comes, each of its
// segments (but the first and the last) whose text a segment of the last
// parse had takes that parsed block over; the rest are parsed in pieces,
// each from its own position. A piece that raises a diagnostic, or an
// attribute set twice, and the file is parsed whole, as split.go does:
// when the pieces before a cut parse cleanly and the blocks taken over are
// whole blocks, the parser was at the top level at every cut.
//
// A block taken over at another place is moved there: every position in
// its syntax tree is shifted by the lines and bytes it moved (its column is
// 1, before and after, and its text is the same, so every column stays).
// The tree is moved in place, so that the evaluations the Loader keeps
// (memo.go), which know a block by its syntax tree, find it again; they
// record where the block was, and move what they kept with it. The last
// parse gives its blocks up once (donated), so that two parses of one
// file on two goroutines never move one tree; the Loader keeps one text of
// each file, so nothing else holds the tree that moves.

// segment is a top-level block of a parsed file that a later text of the
// file may take over: src[start:end] is the block, from its first byte,
// followed by nothing but blank lines and line comments.
type segment struct {
	start, end int
	block      *hclsyntax.Block
	travs      []travRef // the block's traversal shapes (scanFile)
}

var segSeed = maphash.MakeSeed()

// allCuts returns the bounds of src's segments: 0, every cut point
// (nextCut) and len(src).
func allCuts(src []byte) []int {
	bounds := []int{0}
	for at := 0; ; {
		c := nextCut(src, at)
		if c < 0 {
			break
		}
		bounds = append(bounds, c)
		at = c + 1
	}
	return append(bounds, len(src))
}

// segmentsOf returns the segments of body, parsed from src cut at bounds.
func segmentsOf(src []byte, body *hclsyntax.Body, bounds []int) []segment {
	n := len(bounds) - 1
	if n < 3 {
		return nil
	}
	seg := func(off int) int { return sort.SearchInts(bounds, off+1) - 1 }
	items := make([]int, n)
	for _, a := range body.Attributes {
		if i := seg(a.SrcRange.Start.Byte); i >= 0 && i < n {
			items[i] += 2 // never a segment
		}
	}
	for _, b := range body.Blocks {
		if i := seg(b.TypeRange.Start.Byte); i >= 0 && i < n {
			items[i]++
		}
	}
	var out []segment
	for _, b := range body.Blocks {
		i := seg(b.TypeRange.Start.Byte)
		if i <= 0 || i >= n-1 || items[i] != 1 || b.TypeRange.Start.Byte != bounds[i] || b.TypeRange.Start.Column != 1 {
			continue
		}
		end := b.CloseBraceRange.End.Byte
		if end <= bounds[i] || end > bounds[i+1] || !trivia(src[end:bounds[i+1]]) {
			continue
		}
		out = append(out, segment{start: bounds[i], end: bounds[i+1], block: b})
	}
	return out
}

// trivia reports whether b holds only blank space and line comments.
func trivia(b []byte) bool {
	for i := 0; i < len(b); {
		switch c := b[i]; {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			i++
		case c == '#' || c == '/' && i+1 < len(b) && b[i+1] == '/':
			nl := bytes.IndexByte(b[i:], '\n')
			if nl < 0 {
				return true
			}
			i += nl + 1
		default:
			return false
		}
	}
	return true
}

// reparse parses src, a new text of the file old was parsed from, taking
// over old's segments whose text is unchanged. It returns the body, the
// new segments and the blocks taken over with their traversal shapes, or
// false when nothing could be taken over or a piece did not parse cleanly
// (old's blocks are then untouched).
func reparse(src []byte, path string, old *file) (*hclsyntax.Body, []segment, map[*hclsyntax.Block][]travRef, bool) {
	bounds := allCuts(src)
	n := len(bounds) - 1
	if n < 3 || len(old.segs) == 0 {
		return nil, nil, nil, false
	}
	byHash := make(map[uint64][]int, len(old.segs))
	for k, s := range old.segs {
		h := maphash.Bytes(segSeed, old.src[s.start:s.end])
		byHash[h] = append(byHash[h], k)
	}
	used := make([]bool, len(old.segs))
	from := make([]*segment, n) // the old segment new segment i takes over
	hits := 0
	for i := 1; i < n-1; i++ {
		text := src[bounds[i]:bounds[i+1]]
		for _, k := range byHash[maphash.Bytes(segSeed, text)] {
			if s := &old.segs[k]; !used[k] && bytes.Equal(old.src[s.start:s.end], text) {
				used[k], from[i] = true, s
				hits++
				break
			}
		}
	}
	if hits == 0 {
		return nil, nil, nil, false
	}
	// The line each segment starts on.
	lines := make([]int, n)
	lines[0] = 1
	for i := 1; i < n; i++ {
		lines[i] = lines[i-1] + bytes.Count(src[bounds[i-1]:bounds[i]], []byte("\n"))
	}
	// The segments not taken over, in pieces of about pieceSize.
	var spans [][2]int // segment indexes [from, to)
	for i := 0; i < n; {
		if from[i] != nil {
			i++
			continue
		}
		j, size := i, 0
		for j < n && from[j] == nil && (j == i || size < pieceSize) {
			size += bounds[j+1] - bounds[j]
			j++
		}
		spans = append(spans, [2]int{i, j})
		i = j
	}
	pieces := make([][2]int, len(spans))
	starts := make([]hcl.Pos, len(spans))
	for p, s := range spans {
		pieces[p] = [2]int{bounds[s[0]], bounds[s[1]]}
		starts[p] = hcl.Pos{Line: lines[s[0]], Column: 1, Byte: bounds[s[0]]}
	}
	bodies, ok := parseAt(src, path, pieces, starts)
	if !ok {
		return nil, nil, nil, false
	}
	out := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, Blocks: make(hclsyntax.Blocks, 0, len(old.body.Blocks)+8)}
	p := 0
	for i := 0; i < n; {
		if s := from[i]; s != nil {
			out.Blocks = append(out.Blocks, s.block)
			i++
			continue
		}
		for name, a := range bodies[p].Attributes {
			if _, dup := out.Attributes[name]; dup {
				return nil, nil, nil, false
			}
			out.Attributes[name] = a
		}
		out.Blocks = append(out.Blocks, bodies[p].Blocks...)
		i = spans[p][1]
		p++
	}
	last := bodies[len(bodies)-1]
	out.SrcRange = hcl.RangeBetween(bodies[0].SrcRange, last.SrcRange)
	out.EndRange = last.EndRange
	// Move the blocks taken over to where they now are.
	for i, s := range from {
		if s == nil {
			continue
		}
		at := s.block.TypeRange.Start
		if dl, db := lines[i]-at.Line, bounds[i]-at.Byte; dl != 0 || db != 0 {
			shiftTree(reflect.ValueOf(s.block), dl, db, map[uintptr]bool{})
		}
	}
	taken := make(map[*hclsyntax.Block][]travRef, hits)
	for _, s := range from {
		if s != nil {
			taken[s.block] = s.travs
		}
	}
	return out, segmentsOf(src, out, bounds), taken, true
}

var (
	posType       = reflect.TypeOf(hcl.Pos{})
	rangeType     = reflect.TypeOf(hcl.Range{})
	traversalType = reflect.TypeOf(hcl.Traversal{})
	anonType      = reflect.TypeOf(&hclsyntax.AnonSymbolExpr{})
	ctyType       = reflect.TypeOf(cty.Value{})
	// plans holds, for each struct type of a syntax tree, the indexes of
	// its exported fields that may hold a position, and holders whether a
	// type may hold one.
	plans, holders sync.Map
)

// shiftTree adds dl lines and db bytes to every position (hcl.Pos with a
// line) reachable from v, a syntax tree: pointers, structs' exported
// fields, slices, arrays, maps and interfaces. The values a traversal
// holds (hcl.TraverseRoot) are moved in copies put back in its slice.
// The one node a tree holds twice, a splat's symbol, is moved once
// (seen).
func shiftTree(v reflect.Value, dl, db int, seen map[uintptr]bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if v.Type() == anonType {
			if seen[v.Pointer()] {
				return
			}
			seen[v.Pointer()] = true
		}
		shiftTree(v.Elem(), dl, db, seen)
	case reflect.Interface:
		if !v.IsNil() {
			shiftTree(v.Elem(), dl, db, seen)
		}
	case reflect.Struct:
		switch v.Type() {
		case rangeType:
			r := v.Addr().Interface().(*hcl.Range)
			*r = moveRange(*r, dl, db)
			return
		case posType:
			p := v.Addr().Interface().(*hcl.Pos)
			*p = movePos(*p, dl, db)
			return
		}
		for _, i := range plan(v.Type()) {
			shiftTree(v.Field(i), dl, db, seen)
		}
	case reflect.Slice:
		if v.Type() == traversalType {
			shiftTraversal(v.Interface().(hcl.Traversal), dl, db, seen)
			return
		}
		fallthrough
	case reflect.Array:
		if !holds(v.Type().Elem()) {
			return
		}
		for i := range v.Len() {
			shiftTree(v.Index(i), dl, db, seen)
		}
	case reflect.Map:
		// Map values are not addressable: trees hold pointers there
		// (Attributes).
		if v.Type().Elem().Kind() != reflect.Pointer {
			return
		}
		it := v.MapRange()
		for it.Next() {
			shiftTree(it.Value(), dl, db, seen)
		}
	}
}

// shiftTraversal moves the steps of a traversal in place.
func shiftTraversal(tr hcl.Traversal, dl, db int, seen map[uintptr]bool) {
	for i, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			s.SrcRange = moveRange(s.SrcRange, dl, db)
			tr[i] = s
		case hcl.TraverseAttr:
			s.SrcRange = moveRange(s.SrcRange, dl, db)
			tr[i] = s
		case hcl.TraverseIndex:
			s.SrcRange = moveRange(s.SrcRange, dl, db)
			tr[i] = s
		case hcl.TraverseSplat:
			s.SrcRange = moveRange(s.SrcRange, dl, db)
			shiftTraversal(s.Each, dl, db, seen)
			tr[i] = s
		default:
			// Another step type: a copy moved by reflection.
			e := reflect.ValueOf(step)
			if e.Kind() == reflect.Pointer {
				shiftTree(e, dl, db, seen)
				continue
			}
			c := reflect.New(e.Type()).Elem()
			c.Set(e)
			shiftTree(c, dl, db, seen)
			tr[i] = c.Interface().(hcl.Traverser)
		}
	}
}

// plan returns the exported fields of struct type t that may hold a
// position.
func plan(t reflect.Type) []int {
	if p, ok := plans.Load(t); ok {
		return p.([]int)
	}
	var fields []int
	for i := range t.NumField() {
		if f := t.Field(i); f.IsExported() && mayHold(f.Type, map[reflect.Type]bool{t: true}) {
			fields = append(fields, i)
		}
	}
	plans.Store(t, fields)
	return fields
}

// holds is mayHold, remembered.
func holds(t reflect.Type) bool {
	if h, ok := holders.Load(t); ok {
		return h.(bool)
	}
	h := mayHold(t, nil)
	holders.Store(t, h)
	return h
}

// mayHold reports whether a value of type t may hold a position (an
// interface may hold anything; visiting marks the types under way).
func mayHold(t reflect.Type, visiting map[reflect.Type]bool) bool {
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return mayHold(t.Elem(), visiting)
	case reflect.Struct:
		if t == posType || t == rangeType {
			return true
		}
		if t == ctyType || visiting[t] {
			return false
		}
		if visiting == nil {
			visiting = map[reflect.Type]bool{}
		}
		visiting[t] = true
		for i := range t.NumField() {
			if f := t.Field(i); f.IsExported() && mayHold(f.Type, visiting) {
				return true
			}
		}
	}
	return false
}

// refsReusing is attrRefs of body, a new text of donor's file, taking the
// references of the expressions of the blocks taken over from donor's.
func refsReusing(body *hclsyntax.Body, donor *file, taken map[*hclsyntax.Block][]travRef) map[hcl.Expression]exprRefs {
	out := make(map[hcl.Expression]exprRefs, len(donor.refs))
	for _, a := range body.Attributes {
		out[a.Expr] = scanRefs(a.Expr)
	}
	donor.refsMu.Lock()
	defer donor.refsMu.Unlock()
	var copyRefs func(b *hclsyntax.Body)
	copyRefs = func(b *hclsyntax.Body) {
		for _, a := range b.Attributes {
			if r, ok := donor.refs[a.Expr]; ok {
				out[a.Expr] = r
			} else {
				out[a.Expr] = scanRefs(a.Expr)
			}
		}
		for _, nb := range b.Blocks {
			copyRefs(nb.Body)
		}
	}
	for _, b := range body.Blocks {
		if _, ok := taken[b]; ok {
			copyRefs(b.Body)
		} else {
			attrRefs(b.Body, out)
		}
	}
	return out
}
