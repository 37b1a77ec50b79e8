package analyzer

import (
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"sync"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/analyzer/ingest/cloudformation"
	"github.com/vpcgate/vpcgate/analyzer/ingest/describe"
	"github.com/vpcgate/vpcgate/analyzer/ingest/terraform"
)

// inputKind is what discovery decided a path holds.
type inputKind int

const (
	kindDescribe inputKind = iota + 1
	kindTerraformDir
	kindTerraformPlan
	kindCloudFormation
	kindCloudAssembly
)

// form is the adapter of one input form: how it is detected, how it is
// read into a graph fragment. Discovery, the engine's cache and the
// language server ask the registry (forms) instead of switching on kinds;
// a new form is one new adapter.
type form interface {
	kind() inputKind
	// name is the form's name in messages and cache keys.
	name() string
	graphForm() graph.Form
	// detectFile decides from a file's path and content whether it is of
	// this form; folder forms answer false.
	detectFile(path string, data []byte) bool
	// detectDir decides whether a folder is one input of this form; file
	// forms answer false.
	detectDir(dir string) bool
	// read reads one group of inputs of this form.
	read(ctx context.Context, a *analysis, g inputGroup) *graph.Graph
}

// forms is the registry, in detection order: the first form that claims a
// file or folder reads it.
var forms = []form{describeForm{}, planForm{}, templateForm{}, assemblyForm{}, moduleForm{}}

// formOf returns the adapter of a kind.
func formOf(k inputKind) form {
	for _, f := range forms {
		if f.kind() == k {
			return f
		}
	}
	panic("analyzer: no form for kind")
}

func (k inputKind) String() string { return formOf(k).name() }

// analysis is the reading context of one run.
type analysis struct {
	ctx     context.Context // stops discovery early when done
	opts    Options
	ingest  ingest.Options
	limits  ingest.Limits  // as the user gave them (zero: reader defaults)
	budget  *ingest.Budget // shared by every reader of this analysis
	log     *slog.Logger
	tf      *terraform.Loader
	overlay map[string][]byte
	// touched are the paths an update names (nil: a whole analysis);
	// modSources is the engine's cache of each Terraform folder's local
	// module calls, kept by updates for the folders they do not touch;
	// otherRevision is set when a request overlay reads another revision
	// (its results are not kept).
	touched       map[string]bool
	modSources    map[string][]string
	otherRevision bool
	// skipPaths are the patterns of WithSkipPaths.
	skipPaths []string
	// parts is the engine's cache of describe files (nil: read every
	// file); partsRead lists the files this analysis read again.
	parts     map[string]*describePart
	partsRead []string
	// hashes are the hashes of in-memory inputs' bytes, by path.
	hmu    sync.Mutex
	hashes map[string]inputHash
}

// readGroup reads one input group, turning a panic into a diagnostic.
func (a *analysis) readGroup(ctx context.Context, g inputGroup) (out *graph.Graph) {
	defer func() {
		if r := recover(); r != nil {
			out = graph.New()
			out.Diagnostics = append(out.Diagnostics, graph.Diagnostic{
				Severity: graph.SeverityError,
				Summary:  "internal error while reading the input",
				Detail:   fmt.Sprint(r),
				Range:    graph.Range{File: g.members[0].path},
			})
		}
	}()
	if panicHook != nil {
		panicHook("read:"+g.members[0].path, nil)
	}
	out = formOf(g.kind).read(ctx, a, g)
	if out == nil {
		out = graph.New()
	}
	if grouped := groupRepeats(out.Diagnostics); len(grouped) != len(out.Diagnostics) {
		if out.Frozen() {
			return out.WithDiagnostics(grouped)
		}
		out.Diagnostics = grouped
	}
	return out
}

type describeForm struct{}

func (describeForm) kind() inputKind                    { return kindDescribe }
func (describeForm) name() string                       { return "describe" }
func (describeForm) graphForm() graph.Form              { return graph.FormDescribe }
func (describeForm) detectFile(_ string, b []byte) bool { return describe.Detect(b) }
func (describeForm) detectDir(string) bool              { return false }
func (describeForm) read(ctx context.Context, a *analysis, g inputGroup) *graph.Graph {
	opts := describe.Options{Options: a.readerOptions("")}
	parts := make([]*describe.Part, 0, len(g.members))
	var files []describe.File
	var hashes []inputHash
	for _, m := range g.members {
		sum := a.dataHash(m)
		if c := a.parts[absPath(m.path)]; c != nil && c.hash == sum && a.parts != nil {
			parts = append(parts, c.part.Attach(m.data))
			continue
		}
		files = append(files, describe.File{Path: m.path, Data: m.data})
		hashes = append(hashes, sum)
	}
	if len(files) > 0 {
		fresh := describe.ReadParts(ctx, files, opts)
		if ctx.Err() != nil {
			return graph.New()
		}
		byPath := make(map[string]inputHash, len(files))
		for i, f := range files {
			byPath[f.Path] = hashes[i]
			a.partsRead = append(a.partsRead, f.Path)
		}
		for _, p := range fresh {
			if a.parts != nil && p.Reusable() {
				a.parts[absPath(p.Path())] = &describePart{hash: byPath[p.Path()], part: p.Detach()}
			}
		}
		parts = append(parts, fresh...)
	}
	if a.parts != nil {
		// Forget the files that are no longer inputs.
		keep := make(map[string]bool, len(g.members))
		for _, m := range g.members {
			keep[absPath(m.path)] = true
		}
		for p := range a.parts {
			if !keep[p] {
				delete(a.parts, p)
			}
		}
	}
	return describe.Assemble(ctx, parts, opts)
}

