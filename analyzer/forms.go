package analyzer

import (
	"context"
	"path/filepath"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest/cloudformation"
	"github.com/vpcgate/vpcgate/analyzer/ingest/describe"
	"github.com/vpcgate/vpcgate/analyzer/ingest/terraform"
)

// readOne reads one IaC input into a graph fragment.
func (a *analysis) readOne(ctx context.Context, in found) *graph.Graph {
	switch in.kind {
	case kindTerraformDir:
		return terraform.LoadModule(ctx, in.path, a.terraformOptions(in.root))
	case kindTerraformPlan:
		return terraform.ReadPlan(ctx, in.path, in.data, a.terraformOptions(in.root))
	case kindCloudFormation:
		return cloudformation.ReadTemplate(ctx, in.path, in.data, a.cfnOptions(in.root))
	case kindCloudAssembly:
		return cloudformation.ReadCloudAssembly(ctx, in.path, a.cfnOptions(in.root))
	}
	return nil
}

func (a *analysis) terraformOptions(root string) terraform.Options {
	return terraform.Options{
		Root:              absPath(root),
		AllowOutsideRoot:  a.opts.AllowOutsideRoot,
		Vars:              a.opts.Vars,
		VarFiles:          a.opts.VarFiles,
		AvailabilityZones: a.opts.AvailabilityZones,
		Region:            a.opts.Region,
		Overlay:           a.opts.Overlay,
	}
}

func (a *analysis) cfnOptions(root string) cloudformation.Options {
	return cloudformation.Options{
		Root:              absPath(root),
		AllowOutsideRoot:  a.opts.AllowOutsideRoot,
		Parameters:        a.opts.Parameters,
		ParameterFiles:    a.opts.ParameterFiles,
		Region:            a.opts.Region,
		AccountID:         a.opts.Account,
		AvailabilityZones: a.opts.AvailabilityZones,
		MaxFileSize:       a.opts.MaxFileSize,
	}
}

func absPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return p
}

// detect decides the form of a file from its content.
func (a *analysis) detect(path string, data []byte) (inputKind, bool) {
	switch {
	case describe.Detect(data):
		return kindDescribe, true
	case terraform.DetectPlan(data):
		return kindTerraformPlan, true
	case cloudformation.Detect(path, data):
		return kindCloudFormation, true
	}
	return 0, false
}

func (a *analysis) isCloudAssembly(dir string) bool { return cloudformation.IsCloudAssembly(dir) }
