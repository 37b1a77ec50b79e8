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
	"sync"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest/describe"
	"github.com/vpcgate/vpcgate/analyzer/reach"
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

// ErrNoPaths is returned when Options.Paths is empty.
var ErrNoPaths = errors.New("no input paths given")

type analysis struct {
	opts Options
	log  *slog.Logger
}

// Analyze reads every input under opts.Paths into one graph and derives
// its facts. Problems in the input are diagnostics in the result; an error
// is returned only when the analysis cannot run at all (no paths, a path
// that does not exist, a cancelled context).
func Analyze(ctx context.Context, opts Options) (*Result, error) {
	if len(opts.Paths) == 0 {
		return nil, ErrNoPaths
	}
	a := &analysis{opts: opts, log: opts.Logger}
	if a.log == nil {
		a.log = slog.New(slog.DiscardHandler)
	}
	if a.opts.Region == "" {
		a.opts.Region = "us-east-1"
	}
	if len(a.opts.AvailabilityZones) == 0 {
		r := a.opts.Region
		a.opts.AvailabilityZones = []string{r + "a", r + "b", r + "c"}
	}
	d, err := a.discover(opts.Paths)
	if err != nil {
		return nil, err
	}
	g := graph.New()
	g.Diagnostics = append(g.Diagnostics, d.diags...)
	res := &Result{Graph: g}
	for _, frag := range a.read(ctx, d, res) {
		g.Merge(frag)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	reach.Derive(g)
	sortDiagnostics(g.Diagnostics)
	res.Diagnostics = g.Diagnostics
	sort.Slice(res.Inputs, func(i, j int) bool {
		if res.Inputs[i].Path != res.Inputs[j].Path {
			return res.Inputs[i].Path < res.Inputs[j].Path
		}
		return res.Inputs[i].Form < res.Inputs[j].Form
	})
	return res, nil
}

// read turns the discovered inputs into graph fragments, concurrently for
// independent inputs; fragments come back in input order so the merge is
// deterministic.
func (a *analysis) read(ctx context.Context, d *discovery, res *Result) []*graph.Graph {
	var describeFiles []describe.File
	type job struct {
		in  found
		out *graph.Graph
	}
	var jobs []*job
	for _, in := range d.inputs {
		switch in.kind {
		case kindDescribe:
			describeFiles = append(describeFiles, describe.File{Path: in.path, Data: in.data})
			res.Inputs = append(res.Inputs, Input{Path: in.path, Form: graph.FormDescribe})
		default:
			jobs = append(jobs, &job{in: in})
		}
	}
	var wg sync.WaitGroup
	var describeOut *graph.Graph
	if len(describeFiles) > 0 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			describeOut = describe.Read(ctx, describeFiles, describe.Options{Region: a.opts.Region, Account: a.opts.Account})
		}()
	}
	for _, j := range jobs {
		switch j.in.kind {
		case kindTerraformDir, kindTerraformPlan:
			res.Inputs = append(res.Inputs, Input{Path: j.in.path, Form: graph.FormTerraform})
		default:
			res.Inputs = append(res.Inputs, Input{Path: j.in.path, Form: graph.FormCloudFormation})
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			j.out = a.readOne(ctx, j.in)
		}()
	}
	wg.Wait()
	var out []*graph.Graph
	if describeOut != nil {
		out = append(out, describeOut)
	}
	for _, j := range jobs {
		if j.out != nil {
			out = append(out, j.out)
		}
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
