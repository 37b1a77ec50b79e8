package terraform

import (
	"bytes"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Parsing a big file on every core.
//
// HCL's lexer is most of a load after a one-file edit (it measures each
// token's column in grapheme clusters), and its token list, grown by
// appending 96-byte tokens, is a fifth of what the edit allocates. A file
// is a sequence of top-level blocks, so one of splitMin or more is cut
// where a block ends — a line holding only "}" followed by a line
// starting with a letter — into pieces of about pieceSize; the pieces are
// parsed on every core, each from its own position in the file, and their
// blocks and attributes joined. Small pieces keep each token list small
// (a 19 KB file of 100 resources: 2.39 MB allocated and 3.4 ms in two
// pieces, 1.94 MB and 2.5 ms in sixteen, on 2 cores).
//
// The result is the whole file's parse, or the whole file is parsed: a
// cut that is not between two top-level items (inside a heredoc, a
// comment or a block whose braces do not balance) leaves the piece before
// it unterminated, which HCL reports; any diagnostic in any piece, or an
// attribute set in two pieces, and the whole file is parsed instead, so
// that diagnostics are always the whole file's. When the piece before a
// cut parses cleanly, the lexer and the parser were at the top level
// there, where they keep no state but the position each piece starts
// from. TestSplitParseMatches compares both parses of every Terraform
// file of the repository and of generated workspaces, cut at every
// possible point.

// splitMin is the size from which a file is parsed in pieces, and
// pieceSize the size of a piece (pieces end where blocks do).
const (
	splitMin  = 4 << 10
	pieceSize = 1200
)

// parseConfig parses src as hclsyntax.ParseConfig does and returns its
// body (never nil) and diagnostics.
func parseConfig(src []byte, path string) (*hclsyntax.Body, hcl.Diagnostics) {
	if len(src) >= splitMin {
		if b, ok := parsePieces(src, path, cutPoints(src, len(src)/pieceSize)); ok {
			return b, nil
		}
	}
	return parseWhole(src, path)
}

func parseWhole(src []byte, path string) (*hclsyntax.Body, hcl.Diagnostics) {
	hf, diags := hclsyntax.ParseConfig(src, path, hcl.InitialPos)
	if hf != nil {
		if body, ok := hf.Body.(*hclsyntax.Body); ok && body != nil {
			return body, diags
		}
	}
	return &hclsyntax.Body{}, diags
}

// cutPoints returns up to n-1 offsets of src, ascending, each the start of
// a line that begins with a letter and follows a line holding only "}":
// the first such line at or after each n-th of the file.
func cutPoints(src []byte, n int) []int {
	var cuts []int
	from := 0
	for k := 1; k < n; k++ {
		at := max(from, len(src)*k/n)
		c := nextCut(src, at)
		if c < 0 {
			break
		}
		cuts = append(cuts, c)
		from = c + 1
	}
	return cuts
}

// nextCut returns the first cut point at or after offset at, or -1.
func nextCut(src []byte, at int) int {
	for at < len(src) {
		i := bytes.Index(src[at:], []byte("\n}"))
		if i < 0 {
			return -1
		}
		i += at + 2 // after the brace
		at = i
		switch {
		case i+1 < len(src) && src[i] == '\n':
			i++
		case i+2 < len(src) && src[i] == '\r' && src[i+1] == '\n':
			i += 2
		default:
			continue
		}
		if c := src[i]; ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') {
			return i
		}
	}
	return -1
}

// parsePieces parses src cut at cuts, side by side, and joins the pieces;
// false when there is no cut or a piece raised a diagnostic.
func parsePieces(src []byte, path string, cuts []int) (*hclsyntax.Body, bool) {
	if len(cuts) == 0 {
		return nil, false
	}
	bounds := append(append([]int{0}, cuts...), len(src))
	pieces := make([][2]int, len(bounds)-1)
	starts := make([]hcl.Pos, len(pieces))
	line := 1
	for i := range starts {
		if i > 0 {
			line += bytes.Count(src[bounds[i-1]:bounds[i]], []byte("\n"))
		}
		pieces[i] = [2]int{bounds[i], bounds[i+1]}
		starts[i] = hcl.Pos{Line: line, Column: 1, Byte: bounds[i]}
	}
	bodies, ok := parseAt(src, path, pieces, starts)
	if !ok {
		return nil, false
	}
	out := &hclsyntax.Body{Attributes: hclsyntax.Attributes{}, Blocks: hclsyntax.Blocks{}}
	for _, b := range bodies {
		for name, a := range b.Attributes {
			if _, dup := out.Attributes[name]; dup {
				return nil, false
			}
			out.Attributes[name] = a
		}
		out.Blocks = append(out.Blocks, b.Blocks...)
	}
	last := bodies[len(bodies)-1]
	out.SrcRange = hcl.RangeBetween(bodies[0].SrcRange, last.SrcRange)
	out.EndRange = last.EndRange
	return out, true
}

// parseAt parses the pieces src[p[0]:p[1]] of src, each from its start,
// side by side; false when a piece raised a diagnostic.
func parseAt(src []byte, path string, pieces [][2]int, starts []hcl.Pos) ([]*hclsyntax.Body, bool) {
	bodies := make([]*hclsyntax.Body, len(pieces))
	ok := make([]bool, len(bodies))
	parse := func(i int) {
		defer func() {
			if recover() != nil {
				ok[i] = false
			}
		}()
		hf, diags := hclsyntax.ParseConfig(src[pieces[i][0]:pieces[i][1]], path, starts[i])
		if len(diags) > 0 || hf == nil {
			return
		}
		bodies[i], ok[i] = hf.Body.(*hclsyntax.Body)
	}
	// Pieces are taken in order by one worker per core, this goroutine
	// being one of them.
	var next atomic.Int64
	work := func() {
		for i := int(next.Add(1)) - 1; i < len(bodies); i = int(next.Add(1)) - 1 {
			parse(i)
		}
	}
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(bodies)) - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
	for i, b := range bodies {
		if !ok[i] || b == nil {
			return nil, false
		}
	}
	return bodies, true
}
