package describe

import (
	"bytes"
	"sort"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// lineIndex maps byte offsets of one file to 1-based lines and columns.
type lineIndex struct {
	file   string
	starts []int // byte offset of the first byte of each line
}

func newLineIndex(file string, data []byte) *lineIndex {
	starts := make([]int, 1, 1+bytes.Count(data, []byte{'\n'}))
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		starts = append(starts, i)
	}
	return &lineIndex{file: file, starts: starts}
}

// pos converts a 0-based byte offset to a position.
func (l *lineIndex) pos(off int) graph.Pos {
	i := sort.Search(len(l.starts), func(i int) bool { return l.starts[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return graph.Pos{Line: i + 1, Column: off - l.starts[i] + 1, Byte: off}
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
