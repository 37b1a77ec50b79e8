// Package docpos locates the fields of user documents (YAML or JSON read
// as YAML) so that a validation error names the file, the line and the
// field: "scenario.yaml:7: step: 20 is longer than duration (1)".
package docpos

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/analyzer/ingest/depth"
)

// FieldError is a value of a document that is out of range or
// inconsistent.
type FieldError struct {
	File  string
	Line  int    // 0 when unknown
	Field string // dotted path: load.phases[2].duration
	Msg   string
}

func (e *FieldError) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	if e.Field == "" {
		return loc + ": " + e.Msg
	}
	return loc + ": " + e.Field + ": " + e.Msg
}

// Field returns a FieldError for the field at path (keys, and indexes of
// sequences as numbers), without a location yet.
func Field(path string, format string, args ...any) *FieldError {
	return &FieldError{Field: path, Msg: fmt.Sprintf(format, args...)}
}

// Doc is a parsed document whose fields can be located.
type Doc struct {
	file string
	root *yaml.Node
}

// Parse parses data for locating fields; a document that does not parse
// still gives a Doc (whose fields have no line).
func Parse(file string, data []byte) *Doc {
	d := &Doc{file: file}
	var n yaml.Node
	if yaml.Unmarshal(data, &n) == nil && len(n.Content) > 0 {
		d.root = n.Content[0]
	}
	return d
}

// Locate sets the file and line of err when it is a *FieldError and
// returns it; other errors are returned as they are.
func (d *Doc) Locate(err error) error {
	fe, ok := err.(*FieldError)
	if !ok || fe == nil {
		return err
	}
	fe.File = d.file
	fe.Line = d.Line(fe.Field)
	return fe
}

// Line returns the line of the field at the dotted path ("a.b[2].c"), or
// of the nearest enclosing field present; 0 when nothing is.
func (d *Doc) Line(path string) int {
	n := d.root
	if n == nil {
		return 0
	}
	line := n.Line
	for _, seg := range split(path) {
		next, at := child(n, seg)
		if next == nil {
			return line
		}
		n, line = next, at
	}
	return line
}

// split turns "a.b[2].c" into a, b, 2, c.
func split(path string) []string {
	var out []string
	for _, p := range strings.Split(path, ".") {
		for p != "" {
			i := strings.IndexByte(p, '[')
			if i < 0 {
				out = append(out, p)
				break
			}
			if i > 0 {
				out = append(out, p[:i])
			}
			j := strings.IndexByte(p[i:], ']')
			if j < 0 {
				out = append(out, p[i+1:])
				break
			}
			out = append(out, p[i+1:i+j])
			p = p[i+j+1:]
		}
	}
	return out
}

// child returns the value of key (or index) seg of n and the line to
// report for it (the key's line in a mapping).
func child(n *yaml.Node, seg string) (*yaml.Node, int) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return child(n.Content[0], seg)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == seg {
				return n.Content[i+1], n.Content[i].Line
			}
		}
	case yaml.SequenceNode:
		if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(n.Content) {
			return n.Content[i], n.Content[i].Line
		}
	}
	return nil, 0
}

// TextError locates what makes a document unreadable before it is parsed.
type TextError struct {
	File         string
	Line, Column int // 1-based; Column counts bytes
	Msg          string
}

func (e *TextError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
}

// CheckText checks a user document before it is parsed: UTF-8 text whose
// values nest at most ingest.DefaultMaxDepth deep (YAML or JSON). The
// error is a *TextError at the first bad byte or at the opening that went
// too deep.
func CheckText(file string, data []byte) error {
	var ee *ingest.EncodingError
	if err := ingest.CheckUTF8(file, data); errors.As(err, &ee) {
		return &TextError{File: file, Line: ee.Line, Column: ee.Column, Msg: ee.Summary()}
	}
	var de *depth.Error
	if err := depth.YAML(file, data, 0); errors.As(err, &de) {
		return &TextError{File: file, Line: de.Line, Column: de.Column, Msg: fmt.Sprintf("values nest deeper than %d levels; the file is not parsed", de.Limit)}
	}
	return nil
}
