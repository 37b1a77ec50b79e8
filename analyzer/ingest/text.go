package ingest

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// EncodingError reports input that is not UTF-8 text.
type EncodingError struct {
	File         string
	Line, Column int // 1-based; Column counts bytes
	Offset       int // 0-based byte offset of the first bad byte
	Byte         byte
	UTF16        bool // the file starts with a UTF-16 byte order mark
}

// Summary is the message without the location.
func (e *EncodingError) Summary() string {
	if e.UTF16 {
		return "the file is UTF-16 encoded: save it as UTF-8"
	}
	return fmt.Sprintf("invalid UTF-8 (byte 0x%02x): the file is not UTF-8 text; save it as UTF-8", e.Byte)
}

func (e *EncodingError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Summary())
}

// CheckUTF8 returns an *EncodingError locating the first byte of data that
// is not UTF-8 (nil when all is). A UTF-8 byte order mark is accepted.
func CheckUTF8(file string, data []byte) error {
	if bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		return &EncodingError{File: file, Line: 1, Column: 1, Byte: data[0], UTF16: true}
	}
	if utf8.Valid(data) {
		return nil
	}
	off := 0
	for off < len(data) {
		if data[off] < utf8.RuneSelf {
			off++
			continue
		}
		r, size := utf8.DecodeRune(data[off:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		off += size
	}
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return &EncodingError{File: file, Line: line, Column: col, Offset: off, Byte: data[off]}
}

// MaxExcerpt is the length of Excerpt's result, in bytes.
const MaxExcerpt = 80

// Excerpt returns s for a message: at most MaxExcerpt bytes of it, cut at
// a character boundary and marked with how much was left out, so that a
// hostile value (a 20 KB name or JSON pointer) never floods a report.
func Excerpt(s string) string {
	if len(s) <= MaxExcerpt {
		return s
	}
	cut := MaxExcerpt - 1
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… (%d more bytes)", s[:cut], len(s)-cut)
}

// CutSummary is the message of the one diagnostic raised where the budget
// ran out: what was cut, the limit and how to raise it.
func (b *Budget) CutSummary(what string) string {
	return fmt.Sprintf("the analysis reached its limit of %d resources (Limits.MaxNodes): %s and everything read after it are left out; raise Limits.MaxNodes to read them", b.Max(), what)
}
