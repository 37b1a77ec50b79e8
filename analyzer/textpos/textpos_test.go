package textpos

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// at returns the graph position of the first occurrence of marker in text,
// as a reader reports it (1-based line and byte column, byte offset).
func at(t *testing.T, text, marker string) graph.Pos {
	t.Helper()
	off := strings.Index(text, marker)
	if off < 0 {
		t.Fatalf("marker %q not in text", marker)
	}
	line := 1 + strings.Count(text[:off], "\n")
	col := off - strings.LastIndex(text[:off], "\n")
	return graph.Pos{Line: line, Column: col, Byte: off}
}

type want struct {
	enc Encoding
	pos Position
}

func check(t *testing.T, m *Mapper, p graph.Pos, wants ...want) {
	t.Helper()
	for _, w := range wants {
		got := m.FromGraph(p, w.enc)
		if got != w.pos {
			t.Errorf("%s: FromGraph(%+v) = %+v, want %+v", w.enc, p, got, w.pos)
		}
		if back := m.ByteOffset(got, w.enc); back != p.Byte {
			t.Errorf("%s: ByteOffset(%+v) = %d, want %d", w.enc, got, back, p.Byte)
		}
		if g := m.ToGraph(got, w.enc); g != p {
			t.Errorf("%s: ToGraph(%+v) = %+v, want %+v", w.enc, got, g, p)
		}
	}
}

func TestCJKNamesAndEmojiTags(t *testing.T) {
	text := "resource \"aws_vpc\" \"東京\" {\n  tags = { Name = \"🙂 prod\" }\n}\n"
	m := New([]byte(text))
	// 東京 are 3 bytes and 1 UTF-16 unit each.
	check(t, m, at(t, text, "\" {"),
		want{UTF16, Position{0, 22}}, want{UTF8, Position{0, 26}}, want{UTF32, Position{0, 22}})
	// 🙂 is 4 bytes, 2 UTF-16 units (a surrogate pair), 1 code point.
	check(t, m, at(t, text, "🙂"),
		want{UTF16, Position{1, 19}}, want{UTF8, Position{1, 19}}, want{UTF32, Position{1, 19}})
	check(t, m, at(t, text, "prod"),
		want{UTF16, Position{1, 22}}, want{UTF8, Position{1, 24}}, want{UTF32, Position{1, 21}})
	check(t, m, at(t, text, "}\n"),
		want{UTF16, Position{1, 28}}, want{UTF8, Position{1, 30}}, want{UTF32, Position{1, 27}})

	// A character inside the surrogate pair, or inside the UTF-8 sequence,
	// lands on the emoji's start.
	emoji := at(t, text, "🙂").Byte
	if got := m.ByteOffset(Position{1, 20}, UTF16); got != emoji {
		t.Errorf("UTF-16 inside a surrogate pair: %d, want %d", got, emoji)
	}
	if got := m.ByteOffset(Position{1, 21}, UTF8); got != emoji {
		t.Errorf("UTF-8 inside a sequence: %d, want %d", got, emoji)
	}
	// A byte offset inside 東 maps to its start.
	tokyo := at(t, text, "東")
	if got := m.Position(tokyo.Byte+1, UTF16); got != (Position{0, 20}) {
		t.Errorf("offset inside 東: %+v, want {0 20}", got)
	}
}

func TestCRLF(t *testing.T) {
	text := "a = 1\r\nb = \"é\"\r\nc = 2"
	m := New([]byte(text))
	check(t, m, at(t, text, "b"), want{UTF16, Position{1, 0}}, want{UTF8, Position{1, 0}})
	check(t, m, at(t, text, "\"\r\nc"), want{UTF16, Position{1, 6}}, want{UTF8, Position{1, 7}})
	check(t, m, at(t, text, "c"), want{UTF16, Position{2, 0}})
	// Past the end of a line: before its CR LF.
	if got := m.ByteOffset(Position{0, 99}, UTF16); got != 5 {
		t.Errorf("past the end of line 0: %d, want 5", got)
	}
	// The CR and LF belong to no character: they map to the line's end.
	for _, off := range []int{5, 6} {
		if got := m.Position(off, UTF16); got != (Position{0, 5}) {
			t.Errorf("Position(%d) = %+v, want {0 5}", off, got)
		}
	}
	// A line past the last maps to the end of the text.
	if got := m.ByteOffset(Position{7, 0}, UTF16); got != len(text) {
		t.Errorf("line past the end: %d, want %d", got, len(text))
	}
	if got := m.ByteOffset(Position{2, 50}, UTF16); got != len(text) {
		t.Errorf("past the end of the last line: %d, want %d", got, len(text))
	}
}

