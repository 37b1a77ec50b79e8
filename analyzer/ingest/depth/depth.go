// Package depth bounds the nesting of JSON, YAML and HCL text with a cheap,
// non-recursive scan, run before the bytes reach a recursive parser, so
// that no input can overflow the stack of a parser or of what walks its
// result. The scans count what makes a parser or an evaluator recurse:
// brackets, braces and parentheses, YAML block indentation, HCL template
// interpolations and directives, and the operators of one HCL expression
// (a chain of a thousand "+" is a thousand-deep tree). They never reject a
// document that nests less than the limit; they may count a little more
// than a parser would (a YAML or HCL construct they approximate), which at
// limits in the hundreds no real document reaches.
package depth

import (
	"bytes"
	"context"
	"fmt"

	"github.com/vpcgate/vpcgate/analyzer/ingest"
)

// Error reports a document nesting deeper than the limit. It wraps
// ingest.ErrLimit.
type Error struct {
	File         string
	Line, Column int // 1-based; Column counts bytes
	Offset       int // 0-based byte offset of the opening that went too deep
	Limit        int
}

// Summary is the message without the location.
func (e *Error) Summary() string {
	return fmt.Sprintf("values nest deeper than %d levels; the file is not parsed (raise Limits.MaxDepth to read it)", e.Limit)
}

func (e *Error) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Summary())
}

// Unwrap makes errors.Is(err, ingest.ErrLimit) hold.
func (e *Error) Unwrap() error { return ingest.ErrLimit }

func fail(file string, data []byte, off, limit int) *Error {
	off = min(max(off, 0), len(data))
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	col := off - bytes.LastIndexByte(data[:off], '\n')
	return &Error{File: file, Line: line, Column: col, Offset: off, Limit: limit}
}

func limitOf(limit int) int {
	if limit <= 0 {
		return ingest.DefaultMaxDepth
	}
	return min(limit, ingest.MaxDepthBound)
}

// JSON checks that arrays and objects of data nest at most limit deep
// (ingest.DefaultMaxDepth when limit <= 0). Invalid JSON is left to the
// parser: only nesting is checked.
func JSON(file string, data []byte, limit int) error {
	return JSONContext(context.Background(), file, data, limit)
}

// JSONContext is JSON, stopping with ctx's error when ctx is done (checked
// every MiB).
func JSONContext(ctx context.Context, file string, data []byte, limit int) error {
	limit = limitOf(limit)
	d := 0
	next := checkEvery
	for i := 0; i < len(data); i++ {
		if i >= next {
			if err := ctx.Err(); err != nil {
				return err
			}
			next = i + checkEvery
		}
		switch data[i] {
		case '"':
			i = endOfString(data, i+1, '"') - 1
		case '[', '{':
			if d++; d > limit {
				return fail(file, data, i, limit)
			}
		case ']', '}':
			if d > 0 {
				d--
			}
		}
	}
	return nil
}

// checkEvery is how many bytes a scan reads between looks at its context.
const checkEvery = 1 << 20

// endOfString returns the offset after the closing quote q of a string whose
// text starts at i, with backslash escapes (len(data) when unterminated).
func endOfString(data []byte, i int, q byte) int {
	for i < len(data) {
		j := bytes.IndexByte(data[i:], q)
		if j < 0 {
			return len(data)
		}
		k := i + j
		n := 0
		for b := k - 1; b >= i && data[b] == '\\'; b-- {
			n++
		}
		if n%2 == 0 {
			return k + 1
		}
		i = k + 1
	}
	return len(data)
}
