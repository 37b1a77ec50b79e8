package terraform

import (
	"errors"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/analyzer/ingest/depth"
)

// checkText checks HCL source before it is parsed: UTF-8 text nesting at
// most maxDepth deep (ingest.DefaultMaxDepth when 0). It returns the
// located error, or nil.
func checkText(path string, src []byte, maxDepth int) *graph.Diagnostic {
	if err := ingest.CheckUTF8(path, src); err != nil {
		return limitDiag(err)
	}
	if err := depth.HCL(path, src, maxDepth); err != nil {
		return limitDiag(err)
	}
	return nil
}

// checkJSON is checkText for JSON (plans, states, .tfvars.json, the
// module manifest).
func checkJSON(path string, src []byte, maxDepth int) *graph.Diagnostic {
	if err := ingest.CheckUTF8(path, src); err != nil {
		return limitDiag(err)
	}
	if err := depth.JSON(path, src, maxDepth); err != nil {
		return limitDiag(err)
	}
	return nil
}

// limitDiag turns a depth or encoding error into an error diagnostic at
// its position.
func limitDiag(err error) *graph.Diagnostic {
	var de *depth.Error
	if errors.As(err, &de) {
		p := graph.Pos{Line: de.Line, Column: de.Column, Byte: de.Offset}
		return &graph.Diagnostic{Severity: graph.SeverityError, Summary: de.Summary(), Range: graph.Range{File: de.File, Start: p, End: p}}
	}
	var ee *ingest.EncodingError
	if errors.As(err, &ee) {
		p := graph.Pos{Line: ee.Line, Column: ee.Column, Byte: ee.Offset}
		return &graph.Diagnostic{Severity: graph.SeverityError, Summary: ee.Summary() + "; the file is not read", Range: graph.Range{File: ee.File, Start: p, End: p}}
	}
	return &graph.Diagnostic{Severity: graph.SeverityError, Summary: err.Error()}
}

// fileSizeLimit is the size limit of one file.
func (ev *evaluator) fileSizeLimit() int64 {
	if ev.opts.Limits.MaxFileSize > 0 {
		return ev.opts.Limits.MaxFileSize
	}
	return maxFileSize
}

// budget returns the analysis budget, or this configuration's own.
func (ev *evaluator) budgetOf() *ingest.Budget {
	if ev.budget == nil {
		ev.budget = ev.opts.Budget
		if ev.budget == nil {
			ev.budget = ingest.NewBudget(ev.opts.Limits.WithDefaults().MaxNodes)
		}
	}
	return ev.budget
}

// claim takes one unit of the budget per instance key and returns the keys
// it could claim. The first refusal of the analysis raises the error that
// says where the cut fell and how to raise the limit. A block without
// count or for_each (expanded false) is kept even past the budget: what it
// costs is bounded by the size of its source, and the resources written
// out one by one beside a runaway expansion are still read.
func (m *modInst) claim(keys []instKey, expanded bool, what string, r graph.Range) []instKey {
	b := m.ev.budgetOf()
	for i := range keys {
		ok, first := b.Take(1)
		if ok || !expanded {
			continue
		}
		if first {
			m.ev.diags = append(m.ev.diags, graph.Diagnostic{Severity: graph.SeverityError,
				Summary: b.CutSummary(what + keys[i].suffix), Range: r})
		}
		return keys[:i]
	}
	return keys
}