func TestByteOrderMark(t *testing.T) {
	text := "\xef\xbb\xbfx = \"ü\"\ny = 1\n"
	m := New([]byte(text))
	// Readers count the BOM's bytes; editors do not show it.
	x := graph.Pos{Line: 1, Column: 4, Byte: 3}
	check(t, m, x, want{UTF16, Position{0, 0}}, want{UTF8, Position{0, 0}})
	check(t, m, at(t, text, "\"\n"), want{UTF16, Position{0, 6}}, want{UTF8, Position{0, 7}})
	check(t, m, at(t, text, "y"), want{UTF16, Position{1, 0}})
	if got := m.Position(0, UTF16); got != (Position{0, 0}) {
		t.Errorf("offset 0 (in the BOM) = %+v, want {0 0}", got)
	}
	if got := m.ByteOffset(Position{0, 0}, UTF8); got != 3 {
		t.Errorf("ByteOffset({0 0}) = %d, want 3 (after the BOM)", got)
	}
}

func TestLoneCR(t *testing.T) {
	text := "a\rb\nc"
	m := New([]byte(text))
	// LSP counts a lone CR as a line end; graph lines end at LF only.
	if got := m.Position(2, UTF16); got != (Position{1, 0}) {
		t.Errorf("Position(b) = %+v, want {1 0}", got)
	}
	if got := m.Position(4, UTF16); got != (Position{2, 0}) {
		t.Errorf("Position(c) = %+v, want {2 0}", got)
	}
	if got := m.GraphPos(4); got != (graph.Pos{Line: 2, Column: 1, Byte: 4}) {
		t.Errorf("GraphPos(c) = %+v", got)
	}
	if got := m.ByteOffset(Position{1, 0}, UTF16); got != 2 {
		t.Errorf("ByteOffset({1 0}) = %d, want 2", got)
	}
}

func TestGraphPosWithoutByte(t *testing.T) {
	text := "first\nsecond 東 line\n"
	m := New([]byte(text))
	// A reader that sets only the line and the byte column.
	p := graph.Pos{Line: 2, Column: 11}
	if got := m.Offset(p); got != 16 {
		t.Fatalf("Offset = %d, want 16", got)
	}
	if got := m.FromGraph(p, UTF16); got != (Position{1, 8}) {
		t.Errorf("FromGraph = %+v, want {1 8}", got)
	}
	// A column past the end of the line stops at its end.
	if got := m.Offset(graph.Pos{Line: 1, Column: 40}); got != 5 {
		t.Errorf("column past the end: %d, want 5", got)
	}
	if got := m.Offset(graph.Pos{Line: 9, Column: 1}); got != len(text) {
		t.Errorf("line past the end: %d, want %d", got, len(text))
	}
	// A position with a byte offset alone.
	if got := m.Offset(graph.Pos{Byte: 7}); got != 7 {
		t.Errorf("byte alone: %d", got)
	}
	if got := m.Offset(graph.Pos{Byte: 700}); got != len(text) {
		t.Errorf("byte past the end: %d", got)
	}
}

func TestSpan(t *testing.T) {
	text := "resource \"aws_security_group\" \"ウェブ\" {\n  x = 1\n}\n"
	m := New([]byte(text))
	start := at(t, text, "resource")
	end := at(t, text, "}\n")
	end.Byte++
	end.Column++
	got := m.Span(graph.Range{Start: start, End: end}, UTF16)
	if want := (Span{Position{0, 0}, Position{2, 1}}); got != want {
		t.Errorf("Span = %+v, want %+v", got, want)
	}
	// An empty range underlines to the end of its line.
	name := at(t, text, "ウェブ")
	got = m.Span(graph.Range{Start: name}, UTF16)
	if want := (Span{Position{0, 31}, Position{0, 37}}); got != want {
		t.Errorf("empty Span = %+v, want %+v", got, want)
	}
	if !m.Contains(graph.Range{Start: start, End: end}, name.Byte) {
		t.Error("Contains: the block holds its name")
	}
}

// FuzzRoundTrip checks that every character start maps to an LSP position
// and back to itself, in every encoding.
func FuzzRoundTrip(f *testing.F) {
	f.Add("resource \"aws_vpc\" \"東京\" {\r\n  tags = { Name = \"🙂\" }\n}")
	f.Add("\xef\xbb\xbfa\rb\n\xffc")
	f.Fuzz(func(t *testing.T, text string) {
		m := New([]byte(text))
		for off := 0; off <= len(text); off++ {
			if off < m.bom || (off < len(text) && (!utf8.RuneStart(text[off]) || text[off] == '\r' || text[off] == '\n')) {
				continue
			}
			if off < len(text) && !utf8.FullRuneInString(text[off:]) {
				continue
			}
			for _, enc := range []Encoding{UTF8, UTF16, UTF32} {
				p := m.Position(off, enc)
				if back := m.ByteOffset(p, enc); back != off && validAt(text, off) {
					t.Fatalf("%s: offset %d -> %+v -> %d in %q", enc, off, p, back, text)
				}
			}
		}
	})
}

// validAt reports whether the character before off is complete UTF-8 (an
// invalid byte counts as one unit both ways, but a truncated sequence at a
// line's end need not round-trip).
func validAt(text string, off int) bool {
	r, size := utf8.DecodeLastRuneInString(text[:off])
	return off == 0 || r != utf8.RuneError || size != 1
}