// describePart is what the engine keeps of one describe file: the hash of
// its content and what reading it yielded, without the file's bytes (the
// analysis that reuses it has read them again to hash them; holding them
// kept an 85 MB dump folder alive through policy evaluation).
type describePart struct {
	hash inputHash
	part *describe.Part
}

type planForm struct{}

func (planForm) kind() inputKind                    { return kindTerraformPlan }
func (planForm) name() string                       { return "terraform-plan" }
func (planForm) graphForm() graph.Form              { return graph.FormTerraform }
func (planForm) detectFile(_ string, b []byte) bool { return terraform.DetectPlan(b) }
func (planForm) detectDir(string) bool              { return false }
func (planForm) read(ctx context.Context, a *analysis, g inputGroup) *graph.Graph {
	m := g.members[0]
	return terraform.ReadPlan(ctx, m.path, m.data, a.terraformOptions(m.root))
}

type templateForm struct{}

func (templateForm) kind() inputKind                    { return kindCloudFormation }
func (templateForm) name() string                       { return "cloudformation" }
func (templateForm) graphForm() graph.Form              { return graph.FormCloudFormation }
func (templateForm) detectFile(p string, b []byte) bool { return cloudformation.Detect(p, b) }
func (templateForm) detectDir(string) bool              { return false }
func (templateForm) read(ctx context.Context, a *analysis, g inputGroup) *graph.Graph {
	m := g.members[0]
	return cloudformation.ReadTemplate(ctx, m.path, m.data, a.cfnOptions(m.root))
}

type assemblyForm struct{}

func (assemblyForm) kind() inputKind                { return kindCloudAssembly }
func (assemblyForm) name() string                   { return "cloud-assembly" }
func (assemblyForm) graphForm() graph.Form          { return graph.FormCloudFormation }
func (assemblyForm) detectFile(string, []byte) bool { return false }
func (assemblyForm) detectDir(dir string) bool      { return cloudformation.IsCloudAssembly(dir) }
func (assemblyForm) read(ctx context.Context, a *analysis, g inputGroup) *graph.Graph {
	m := g.members[0]
	return cloudformation.ReadCloudAssembly(ctx, m.path, a.cfnOptions(m.root))
}

// moduleForm is a Terraform root module: discovery finds it by its .tf
// files and module calls (see rootModules), not by detection.
type moduleForm struct{}

func (moduleForm) kind() inputKind                { return kindTerraformDir }
func (moduleForm) name() string                   { return "terraform" }
func (moduleForm) graphForm() graph.Form          { return graph.FormTerraform }
func (moduleForm) detectFile(string, []byte) bool { return false }
func (moduleForm) detectDir(string) bool          { return false }
func (moduleForm) read(ctx context.Context, a *analysis, g inputGroup) *graph.Graph {
	m := g.members[0]
	if a.tf != nil {
		return a.tf.Load(ctx, m.path, a.terraformOptions(m.root))
	}
	return terraform.LoadModule(ctx, m.path, a.terraformOptions(m.root))
}

// readerOptions returns what every reader of this analysis shares, for an
// input under root.
func (a *analysis) readerOptions(root string) ingest.Options {
	o := ingest.Options{
		AllowOutsideRoot:  a.opts.AllowOutsideRoot,
		Overlay:           a.opts.Overlay,
		Region:            a.opts.Region,
		Account:           a.opts.Account,
		AvailabilityZones: a.opts.AvailabilityZones,
		Limits:            a.limits,
		Budget:            a.budget,
	}
	if root != "" {
		o.Root = absPath(root)
	}
	return o
}

func (a *analysis) terraformOptions(root string) terraform.Options {
	return terraform.Options{Options: a.readerOptions(root), Vars: a.opts.Vars, VarFiles: a.opts.VarFiles}
}

func (a *analysis) cfnOptions(root string) cloudformation.Options {
	o := cloudformation.Options{Options: a.readerOptions(root), Parameters: a.opts.Parameters, ParameterFiles: a.opts.ParameterFiles}
	// A template may be as large as any input file (discovery's bound).
	o.Limits.MaxFileSize = a.opts.MaxFileSize
	return o
}

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// detect decides the form of a file from its content, asking the
// registry's file forms in order.
func (a *analysis) detect(path string, data []byte) (inputKind, bool) {
	for _, f := range forms {
		if f.detectFile(path, data) {
			return f.kind(), true
		}
	}
	return 0, false
}

// detectDir reports the folder form that claims dir, if any.
func (a *analysis) detectDir(dir string) (inputKind, bool) {
	for _, f := range forms {
		if f.detectDir(dir) {
			return f.kind(), true
		}
	}
	return 0, false
}
