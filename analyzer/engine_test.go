package analyzer

import (
	"context"
	"errors"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/config"
	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/policies"
)

const tfModule = `resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
}

resource "aws_security_group" "web" {
  name   = "web"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["10.0.0.0/8"]
  }
}
`

// tfSSHOpen is tfModule with SSH opened to the world on line 9.
var tfSSHOpen = strings.Replace(strings.Replace(tfModule, "443", "22", 2), `["10.0.0.0/8"]`, `["0.0.0.0/0"]`, 1)

func findingsOf(s *Snapshot, rule string) []policies.Finding {
	var out []policies.Finding
	for _, f := range s.Findings {
		if f.RuleID == rule {
			out = append(out, f)
		}
	}
	return out
}

func newTestEngine(t *testing.T, opts ...Option) *Engine {
	t.Helper()
	e, err := NewEngine(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestEngineUpdateTerraform(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	main := filepath.Join(dir, "main.tf")
	writeFile(t, main, tfModule)
	writeFile(t, filepath.Join(dir, "other.tf"), "resource \"aws_vpc\" \"other\" {\n  cidr_block = \"10.1.0.0/16\"\n}\n")
	e := newTestEngine(t)
	s1, err := e.Analyze(ctx, Request{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(findingsOf(s1, "admin-ports-open-to-world")) != 0 {
		t.Fatalf("no SSH open yet: %v", s1.Findings)
	}
	if len(s1.Reread) != 1 {
		t.Errorf("first analysis reads the module: %v", s1.Reread)
	}

	// Unchanged: nothing read again, the same graph content.
	s2, err := e.Analyze(ctx, Request{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(s2.Reread) != 0 {
		t.Errorf("an unchanged analysis read %v again", s2.Reread)
	}
	if s2.Graph.Len() != s1.Graph.Len() || len(s2.Findings) != len(s1.Findings) {
		t.Errorf("unchanged analysis differs: %d/%d nodes, %d/%d findings", s2.Graph.Len(), s1.Graph.Len(), len(s2.Findings), len(s1.Findings))
	}

	// An unsaved buffer opens SSH to the world.
	s3, err := e.Update(ctx, Change{Path: main, Content: []byte(tfSSHOpen)})
	if err != nil {
		t.Fatal(err)
	}
	got := findingsOf(s3, "admin-ports-open-to-world")
	if len(got) == 0 {
		t.Fatalf("SSH open to the world not found after the edit: %v", s3.Findings)
	}
	if loc := got[0].Location(); filepath.Base(loc.File) != "main.tf" || loc.Start.Line < 5 || loc.Start.Line > 12 {
		t.Errorf("finding located at %v, want main.tf lines 5-12", loc)
	}
	if len(s3.Reread) != 1 {
		t.Errorf("the edit re-reads the module alone: %v", s3.Reread)
	}

	// A buffer that does not parse keeps the last good fragment and says
	// why.
	s4, err := e.Update(ctx, Change{Path: main, Content: []byte(tfSSHOpen + "\nresource \"aws_vpc\" {\n")})
	if err != nil {
		t.Fatal(err)
	}
	if !s4.HasErrors() {
		t.Errorf("no parse error reported: %v", s4.Diagnostics)
	}
	if len(findingsOf(s4, "admin-ports-open-to-world")) == 0 || s4.Graph.Node("aws_vpc.other") == nil {
		t.Errorf("the last good analysis is not kept: %d nodes, findings %v", s4.Graph.Len(), s4.Findings)
	}

	// Back to the file on disk.
	s5, err := e.Update(ctx, Change{Path: main})
	if err != nil {
		t.Fatal(err)
	}
	if len(findingsOf(s5, "admin-ports-open-to-world")) != 0 || s5.HasErrors() {
		t.Errorf("closing the buffer goes back to the disk: %v %v", s5.Findings, s5.Diagnostics)
	}
	if s5.Generation != 5 || e.Last() != s5 {
		t.Errorf("generation %d, last %p want %p", s5.Generation, e.Last(), s5)
	}
	// The earlier snapshots are untouched.
	if len(findingsOf(s3, "admin-ports-open-to-world")) == 0 || s1.Graph.Len() != s2.Graph.Len() {
		t.Error("a later analysis changed an earlier snapshot")
	}
}

func TestEngineUpdateOtherForms(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	tmpl := filepath.Join(dir, "stack.yaml")
	writeFile(t, tmpl, "Resources:\n  VPC:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n")
	desc := filepath.Join(dir, "dump", "ec2-describe-vpcs.json")
	writeFile(t, desc, vpcsJSON)
	e := newTestEngine(t, WithParts(PartGraph))
	s1, err := e.Analyze(ctx, Request{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(s1.Reread) != 2 {
		t.Fatalf("inputs read: %v", s1.Reread)
	}
	vpc := func(s *Snapshot, id string) *graph.VPC {
		n, _ := s.Graph.Node(id).(*graph.VPC)
		return n
	}
	// CloudFormation: an edited template is read again, the dump is not.
	s2, err := e.Update(ctx, Change{Path: tmpl, Content: []byte("Resources:\n  VPC:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.9.0.0/16\n")})
	if err != nil {
		t.Fatal(err)
	}
	if v := vpc(s2, "stack/VPC"); v == nil || len(v.CIDRBlocks) == 0 || v.CIDRBlocks[0] != "10.9.0.0/16" {
		t.Errorf("template edit not seen: %+v", v)
	}
	if len(s2.Reread) != 1 || s2.Reread[0].Form != graph.FormCloudFormation {
		t.Errorf("re-read %v, want the template alone", s2.Reread)
	}
	// Describe: an edited dump file is read again.
	s3, err := e.Update(ctx, Change{Path: desc, Content: []byte(strings.Replace(vpcsJSON, "10.0.0.0/16", "10.7.0.0/16", -1))})
	if err != nil {
		t.Fatal(err)
	}
	if v := vpc(s3, "vpc-1"); v == nil || len(v.CIDRBlocks) == 0 || v.CIDRBlocks[0] != "10.7.0.0/16" {
		t.Errorf("describe edit not seen: %+v", v)
	}
	if len(s3.Reread) != 1 || s3.Reread[0].Form != graph.FormDescribe {
		t.Errorf("re-read %v, want the dump alone", s3.Reread)
	}
}

func TestEngineUpdateBeforeAnalyze(t *testing.T) {
	t.Parallel()
	e := newTestEngine(t, WithParts(PartGraph))
	if _, err := e.Update(context.Background(), Change{Path: "x.tf"}); !errors.Is(err, ErrNoSnapshot) {
		t.Errorf("Update before Analyze: %v", err)
	}
}

// TestSnapshotConcurrentReaders reads one snapshot from many goroutines
// while the engine builds the next ones (run with -race).
func TestSnapshotConcurrentReaders(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	main := filepath.Join(dir, "main.tf")
	writeFile(t, main, tfModule)
	e := newTestEngine(t)
	if _, err := e.Analyze(ctx, Request{Paths: []string{"../examples/three-tier-production", dir}}); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				s := e.Last()
				n := 0
				for _, k := range graph.Kinds {
					n += len(s.Graph.Of(k))
				}
				if n != s.Graph.Len() || len(s.Graph.Nodes()) != n {
					t.Errorf("nodes by kind %d, nodes %d", n, s.Graph.Len())
					return
				}
				_ = s.Graph.Edges()
				_ = s.Graph.Resolve("web")
				for id, f := range s.Graph.Facts.Subnets {
					_, _ = id, f.Public
				}
				for _, f := range s.Findings {
					_ = f.Location()
				}
				if s.Costs != nil {
					_ = s.Costs.TotalMonthly.String()
				}
			}
		})
	}
	for i := range 12 {
		content := tfModule
		if i%2 == 0 {
			content = tfSSHOpen
		}
		if _, err := e.Update(ctx, Change{Path: main, Content: []byte(content)}); err != nil {
			t.Error(err)
			break
		}
	}
	close(stop)
	wg.Wait()
}

func TestEngineConfigLevels(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, ".vpcgate.yaml")
	writeFile(t, cfgPath, "severity: urgent\nfail_on: sometimes\n")
	cfg, diags, err := loadConfigForTest(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	e := newTestEngine(t, WithConfig(cfg, diags))
	_, got := e.Config()
	if len(got) != 2 || got[0].Range.Start.Line != 1 || !strings.Contains(got[0].Summary, `unknown severity "urgent"`) ||
		got[1].Range.Start.Line != 2 || !strings.Contains(got[1].Summary, "fail_on") {
		t.Errorf("configuration levels not validated where written: %v", got)
	}
}

func loadConfigForTest(path string) (*config.Config, []graph.Diagnostic, error) {
	return config.Load(path)
}

// TestRequestOverlay reads a base revision as the head's paths with other
// contents: changed, deleted and added files.
func TestRequestOverlay(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	main := filepath.Join(dir, "net", "main.tf")
	other := filepath.Join(dir, "net", "other.tf")
	writeFile(t, main, tfSSHOpen)
	writeFile(t, other, "resource \"aws_vpc\" \"other\" {\n  cidr_block = \"10.1.0.0/16\"\n}\n")
	tmpl := filepath.Join(dir, "stack.yaml")
	writeFile(t, tmpl, "Resources:\n  VPC:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n")
	e := newTestEngine(t)
	base, err := e.Analyze(ctx, Request{Paths: []string{dir}, Base: true, Overlay: map[string][]byte{
		main:                                  []byte(tfModule),
		other:                                 nil,
		filepath.Join(dir, "net", "added.tf"): []byte("resource \"aws_vpc\" \"added\" {\n  cidr_block = \"10.2.0.0/16\"\n}\n"),
		filepath.Join(dir, "dump", "ec2-describe-vpcs.json"): []byte(vpcsJSON),
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(findingsOf(base, "admin-ports-open-to-world")) != 0 {
		t.Errorf("base has SSH closed: %v", base.Findings)
	}
	// The folder holds two stacks: their addresses are scoped ("net/…").
	if base.Graph.Node("net/aws_vpc.other") != nil || base.Graph.Node("net/aws_vpc.added") == nil || base.Graph.Node("vpc-1") == nil {
		t.Errorf("base: other %v, added %v, vpc-1 %v", base.Graph.Node("net/aws_vpc.other"), base.Graph.Node("net/aws_vpc.added"), base.Graph.Node("vpc-1"))
	}
	if e.Last() != nil {
		t.Error("a base analysis is not the engine's last snapshot")
	}
	head, err := e.Analyze(ctx, Request{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(findingsOf(head, "admin-ports-open-to-world")) == 0 || head.Graph.Node("net/aws_vpc.other") == nil || head.Graph.Node("net/aws_vpc.added") != nil || head.Graph.Node("vpc-1") != nil {
		t.Errorf("head: %d findings, nodes %d", len(head.Findings), head.Graph.Len())
	}
	// The template is the same on both sides: read once.
	for _, in := range head.Reread {
		if in.Form == graph.FormCloudFormation {
			t.Errorf("the unchanged template was read again: %v", head.Reread)
		}
	}
}

// TestScopedStacks: scanning a folder of stacks gives the findings of
// scanning each stack alone, with the stack's path before its addresses.
func TestScopedStacks(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		dir    string
		stacks map[string]string // scope → path
	}{
		{filepath.Join("..", "examples", "terraform"), map[string]string{"basic": "basic", "improved": "improved", "production": "production"}},
		{filepath.Join("..", "examples", "cloudformation"), map[string]string{"basic": "basic.yaml", "improved": "improved.yaml", "production": "production.yaml"}},
	} {
		e := newTestEngine(t, WithParts(PartFindings), WithNow(fixedNow))
		all, err := e.Analyze(ctx, Request{Paths: []string{tc.dir}})
		if err != nil {
			t.Fatal(err)
		}
		key := func(scope string, f policies.Finding) string {
			return f.RuleID + " " + scope + f.Resource.ID + " " + f.Location().String()
		}
		got := map[string]bool{}
		for _, f := range all.Findings {
			got[key("", f)] = true
		}
		want := map[string]bool{}
		for scope, p := range tc.stacks {
			one, err := newTestEngine(t, WithParts(PartFindings), WithNow(fixedNow)).Analyze(ctx, Request{Paths: []string{filepath.Join(tc.dir, p)}})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range one.Findings {
				want[key(scope+"/", f)] = true
			}
		}
		if len(got) != len(want) || len(got) == 0 {
			t.Errorf("%s: %d findings together, %d alone", tc.dir, len(got), len(want))
		}
		for k := range want {
			if !got[k] {
				t.Errorf("%s: missing when scanned together: %s", tc.dir, k)
			}
		}
		// The address is still an alias: it names the three stacks' VPCs.
		if n := all.Graph.Resolve("aws_vpc.main"); tc.dir == filepath.Join("..", "examples", "terraform") && len(n) < 2 {
			t.Errorf("aws_vpc.main resolves to %d nodes, want the stacks' VPCs", len(n))
		}
	}
}

// TestScopeStable: a stack's ids do not change when another stack is
// added beside it (a pull request adding a stack changes no other id).
func TestScopeStable(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "net", "main.tf"), tfModule)
	one, err := newTestEngine(t, WithParts(PartGraph)).Analyze(ctx, Request{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "app", "main.tf"), tfModule)
	two, err := newTestEngine(t, WithParts(PartGraph)).Analyze(ctx, Request{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if one.Graph.Node("net/aws_vpc.main") == nil || two.Graph.Node("net/aws_vpc.main") == nil || two.Graph.Node("app/aws_vpc.main") == nil {
		t.Errorf("ids: alone %d nodes, together %d nodes", one.Graph.Len(), two.Graph.Len())
	}
	// A stack scanned by its own path keeps its addresses.
	own, err := newTestEngine(t, WithParts(PartGraph)).Analyze(ctx, Request{Paths: []string{filepath.Join(dir, "net")}})
	if err != nil {
		t.Fatal(err)
	}
	if own.Graph.Node("aws_vpc.main") == nil {
		t.Error("a stack scanned alone is not scoped")
	}
}

// TestUpdateModuleCalls: discovery keeps the module calls of folders an
// update does not touch, and finds them again in the one it touches — a
// module that loses its only caller becomes a root of its own, and one
// called again stops being one, as a fresh analysis says.
func TestUpdateModuleCalls(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	root := filepath.Join(dir, "main.tf")
	withCall := "module \"net\" {\n  source = \"./net\"\n}\n"
	writeFile(t, root, withCall)
	writeFile(t, filepath.Join(dir, "net", "main.tf"), "resource \"aws_vpc\" \"v\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n")
	writeFile(t, filepath.Join(dir, "other", "main.tf"), "resource \"aws_vpc\" \"o\" {\n  cidr_block = \"10.1.0.0/16\"\n}\n")
	e := newTestEngine(t, WithParts(PartGraph))
	inputs := func(s *Snapshot) string {
		var b strings.Builder
		for _, in := range s.Inputs {
			rel, _ := filepath.Rel(dir, in.Path)
			b.WriteString(rel + " ")
		}
		return b.String()
	}
	fresh := func(content string) string {
		f := newTestEngine(t, WithParts(PartGraph))
		s, err := f.Analyze(ctx, Request{Paths: []string{dir}, Overlay: map[string][]byte{root: []byte(content)}})
		if err != nil {
			t.Fatal(err)
		}
		return inputs(s)
	}
	s, err := e.Analyze(ctx, Request{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if got := inputs(s); got != ". other " {
		t.Fatalf("inputs %q, want the root and other (net is called)", got)
	}
	for _, content := range []string{"# no module call\n", withCall} {
		s, err := e.Update(ctx, Change{Path: root, Content: []byte(content)})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := inputs(s), fresh(content); got != want {
			t.Errorf("after %q: inputs %q, a fresh analysis %q", content, got, want)
		}
	}
	if s := e.Last(); inputs(s) != ". other " {
		t.Errorf("called again: %q", inputs(s))
	}
}

// TestWithoutReuse: an engine that keeps nothing for a later analysis
// gives the same snapshot, and reads every input again the next time.
func TestWithoutReuse(t *testing.T) {
	dir := filepath.Join("..", "examples", "terraform")
	ctx := context.Background()
	keep, once := newTestEngine(t), newTestEngine(t, WithoutReuse())
	a, err := keep.Analyze(ctx, Request{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := once.Analyze(ctx, Request{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a.Findings, b.Findings) || !reflect.DeepEqual(a.Diagnostics, b.Diagnostics) || a.Graph.Len() != b.Graph.Len() {
		t.Fatal("WithoutReuse changed the snapshot")
	}
	if once.tf.Cached() != 0 {
		t.Errorf("the engine's loader holds %d parsed files", once.tf.Cached())
	}
	if keep.tf.Cached() == 0 {
		t.Error("the default engine kept no parsed file")
	}
}
