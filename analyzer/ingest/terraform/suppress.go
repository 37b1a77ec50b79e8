package terraform

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// suppressionMarker starts an inline suppression comment.
const suppressionMarker = "vpcgate:ignore"

// scanSuppressions finds the `# vpcgate:ignore <rule-id> <reason>` comments
// of a file (also written with // or /* */). A comment without a rule id or
// without a reason is a diagnostic and suppresses nothing.
func scanSuppressions(f *file, diags []graph.Diagnostic) ([]comment, []graph.Diagnostic) {
	if !strings.Contains(string(f.src), suppressionMarker) {
		return nil, diags
	}
	toks, _ := hclsyntax.LexConfig(f.src, f.path, hcl.InitialPos)
	var out []comment
	for _, t := range toks {
		if t.Type != hclsyntax.TokenComment {
			continue
		}
		text := string(t.Bytes)
		text = strings.TrimPrefix(text, "#")
		text = strings.TrimPrefix(text, "//")
		text = strings.TrimPrefix(text, "/*")
		text = strings.TrimSuffix(strings.TrimSpace(text), "*/")
		text = strings.TrimSpace(text)
		if !strings.HasPrefix(text, suppressionMarker) {
			continue
		}
		rest := strings.TrimSpace(strings.TrimPrefix(text, suppressionMarker))
		rng := t.Range
		// A line comment's token includes the newline; keep the range on its
		// line.
		if strings.HasSuffix(string(t.Bytes), "\n") {
			rng.End = hcl.Pos{Line: rng.Start.Line, Column: rng.Start.Column + len(strings.TrimRight(string(t.Bytes), "\r\n")), Byte: rng.Start.Byte + len(strings.TrimRight(string(t.Bytes), "\r\n"))}
		}
		ruleID, reason, _ := strings.Cut(rest, " ")
		reason = strings.TrimSpace(reason)
		if ruleID == "" || reason == "" {
			diags = append(diags, graph.Diagnostic{
				Severity: graph.SeverityWarning,
				Summary:  "suppression without a reason is ignored",
				Detail:   "write `# vpcgate:ignore <rule-id> <reason>`; every suppression needs a reason",
				Range:    f.rng(rng),
			})
			continue
		}
		out = append(out, comment{line: rng.Start.Line, ruleID: ruleID, reason: reason, rng: rng})
	}
	return out, diags
}

// suppressionsFor returns the suppressions of the block spanning blk: on
// its lines, or in the comment lines directly above it.
func (f *file) suppressionsFor(blk hcl.Range) []graph.Suppression {
	if len(f.comments) == 0 {
		return nil
	}
	// Comment lines directly above the block: walk up while the previous
	// line holds a comment (any comment, so that an explanation may sit
	// between the marker and the block).
	top := blk.Start.Line
	for top > 1 && f.isCommentLine(top-1) {
		top--
	}
	var out []graph.Suppression
	for _, c := range f.comments {
		if c.line >= top && c.line <= blk.End.Line {
			out = append(out, graph.Suppression{RuleID: c.ruleID, Reason: c.reason, Range: f.rng(c.rng), Source: "inline"})
		}
	}
	return out
}

// isCommentLine reports whether 1-based line holds only a comment.
func (f *file) isCommentLine(line int) bool {
	if line < 1 || line > len(f.lines) {
		return false
	}
	start := f.lines[line-1]
	end := len(f.src)
	if line < len(f.lines) {
		end = f.lines[line]
	}
	s := strings.TrimSpace(string(f.src[start:end]))
	return strings.HasPrefix(s, "#") || strings.HasPrefix(s, "//")
}
