package cloudformation

import (
	"bytes"
	"errors"
	"fmt"
	"sort"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/analyzer/ingest/depth"
)

// checkText checks a template, manifest or parameter file before it is
// parsed: UTF-8 text whose values nest at most maxDepth deep. It returns
// the located error, or nil.
func checkText(path string, data []byte, maxDepth int) *graph.Diagnostic {
	var err error
	if err = ingest.CheckUTF8(path, data); err == nil {
		if t := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n"); len(t) > 0 && (t[0] == '{' || t[0] == '[') {
			err = depth.JSON(path, data, maxDepth)
		} else {
			err = depth.YAML(path, data, maxDepth)
		}
	}
	if err == nil {
		return nil
	}
	var de *depth.Error
	if errors.As(err, &de) {
		p := graph.Pos{Line: de.Line, Column: de.Column, Byte: de.Offset}
		return &graph.Diagnostic{Severity: graph.SeverityError, Summary: de.Summary(), Range: graph.Range{File: path, Start: p, End: p}}
	}
	var ee *ingest.EncodingError
	if errors.As(err, &ee) {
		p := graph.Pos{Line: ee.Line, Column: ee.Column, Byte: ee.Offset}
		return &graph.Diagnostic{Severity: graph.SeverityError, Summary: ee.Summary() + "; the file is not read", Range: graph.Range{File: path, Start: p, End: p}}
	}
	return &graph.Diagnostic{Severity: graph.SeverityError, Summary: err.Error(), Range: graph.Range{File: path}}
}

// claim takes one unit of the analysis budget for the resource of entry e.
// The first refusal raises the one error that says where the cut fell.
func (rd *reader) claim(e *entry) bool {
	ok, first := rd.opts.Budget.Take(1)
	if !ok && first {
		rd.diag(graph.SeverityError, rd.opts.Budget.CutSummary("resource "+ingest.Excerpt(e.key)), "", e.keyRng)
	}
	return ok
}

// warnUndeclared warns about each given parameter no template read
// declares: CloudFormation rejects it, and a typo in its name would
// otherwise pass silently.
func (rd *reader) warnUndeclared() {
	if len(rd.stacks) == 0 {
		return
	}
	names := make([]string, 0, len(rd.params))
	for k := range rd.params {
		if !rd.declared[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	for _, k := range names {
		r := graph.Range{File: rd.paramFile[k]}
		how := "given (Parameters)"
		if r.File != "" {
			how = "set in " + r.File
		} else {
			r.File = rd.stacks[0].src.file
		}
		rd.diag(graph.SeverityWarning, fmt.Sprintf("parameter %s is %s, but no template declares it; it is ignored", ingest.Excerpt(k), how), "", r)
	}
}
