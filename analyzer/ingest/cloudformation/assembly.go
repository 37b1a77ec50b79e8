package cloudformation

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// manifest is the part of a cloud assembly's manifest.json that matters.
type manifest struct {
	Version   string `json:"version"`
	Artifacts map[string]struct {
		Type         string   `json:"type"`
		Environment  string   `json:"environment"`
		Dependencies []string `json:"dependencies"`
		DisplayName  string   `json:"displayName"`
		Properties   struct {
			TemplateFile  string `json:"templateFile"`
			StackName     string `json:"stackName"`
			DirectoryName string `json:"directoryName"`
		} `json:"properties"`
	} `json:"artifacts"`
}

const (
	artifactStack    = "aws:cloudformation:stack"
	artifactAssembly = "cdk:cloud-assembly"
)

// IsCloudAssembly reports whether dir is an AWS CDK cloud assembly (a
// cdk.out folder): a manifest.json naming CloudFormation stacks or nested
// assemblies.
func IsCloudAssembly(dir string) bool {
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil || int64(len(data)) > DefaultMaxFileSize {
		return false
	}
	var m manifest
	if json.Unmarshal(data, &m) != nil {
		return false
	}
	for _, a := range m.Artifacts {
		if a.Type == artifactStack || a.Type == artifactAssembly {
			return true
		}
	}
	return false
}

// ReadCloudAssembly reads the stacks of a cloud assembly (and of the
// nested assemblies of CDK stages, and the nested stacks they name) into
// one graph fragment. Stacks are read in dependency order so that
// Fn::ImportValue of another stack's export resolves. Node ids are
// "<stack artifact id>/<logical id>".
func ReadCloudAssembly(ctx context.Context, dir string, opts Options) (g *graph.Graph) {
	rd := newReader(ctx, dir, opts)
	defer rd.recoverInto(&g, filepath.Join(dir, "manifest.json"))
	rd.readAssembly(dir, 0)
	return rd.finish()
}

func (rd *reader) readAssembly(dir string, depth int) {
	mpath := filepath.Join(dir, "manifest.json")
	if depth > maxNestedStacks {
		rd.diag(graph.SeverityError, "cloud assemblies nested too deeply; not read", "", graph.Range{File: mpath})
		return
	}
	data, err := rd.readFile(mpath)
	if err != nil {
		rd.diag(graph.SeverityError, "cannot read the cloud assembly: "+err.Error(), "", graph.Range{File: mpath})
		return
	}
	var m manifest
	if d := checkText(mpath, data, rd.opts.Limits.MaxDepth); d != nil {
		rd.diags = append(rd.diags, *d)
		return
	}
	if err := json.Unmarshal(data, &m); err != nil {
		rd.diag(graph.SeverityError, "cannot read the cloud assembly manifest: "+err.Error(), "", graph.Range{File: mpath})
		return
	}
	for _, id := range assemblyOrder(m) {
		if rd.ctx != nil && rd.ctx.Err() != nil {
			rd.diag(graph.SeverityError, "reading stopped: "+rd.ctx.Err().Error(), "", graph.Range{File: mpath})
			return
		}
		a := m.Artifacts[id]
		switch a.Type {
		case artifactAssembly:
			if a.Properties.DirectoryName != "" {
				rd.readAssembly(filepath.Join(dir, a.Properties.DirectoryName), depth+1)
			}
		case artifactStack:
			rd.readAssemblyStack(dir, id, a.Environment, a.Properties.TemplateFile, a.Properties.StackName)
		}
	}
}

// assemblyOrder sorts artifact ids so that dependencies come first (ties by
// id).
func assemblyOrder(m manifest) []string {
	ids := sortedKeys(m.Artifacts)
	done := map[string]bool{}
	busy := map[string]bool{}
	var out []string
	var visit func(id string)
	visit = func(id string) {
		if done[id] || busy[id] {
			return
		}
		a, ok := m.Artifacts[id]
		if !ok {
			return
		}
		busy[id] = true
		deps := append([]string(nil), a.Dependencies...)
		sort.Strings(deps)
		for _, d := range deps {
			visit(d)
		}
		busy[id] = false
		done[id] = true
		out = append(out, id)
	}
	for _, id := range ids {
		visit(id)
	}
	return out
}

