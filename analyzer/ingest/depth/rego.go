package depth

import "bytes"

// Rego checks that the brackets, braces and parentheses of a Rego policy
// nest at most limit deep (ingest.DefaultMaxDepth when limit <= 0), before
// OPA's recursive parser sees it. Strings ("…" with escapes, `…` raw),
// and comments (# to the end of the line) are skipped.
func Rego(file string, data []byte, limit int) error {
	limit = limitOf(limit)
	d := 0
	for i := 0; i < len(data); i++ {
		switch data[i] {
		case '"':
			i = endOfString(data, i+1, '"') - 1
		case '`':
			j := bytes.IndexByte(data[i+1:], '`')
			if j < 0 {
				return nil
			}
			i += j + 1
		case '#':
			j := bytes.IndexByte(data[i:], '\n')
			if j < 0 {
				return nil
			}
			i += j
		case '[', '{', '(':
			if d++; d > limit {
				return fail(file, data, i, limit)
			}
		case ']', '}', ')':
			if d > 0 {
				d--
			}
		}
	}
	return nil
}
