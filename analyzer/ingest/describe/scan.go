package describe

import (
	"bytes"
	"sort"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// lineIndex maps byte offsets of one file to 1-based lines and columns.
// It holds checkpoints (the line and column of known offsets: the start of
// every element, marked while the file is scanned) and counts newlines from
// the nearest checkpoint before an offset, so that a position costs a scan
// of part of one element rather than of the file, and no index of every
// line is built.
type lineIndex struct {
	file string
	data []byte
	// offs are the checkpoints' byte offsets, ascending, starting at 0;
	// lines and cols their 1-based lines and columns.
	offs, lines, cols []int
}

func newLineIndex(file string, data []byte) *lineIndex {
	return &lineIndex{file: file, data: data, offs: []int{0}, lines: []int{1}, cols: []int{1}}
}

// mark adds a checkpoint at off. Offsets must be marked in ascending order,
// before any concurrent use of the index.
func (l *lineIndex) mark(off int) {
	if off <= l.offs[len(l.offs)-1] || off > len(l.data) {
		return
	}
	p := l.pos(off)
	l.offs = append(l.offs, off)
	l.lines = append(l.lines, p.Line)
	l.cols = append(l.cols, p.Column)
}

// pos converts a 0-based byte offset to a position.
func (l *lineIndex) pos(off int) graph.Pos {
	off = min(max(off, 0), len(l.data))
	i := sort.SearchInts(l.offs, off+1) - 1
	base := l.offs[i]
	seg := l.data[base:off]
	n := bytes.Count(seg, []byte{'\n'})
	if n == 0 {
		return graph.Pos{Line: l.lines[i], Column: l.cols[i] + off - base, Byte: off}
	}
	nl := base + bytes.LastIndexByte(seg, '\n')
	return graph.Pos{Line: l.lines[i] + n, Column: off - nl, Byte: off}
}

// rng converts the byte span [start, end) to a range.
func (l *lineIndex) rng(start, end int) graph.Range {
	return graph.Range{File: l.file, Start: l.pos(start), End: l.pos(end)}
}

// span is a half-open byte span of a file.
type span struct{ start, end int }

// The helpers below walk JSON text that the decoder has already validated
// (or, for Detect, text that may be anything: they stop with -1 rather than
// read out of bounds).

// skipWS returns the index of the first non-whitespace byte at or after i.
func skipWS(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// skipString returns the index after the string starting at b[i] == '"'.
func skipString(b []byte, i int) int {
	i++
	for {
		j := bytes.IndexByte(b[i:], '"')
		if j < 0 {
			return -1
		}
		i += j
		// Count the backslashes before the quote.
		n := 0
		for k := i - 1; k >= 0 && b[k] == '\\'; k-- {
			n++
		}
		i++
		if n%2 == 0 {
			return i
		}
	}
}

// skipValue returns the index after the value starting at b[i].
func skipValue(b []byte, i int) int {
	if i >= len(b) {
		return -1
	}
	switch b[i] {
	case '"':
		return skipString(b, i)
	case '{', '[':
		depth := 0
		for i < len(b) {
			switch b[i] {
			case '"':
				i = skipString(b, i)
				if i < 0 {
					return -1
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return -1
	}
	for i < len(b) {
		switch b[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// member is one name/value pair of an object: the span of its name (with
// the quotes) and of its value.
type member struct {
	name, value span
}

// eachMember calls fn for each member of the object whose text is
// b[start:end], until fn returns false. Names are compared raw: AWS member
// names have no escapes.
func eachMember(b []byte, start int, fn func(name []byte, m member) bool) {
	i := skipWS(b, start)
	if i >= len(b) || b[i] != '{' {
		return
	}
	i++
	for {
		i = skipWS(b, i)
		if i >= len(b) || b[i] != '"' {
			return
		}
		ns := i
		i = skipString(b, i)
		if i < 0 {
			return
		}
		ne := i
		i = skipWS(b, i)
		if i >= len(b) || b[i] != ':' {
			return
		}
		i = skipWS(b, i+1)
		vs := i
		i = skipValue(b, i)
		if i < 0 {
			return
		}
		if !fn(b[ns+1:ne-1], member{name: span{ns, ne}, value: span{vs, i}}) {
			return
		}
		i = skipWS(b, i)
		if i >= len(b) || b[i] != ',' {
			return
		}
		i++
	}
}

// findMember returns the member called name of the object at b[start:].
func findMember(b []byte, start int, name string) (member, bool) {
	var out member
	found := false
	eachMember(b, start, func(n []byte, m member) bool {
		if string(n) == name {
			out, found = m, true
			return false
		}
		return true
	})
	return out, found
}

// arrayElems returns the spans of the elements of the array at b[start:],
// or nil when the value there is not an array.
func arrayElems(b []byte, start int) []span {
	i := skipWS(b, start)
	if i >= len(b) || b[i] != '[' {
		return nil
	}
	var out []span
	i++
	for {
		i = skipWS(b, i)
		if i >= len(b) || b[i] == ']' {
			return out
		}
		s := i
		i = skipValue(b, i)
		if i < 0 {
			return out
		}
		out = append(out, span{s, i})
		i = skipWS(b, i)
		if i >= len(b) || b[i] != ',' {
			return out
		}
		i++
	}
}

// memberElems returns the element spans of the array member name of the
// object at el, or nil.
func memberElems(b []byte, el span, name string) []span {
	m, ok := findMember(b[:el.end], el.start, name)
	if !ok {
		return nil
	}
	return arrayElems(b[:m.value.end], m.value.start)
}
