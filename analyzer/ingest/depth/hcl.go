package depth

import "bytes"

// HCL checks that the expressions of HCL native syntax (.tf, .tfvars) nest
// at most limit deep (ingest.DefaultMaxDepth when limit <= 0). Each open
// brace, bracket, parenthesis, string template, heredoc and interpolation
// is a level, and so is each operator of one expression (hclsyntax builds
// a chain of binary or unary operators or conditionals as a tree as deep as
// the chain is long) and each open %{if} or %{for} directive. Comments are
// skipped.
func HCL(file string, data []byte, limit int) error {
	limit = limitOf(limit)
	s := hclScan{data: data, limit: limit}
	if off, ok := s.run(); !ok {
		return fail(file, data, off, limit)
	}
	return nil
}

type frameKind uint8

const (
	fBrace   frameKind = iota // { }: newlines separate items
	fBracket                  // [ ]
	fParen                    // ( )
	fInterp                   // ${ } or %{ }
	fQuote                    // "…"
	fHeredoc                  // <<EOF … EOF
)

type frame struct {
	kind frameKind
	// ops counts the levels added inside the frame: operators since the
	// last item separator, or open directives of a template.
	ops    int
	marker []byte // heredoc end marker
}

type hclScan struct {
	data   []byte
	limit  int
	frames []frame
	top    frame // the top level: a body
	depth  int   // frames plus the ops of every frame
}

func (s *hclScan) cur() *frame {
	if len(s.frames) == 0 {
		return &s.top
	}
	return &s.frames[len(s.frames)-1]
}

func (s *hclScan) push(f frame) bool {
	s.frames = append(s.frames, f)
	s.depth++
	return s.depth <= s.limit
}

func (s *hclScan) pop() {
	if len(s.frames) == 0 {
		return
	}
	f := s.frames[len(s.frames)-1]
	s.frames = s.frames[:len(s.frames)-1]
	s.depth -= 1 + f.ops
}

func (s *hclScan) op() bool {
	s.cur().ops++
	s.depth++
	return s.depth <= s.limit
}

func (s *hclScan) sep() {
	f := s.cur()
	s.depth -= f.ops
	f.ops = 0
}

func isIdent(b byte) bool {
	return b == '_' || b == '-' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b >= 0x80
}

func (s *hclScan) run() (int, bool) {
	data := s.data
	for i := 0; i < len(data); {
		f := s.cur()
		if f.kind == fQuote || f.kind == fHeredoc {
			var ok bool
			if i, ok = s.template(i); !ok {
				return i, false
			}
			continue
		}
		c := data[i]
		switch {
		case c == '#' || c == '/' && i+1 < len(data) && data[i+1] == '/':
			j := bytes.IndexByte(data[i:], '\n')
			if j < 0 {
				return 0, true
			}
			i += j
			continue
		case c == '/' && i+1 < len(data) && data[i+1] == '*':
			j := bytes.Index(data[i+2:], []byte("*/"))
			if j < 0 {
				return 0, true
			}
			i += j + 4
			continue
		case c == '\n':
			if f.kind == fBrace || len(s.frames) == 0 {
				s.sep()
			}
		case c == ',':
			s.sep()
		case c == '{' || c == '[' || c == '(':
			k := map[byte]frameKind{'{': fBrace, '[': fBracket, '(': fParen}[c]
			if !s.push(frame{kind: k}) {
				return i, false
			}
		case c == '}' || c == ']' || c == ')':
			s.pop()
		case c == '"':
			if !s.push(frame{kind: fQuote}) {
				return i, false
			}
		case c == '<' && i+2 < len(data) && data[i+1] == '<' && (data[i+2] == '-' || isIdent(data[i+2])):
			j := i + 2
			if data[j] == '-' {
				j++
			}
			k := j
			for k < len(data) && isIdent(data[k]) {
				k++
			}
			nl := bytes.IndexByte(data[k:], '\n')
			if k == j || nl < 0 || len(bytes.TrimSpace(data[k:k+nl])) > 0 {
				i += 2 // a shift or a comparison, not a heredoc
				if !s.op() {
					return i - 2, false
				}
				continue
			}
			if !s.push(frame{kind: fHeredoc, marker: data[j:k]}) {
				return i, false
			}
			i = k + nl + 1
			continue
		case c == '?' || c == '!' || c == '*' || c == '/' || c == '%' || c == '+' || c == '<' || c == '>':
			if c != '!' && i+1 < len(data) && data[i+1] == '=' {
				i++ // <=, >=
			} else if c == '!' && i+1 < len(data) && data[i+1] == '=' {
				i++ // !=
			}
			if !s.op() {
				return i, false
			}
		case c == '-' && (i == 0 || !isIdent(data[i-1])):
			if !s.op() {
				return i, false
			}
		case c == '&' || c == '|' || c == '=' && i+1 < len(data) && data[i+1] == '=':
			if i+1 < len(data) && data[i+1] == c {
				i++
				if !s.op() {
					return i, false
				}
			}
		}
		i++
	}
	return 0, true
}

// template scans the text of a quoted string or a heredoc from i up to an
// interpolation, a directive or the end of the template.
func (s *hclScan) template(i int) (int, bool) {
	data := s.data
	f := s.cur()
	lineStart := i == 0 || data[i-1] == '\n'
	for i < len(data) {
		c := data[i]
		switch {
		case f.kind == fQuote && c == '\\':
			i += 2
			continue
		case f.kind == fQuote && c == '"':
			s.pop()
			return i + 1, true
		case f.kind == fQuote && c == '\n':
			// An unterminated string: hclsyntax ends it at the newline.
			s.pop()
			return i, true
		case f.kind == fHeredoc && lineStart:
			j := bytes.IndexByte(data[i:], '\n')
			line := data[i:]
			if j >= 0 {
				line = data[i : i+j]
			}
			if bytes.Equal(bytes.TrimSpace(line), f.marker) {
				s.pop()
				if j < 0 {
					return len(data), true
				}
				return i + j, true
			}
			lineStart = false
			continue
		case (c == '$' || c == '%') && i+1 < len(data) && data[i+1] == '{':
			if i > 0 && data[i-1] == c {
				// $${ and %%{ are escapes.
				i += 2
				continue
			}
			if c == '%' {
				j := i + 2
				for j < len(data) && (data[j] == '~' || data[j] == ' ' || data[j] == '\t') {
					j++
				}
				switch {
				case bytes.HasPrefix(data[j:], []byte("if")) || bytes.HasPrefix(data[j:], []byte("for")):
					f.ops++
					s.depth++
				case bytes.HasPrefix(data[j:], []byte("end")) && f.ops > 0:
					f.ops--
					s.depth--
				}
			}
			if !s.push(frame{kind: fInterp}) {
				return i, false
			}
			return i + 2, true
		case c == '\n':
			lineStart = true
			i++
			continue
		}
		lineStart = false
		i++
	}
	return i, true
}
