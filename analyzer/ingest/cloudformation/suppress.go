package cloudformation

import (
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// suppressMarker starts an inline suppression comment.
const suppressMarker = "vpcgate:ignore"

// suppressions reads a resource's inline suppressions: Metadata
// {vpcgate: {ignore: [{rule, reason}]}}, and "# vpcgate:ignore <rule-id>
// <reason>" comments on the lines directly above the resource's logical id
// or at the end of that line. A suppression without a reason is reported
// and not applied.
func (s *stack) suppressions(res *resource) []graph.Suppression {
	var out []graph.Suppression
	add := func(rule, reason string, r graph.Range) {
		if rule == "" {
			s.warn(r, "vpcgate suppression on %s names no rule; ignored", res.logical)
			return
		}
		if strings.TrimSpace(reason) == "" {
			s.warn(r, "vpcgate suppression of %s on %s has no reason; ignored (every suppression needs one)", rule, res.logical)
			return
		}
		out = append(out, graph.Suppression{RuleID: rule, Reason: strings.TrimSpace(reason), Range: r, Source: "inline"})
	}
	if ig := res.def.get("Metadata").get("vpcgate").get("ignore"); ig != nil {
		if ig.kind != seqNode {
			s.warn(ig.rng, "Metadata vpcgate.ignore of %s must be a list of {rule, reason}", res.logical)
		} else {
			for _, it := range ig.items {
				rule, _ := literal(it.get("rule"))
				reason, _ := literal(it.get("reason"))
				add(rule, reason, it.rng)
			}
		}
	}
	if s.isJSON() {
		return out
	}
	keyLine := res.ent.keyRng.Start.Line
	var above []int
	for l := keyLine - 1; l >= 1; l-- {
		t := strings.TrimSpace(s.src.line(l))
		if !strings.HasPrefix(t, "#") {
			break
		}
		above = append(above, l)
	}
	for i := len(above) - 1; i >= 0; i-- {
		s.commentSuppression(above[i], 0, add)
	}
	// A comment at the end of the logical id's line.
	s.commentSuppression(keyLine, res.ent.keyRng.End.Column-1, add)
	return out
}

// commentSuppression parses a "# vpcgate:ignore rule reason" comment on
// line l after byte column from.
func (s *stack) commentSuppression(l, from int, add func(rule, reason string, r graph.Range)) {
	lr := s.src.lineRange(l)
	text := s.src.line(l)
	if from > len(text) {
		return
	}
	hash := strings.Index(text[from:], "#")
	if hash < 0 {
		return
	}
	hash += from
	body := strings.TrimSpace(text[hash+1:])
	if !strings.HasPrefix(body, suppressMarker) {
		return
	}
	fields := strings.Fields(strings.TrimPrefix(body, suppressMarker))
	r := s.src.rangeOf(lr.Start.Byte+hash, lr.End.Byte)
	if len(fields) == 0 {
		add("", "", r)
		return
	}
	add(fields[0], strings.Join(fields[1:], " "), r)
}

// isJSON reports whether the template is written in JSON.
func (s *stack) isJSON() bool {
	for _, b := range s.src.data {
		switch b {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return true
		}
		return false
	}
	return false
}