func (rd *reader) readAssemblyStack(dir, id, env, file, stackName string) {
	if file == "" {
		return
	}
	path := filepath.Join(dir, file)
	data, err := rd.readFile(path)
	if err != nil {
		rd.diag(graph.SeverityError, fmt.Sprintf("stack %s: %v", id, err), "", graph.Range{File: filepath.Join(dir, "manifest.json")})
		return
	}
	if stackName == "" {
		stackName = id
	}
	account, region := rd.opts.Account, rd.opts.Region
	envRegion := false
	if rest, ok := strings.CutPrefix(env, "aws://"); ok {
		acc, reg, _ := strings.Cut(rest, "/")
		if acc != "" && acc != "unknown-account" {
			account = acc
		}
		if reg != "" && reg != "unknown-region" {
			region = reg
			envRegion = true
		}
	}
	s := rd.loadStackEnv(path, data, stackName, id+"/", nil, 0, account, region)
	if s == nil {
		return
	}
	s.envRegion = envRegion
	rd.mapStack(s)
	outs := s.root.get("Outputs")
	if outs == nil || outs.kind != mapNode {
		return
	}
	for _, e := range outs.ents {
		ex := e.val.get("Export").get("Name")
		if ex == nil {
			continue
		}
		name, ok := s.eval(ex).str()
		if !ok {
			continue
		}
		rd.exports[name] = s.eval(e.val.get("Value"))
	}
}

// nested reads and maps a nested stack (AWS::CloudFormation::Stack).
func (rd *reader) nested(s *stack, res *resource) {
	child := rd.loadNested(s, res)
	if child != nil && !child.mapped {
		child.mapped = true
		rd.mapStack(child)
	}
}

// loadNested loads the template of a nested stack once: a CDK asset
// (Metadata aws:asset:path) or a local TemplateURL inside the root. A
// remote URL is not fetched.
func (rd *reader) loadNested(s *stack, res *resource) *stack {
	if res.child != nil || res.loading {
		return res.child
	}
	res.loading = true
	defer func() { res.loading = false }()
	at := res.ent.keyRng
	if s.depth+1 > maxNestedStacks {
		s.warn(at, "nested stack %s: stacks nested deeper than %d are not read", res.logical, maxNestedStacks)
		return nil
	}
	if rd.nestedRead >= maxNestedReads {
		s.warn(at, "nested stack %s: more than %d nested stacks in one read; not read", res.logical, maxNestedReads)
		return nil
	}
	rd.nestedRead++
	var file string
	if p, ok := literal(res.def.get("Metadata").get("aws:asset:path")); ok && strings.HasSuffix(p, ".json") {
		file = p
	}
	props := s.props(res)
	if file == "" {
		u := props.get("TemplateURL")
		if r, ok := props.entryRange("TemplateURL"); ok {
			at = r
		}
		str, ok := u.str()
		switch {
		case !ok:
			s.warn(at, "nested stack %s: TemplateURL is not known before deployment; its resources are not read", res.logical)
			return nil
		case strings.Contains(str, "://") || strings.HasPrefix(str, "s3."):
			s.warn(at, "nested stack %s: remote template %s is not fetched; its resources are not read", res.logical, str)
			return nil
		}
		file = str
	}
	path := file
	if !filepath.IsAbs(path) {
		path = filepath.Join(s.dir, file)
	}
	data, err := rd.readFile(path)
	if err != nil {
		rd.diag(graph.SeverityError, fmt.Sprintf("nested stack %s: %v", res.logical, err), "", at)
		return nil
	}
	given := map[string]*val{}
	if ps := props.get("Parameters"); ps != nil {
		for i, k := range ps.keys {
			given[k] = ps.vals[i]
		}
	}
	res.child = rd.loadStackEnv(path, data, s.name+"-"+res.logical, s.nodeID(res)+"/", given, s.depth+1, s.account, s.region)
	return res.child
}

// nestedOutput evaluates output name of a nested stack.
func (s *stack) nestedOutput(res *resource, name string, r graph.Range) *val {
	child := s.rd.loadNested(s, res)
	if child == nil {
		return unknownVal("output "+name+" of nested stack "+res.logical+" is not known", r)
	}
	out := child.root.get("Outputs").get(name)
	if out == nil {
		s.warn(r, "nested stack %s has no output %s", res.logical, name)
		return unknownVal("undefined output "+name, r)
	}
	return child.eval(out.get("Value"))
}
