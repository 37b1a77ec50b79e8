// Package textpos maps positions in a document's text between the
// analyzer's graph ranges (1-based line, 1-based byte column, 0-based byte
// offset) and the positions of the Language Server Protocol (0-based line,
// 0-based character counted in UTF-16 code units, UTF-8 bytes or UTF-32
// code points, as negotiated).
//
// Every conversion is computed from the text itself: a character count is
// never derived from a byte column by subtraction, so CJK names, emoji and
// other non-ASCII text land where an editor shows them.
//
// Line ends: graph lines are counted at '\n' (a CRLF line ends at its
// '\n'; the '\r' belongs to no character an editor shows). LSP lines also
// end at a lone '\r', as the protocol says; the mapper keeps both counts.
//
// Byte order mark: a UTF-8 BOM at the start of the text is part of the
// byte offsets (readers report offsets in the file as stored) but not of
// any LSP position: editors strip it, so character 0 of line 0 is the
// first byte after it.
package textpos

import (
	"bytes"
	"sort"
	"unicode/utf8"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// Encoding is how LSP characters are counted; the values are those of the
// protocol's PositionEncodingKind.
type Encoding string

// Encodings.
const (
	UTF16 Encoding = "utf-16" // the protocol's default
	UTF8  Encoding = "utf-8"
	UTF32 Encoding = "utf-32"
)

// Position is an LSP position: 0-based line and character.
type Position struct {
	Line      uint32
	Character uint32
}

// Span is an LSP range; End is exclusive.
type Span struct {
	Start, End Position
}

const bom = "\xef\xbb\xbf"

// Mapper converts positions of one text. It keeps the text (not a copy:
// do not modify it) and its line starts; it is immutable and safe for
// concurrent use.
type Mapper struct {
	text     []byte
	bom      int   // length of a leading byte order mark (0 or 3)
	nl       []int // start offsets of '\n'-separated lines (graph lines)
	lsp      []int // start offsets of LSP lines; same as nl without lone '\r'
	nonASCII bool
}

// New indexes text.
func New(text []byte) *Mapper {
	m := &Mapper{text: text, nl: []int{0}}
	if bytes.HasPrefix(text, []byte(bom)) {
		m.bom = len(bom)
	}
	loneCR := false
	for i, b := range text {
		switch {
		case b == '\n':
			m.nl = append(m.nl, i+1)
		case b == '\r' && (i+1 == len(text) || text[i+1] != '\n'):
			loneCR = true
		case b >= utf8.RuneSelf:
			m.nonASCII = true
		}
	}
	m.lsp = m.nl
	if loneCR {
		m.lsp = []int{0}
		for i, b := range text {
			if b == '\n' || (b == '\r' && (i+1 == len(text) || text[i+1] != '\n')) {
				m.lsp = append(m.lsp, i+1)
			}
		}
	}
	return m
}

// Text returns the text the mapper indexes.
func (m *Mapper) Text() []byte { return m.text }

// Len returns the length of the text in bytes.
func (m *Mapper) Len() int { return len(m.text) }

// lineEnd returns the offset where the content of the line starting at
// starts[i] ends: before its '\n', '\r\n' or '\r'.
func (m *Mapper) lineEnd(starts []int, i int) int {
	end := len(m.text)
	if i+1 < len(starts) {
		end = starts[i+1]
		if end > 0 && m.text[end-1] == '\n' {
			end--
		}
		if end > starts[i] && m.text[end-1] == '\r' {
			end--
		}
		if end < starts[i] {
			end = starts[i]
		}
	} else if end > starts[i] && m.text[end-1] == '\r' {
		end--
	}
	return end
}

func (m *Mapper) clamp(off int) int {
	return max(0, min(off, len(m.text)))
}

// Offset returns the byte offset of a graph position. The position's Byte
// is used when it lies on its Line (readers set both); otherwise Line and
// Column (bytes) are resolved against the text, a column past the end of
// the line stopping at its end; a position without a line uses Byte alone.
// The result is always within the text.
func (m *Mapper) Offset(p graph.Pos) int {
	if p.Line < 1 {
		return m.clamp(p.Byte)
	}
	if p.Line > len(m.nl) {
		return len(m.text)
	}
	start := m.nl[p.Line-1]
	end := m.lineEnd(m.nl, p.Line-1)
	if p.Byte >= start && p.Byte <= end && (p.Byte != 0 || p.Column <= 1) {
		return p.Byte
	}
	col := max(p.Column, 1)
	return min(start+col-1, end)
}

// GraphPos returns the graph position of byte offset off (clamped to the
// text).
func (m *Mapper) GraphPos(off int) graph.Pos {
	off = m.clamp(off)
	i := sort.Search(len(m.nl), func(i int) bool { return m.nl[i] > off }) - 1
	return graph.Pos{Line: i + 1, Column: off - m.nl[i] + 1, Byte: off}
}

// Position returns the LSP position of byte offset off (clamped to the
// text; an offset inside a line terminator or a character is moved back
// to its start).
func (m *Mapper) Position(off int, enc Encoding) Position {
	off = m.clamp(off)
	i := sort.Search(len(m.lsp), func(i int) bool { return m.lsp[i] > off }) - 1
	start := m.lsp[i]
	if i == 0 {
		start = min(m.bom, len(m.text))
		off = max(off, start)
	}
	off = min(off, m.lineEnd(m.lsp, i))
	return Position{Line: uint32(i), Character: uint32(m.count(start, off, enc))}
}

// count returns the number of enc units in text[start:end]; a character
// that straddles end is not counted.
func (m *Mapper) count(start, end int, enc Encoding) int {
	if enc == UTF8 {
		// Stop at a character boundary.
		for end > start && end < len(m.text) && !utf8.RuneStart(m.text[end]) {
			end--
		}
		return end - start
	}
	n := 0
	for off := start; off < end; {
		r, size := utf8.DecodeRune(m.text[off:])
		if off+size > end {
			break
		}
		off += size
		n++
		if enc != UTF32 && r >= 0x10000 && size == 4 {
			n++ // a surrogate pair
		}
	}
	return n
}

// FromGraph returns the LSP position of a graph position.
func (m *Mapper) FromGraph(p graph.Pos, enc Encoding) Position {
	return m.Position(m.Offset(p), enc)
}

// Span returns the LSP range of a graph range (its File is not checked).
// An empty or inverted range is widened to the end of its start line, so
// that an editor has something to underline.
func (m *Mapper) Span(r graph.Range, enc Encoding) Span {
	s, e := m.Offset(r.Start), m.Offset(r.End)
	if r.End.Line == 0 && r.End.Byte == 0 || e <= s {
		e = m.lineEnd(m.nl, m.GraphPos(s).Line-1)
		if e < s {
			e = s
		}
	}
	return Span{Start: m.Position(s, enc), End: m.Position(e, enc)}
}

// ByteOffset returns the byte offset of an LSP position. A line past the
// last maps to the end of the text; a character past the end of its line
// to the end of the line (before its terminator); a character inside a
// UTF-16 surrogate pair or a multi-byte UTF-8 sequence to the start of
// that character.
func (m *Mapper) ByteOffset(p Position, enc Encoding) int {
	if int(p.Line) >= len(m.lsp) {
		return len(m.text)
	}
	i := int(p.Line)
	start := m.lsp[i]
	if i == 0 {
		start = min(m.bom, len(m.text))
	}
	end := m.lineEnd(m.lsp, i)
	want := int(p.Character)
	if enc == UTF8 {
		off := min(start+want, end)
		for off > start && off < len(m.text) && !utf8.RuneStart(m.text[off]) {
			off--
		}
		return off
	}
	n := 0
	off := start
	for off < end {
		r, size := utf8.DecodeRune(m.text[off:])
		w := 1
		if enc != UTF32 && r >= 0x10000 && size == 4 {
			w = 2
		}
		if n+w > want {
			break
		}
		n += w
		off += size
	}
	return off
}

// ToGraph returns the graph position of an LSP position (clamped like
// ByteOffset).
func (m *Mapper) ToGraph(p Position, enc Encoding) graph.Pos {
	return m.GraphPos(m.ByteOffset(p, enc))
}

// Contains reports whether graph range r (of this text) holds byte offset
// off: Start <= off < End, or off == Start for an empty range.
func (m *Mapper) Contains(r graph.Range, off int) bool {
	s, e := m.Offset(r.Start), m.Offset(r.End)
	if e <= s {
		return off == s
	}
	return off >= s && off < e
}
