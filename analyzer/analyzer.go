// Package analyzer is vpcgate's library entry point: it finds the inputs
// under the given paths, detects their form (describe JSON, Terraform HCL
// or plan JSON, CloudFormation or a CDK cloud assembly), reads each into a
// graph fragment, merges the fragments into one graph and derives the facts
// every consumer reads (public subnets, reachability, tiers).
//
// The CLI and the language server use nothing this package does not export.
package analyzer

import (
	"context"
	"errors"
	"log/slog"
	"sort"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
)

// Options configure one analysis.
type Options struct {
	// Paths are files or folders; folders are walked recursively.
	Paths []string
	// Root bounds what may be read: no symlink, module source or template
	// URL is followed out of it unless AllowOutsideRoot. Default: each
	// path itself (a file's folder).
	Root             string
	AllowOutsideRoot bool
	// MaxFileSize bounds one input file in bytes (DefaultMaxFileSize when 0).
	MaxFileSize int64
	// Region and Account are the defaults for inputs that do not say.
	Region  string
	Account string
	// AvailabilityZones answer data "aws_availability_zones" and Fn::GetAZs
	// (default: the region's a, b and c zones).
	AvailabilityZones []string
	// Terraform variables: --var name=value and --var-file.
	Vars     map[string]string
	VarFiles []string
	// CloudFormation parameters: --parameter Key=Value and parameter files.
	Parameters     map[string]string
	ParameterFiles []string
	// Overlay holds unsaved editor contents by absolute path.
	Overlay map[string][]byte
	// Logger receives debug information; nil discards it.
	Logger *slog.Logger
}

// Input is one input the analysis read.
type Input struct {
	Path string     `json:"path"`
	Form graph.Form `json:"form"`
}

// Result is the outcome of an analysis.
type Result struct {
	// Graph holds the merged nodes with their derived facts (Graph.Facts).
	Graph *graph.Graph
	// Inputs lists what was read, sorted by path.
	Inputs []Input
	// Diagnostics about the input, sorted by file and position.
	Diagnostics []graph.Diagnostic
}

// HasErrors reports whether any diagnostic is an error.
func (r *Result) HasErrors() bool {
	for _, d := range r.Diagnostics {
		if d.Severity == graph.SeverityError {
			return true
		}
	}
	return false
}

// ErrNoPaths is returned when no input path is given.
var ErrNoPaths = errors.New("no input paths given")

// Analyze reads every input under opts.Paths into one graph and derives
// its facts, through a one-shot Engine that evaluates no policy and
// prices nothing (use NewEngine for findings and costs, and to analyse
// again incrementally). Problems in the input are diagnostics in the
// result; an error is returned only when the analysis cannot run at all
// (no paths, a path that does not exist, nothing to read, a cancelled
// context).
func Analyze(ctx context.Context, opts Options) (*Result, error) {
	if len(opts.Paths) == 0 {
		return nil, ErrNoPaths
	}
	eng, err := NewEngine(ctx, opts.engineOptions(PartGraph)...)
	if err != nil {
		return nil, err
	}
	eng.overlay = opts.Overlay
	if eng.overlay == nil {
		eng.overlay = map[string][]byte{}
	}
	snap, err := eng.Analyze(ctx, Request{Paths: opts.Paths})
	if err != nil {
		return nil, err
	}
	return &Result{Graph: snap.Graph, Inputs: snap.Inputs, Diagnostics: snap.Diagnostics}, nil
}

// engineOptions converts Options into engine options.
func (o Options) engineOptions(parts Parts) []Option {
	out := []Option{
		WithParts(parts), WithRoot(o.Root), WithAllowOutsideRoot(o.AllowOutsideRoot),
		WithLimits(ingest.Limits{MaxFileSize: o.MaxFileSize}), WithRegion(o.Region), WithAccount(o.Account),
		WithVars(o.Vars), WithVarFiles(o.VarFiles...), WithParameters(o.Parameters), WithParameterFiles(o.ParameterFiles...),
		WithLogger(o.Logger),
	}
	if len(o.AvailabilityZones) > 0 {
		out = append(out, WithAvailabilityZones(o.AvailabilityZones...))
	}
	return out
}

// sortDiagnostics orders diagnostics by file, position, severity and text.
func sortDiagnostics(ds []graph.Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Range != b.Range {
			return a.Range.Less(b.Range)
		}
		if a.Severity != b.Severity {
			return a.Severity < b.Severity
		}
		return a.Summary < b.Summary
	})
}
