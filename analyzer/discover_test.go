package analyzer

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest/terraform"
)

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func hasDiag(ds []graph.Diagnostic, file, substr string) bool {
	for _, d := range ds {
		if strings.HasSuffix(d.Range.File, file) && strings.Contains(d.Summary+" "+d.Detail, substr) {
			return true
		}
	}
	return false
}

const vpcsJSON = `{
  "Vpcs": [
    {"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16", "State": "available", "IsDefault": false,
     "Tags": [{"Key": "Name", "Value": "prod"}]}
  ]
}
`

func TestDiscoverBadInputsDoNotHideGoodOnes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ec2-describe-vpcs.json"), vpcsJSON)
	writeFile(t, filepath.Join(dir, "empty.json"), "")
	writeFile(t, filepath.Join(dir, "truncated.json"), `{"Subnets": [{"SubnetId": "subnet-1", "VpcId": "vpc-1",`)
	writeFile(t, filepath.Join(dir, "package.json"), `{"name": "not-an-input"}`)
	writeFile(t, filepath.Join(dir, "notes.txt"), "ignored")
	res, err := Analyze(context.Background(), Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Graph.Node("vpc-1") == nil {
		t.Error("the good file's VPC is missing")
	}
	if !hasDiag(res.Diagnostics, "empty.json", "empty file") {
		t.Errorf("no diagnostic for the empty file: %v", res.Diagnostics)
	}
	if !hasDiag(res.Diagnostics, "truncated.json", "") {
		t.Errorf("no diagnostic for the truncated file: %v", res.Diagnostics)
	}
	if hasDiag(res.Diagnostics, "package.json", "") {
		t.Errorf("package.json is not an input: %v", res.Diagnostics)
	}
	for _, d := range res.Diagnostics {
		if d.Range.File == "" {
			t.Errorf("diagnostic without a file: %v", d)
		}
	}
}

func TestDiscoverEmptyFolderAndMissingPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "net", "main.tf.json"), "{}")
	writeFile(t, filepath.Join(dir, "net", "notes.txt"), "hello")
	_, err := Analyze(context.Background(), Options{Paths: []string{dir}})
	var none *NoInputError
	if !errors.As(err, &none) {
		t.Fatalf("empty folder: want a NoInputError, got %v", err)
	}
	if !hasDiag(none.Diagnostics, filepath.Base(dir), "no input found") {
		t.Errorf("empty folder: %v", none.Diagnostics)
	}
	if len(none.Unsupported) != 1 || !strings.HasSuffix(none.Unsupported[0], "main.tf.json") || !strings.Contains(err.Error(), "main.tf.json") {
		t.Errorf("the Terraform JSON file is not named: %v", err)
	}
	if _, err := Analyze(context.Background(), Options{Paths: []string{filepath.Join(dir, "missing")}}); err == nil {
		t.Error("a missing path must be an error")
	}
	if _, err := Analyze(context.Background(), Options{}); err != ErrNoPaths {
		t.Errorf("no paths: %v", err)
	}
}

func TestDiscoverSymlinkOutOfRoot(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	writeFile(t, filepath.Join(outside, "secret.json"), vpcsJSON)
	root := t.TempDir()
	if err := os.Symlink(filepath.Join(outside, "secret.json"), filepath.Join(root, "link.json")); err != nil {
		t.Skip("symlinks unsupported:", err)
	}
	_, err := Analyze(context.Background(), Options{Paths: []string{root}})
	var none *NoInputError
	if !errors.As(err, &none) {
		t.Fatalf("a root whose only file links out of it has no input: %v", err)
	}
	if !hasDiag(none.Diagnostics, "link.json", "out of the scanned root") {
		t.Errorf("no diagnostic for the escaping link: %v", none.Diagnostics)
	}
	res, err := Analyze(context.Background(), Options{Paths: []string{root}, AllowOutsideRoot: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Graph.Node("vpc-1") == nil {
		t.Error("AllowOutsideRoot did not follow the link")
	}
}

func TestDiscoverFileSizeLimit(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "ec2-describe-vpcs.json"), vpcsJSON)
	res, err := Analyze(context.Background(), Options{Paths: []string{dir}, MaxFileSize: 64})
	if err != nil {
		t.Fatal(err)
	}
	if !hasDiag(res.Diagnostics, "ec2-describe-vpcs.json", "larger than the limit") {
		t.Errorf("size limit not enforced: %v", res.Diagnostics)
	}
}

func TestRootModules(t *testing.T) {
	t.Parallel()
	root := "/r"
	dirs := map[string]string{
		"/r/envs/prod":       root,
		"/r/envs/prod/inner": root,
		"/r/modules/vpc":     root,
		"/r/envs/staging":    root,
	}
	a := &analysis{tf: terraform.NewLoader()}
	got := a.rootModules(dirs)
	// Nothing calls envs/prod/inner: a root of its own (calls are tested
	// on real files in TestRootModulesByCalls).
	want := []string{"/r/envs/prod", "/r/envs/prod/inner", "/r/envs/staging"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("rootModules = %v, want %v", got, want)
	}
	if got := a.rootModules(map[string]string{"/r/modules/vpc": "/r/modules/vpc"}); len(got) != 1 {
		t.Errorf("a module folder scanned on its own is a root: %v", got)
	}
}

func TestTerraformPlanStandsForItsConfiguration(t *testing.T) {
	t.Parallel()
	dir := filepath.Join("..", "testdata", "terraform", "plan")
	res, err := Analyze(context.Background(), Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Inputs) != 1 || filepath.Base(res.Inputs[0].Path) != "plan.json" || res.Inputs[0].Form != graph.FormTerraform {
		t.Fatalf("inputs = %+v, want only plan.json (terraform)", res.Inputs)
	}
	if !hasDiag(res.Diagnostics, "state.json", "describes the same configuration") {
		t.Errorf("no note that state.json was not read: %v", res.Diagnostics)
	}
	for _, d := range res.Diagnostics {
		if strings.Contains(d.Summary, "described differently") {
			t.Errorf("plan and configuration were both read: %v", d)
		}
	}
}

// TestEveryFormInOneGraph reads the production architecture in every form
// at once: one graph, one input list, no errors. Resources named the same in
// every form (the Auto Scaling group, the RDS instance and its subnet group:
// their ids are their names) merge into one node.
func TestEveryFormInOneGraph(t *testing.T) {
	t.Parallel()
	paths := map[graph.Form]string{
		graph.FormDescribe:       filepath.Join("..", "testdata", "describe", "production"),
		graph.FormTerraform:      filepath.Join("..", "examples", "terraform", "production"),
		graph.FormCloudFormation: filepath.Join("..", "examples", "cloudformation", "production.yaml"),
	}
	ids := map[string]bool{}
	var all []string
	for form, p := range paths {
		res, err := Analyze(context.Background(), Options{Paths: []string{p}})
		if err != nil {
			t.Fatal(err)
		}
		if res.HasErrors() {
			t.Errorf("%s: %v", form, res.Diagnostics)
		}
		for _, in := range res.Inputs {
			if in.Form != form {
				t.Errorf("%s detected as %s", in.Path, in.Form)
			}
		}
		for _, n := range res.Graph.Nodes() {
			ids[n.Meta().ID] = true
		}
		all = append(all, p)
	}
	res, err := Analyze(context.Background(), Options{Paths: all})
	if err != nil {
		t.Fatal(err)
	}
	if res.HasErrors() {
		t.Errorf("together: %v", res.Diagnostics)
	}
	if res.Graph.Len() != len(ids) {
		t.Errorf("together %d nodes, separately %d distinct ids", res.Graph.Len(), len(ids))
	}
	for _, id := range []string{"prod-app-asg", "prod-db"} {
		if res.Graph.Node(id) == nil {
			t.Errorf("%s missing from the merged graph", id)
		}
	}
	forms := map[graph.Form]bool{}
	for _, in := range res.Inputs {
		forms[in.Form] = true
	}
	if len(forms) != 3 {
		t.Errorf("forms read together: %v", forms)
	}
}

// TestRootModulesByCalls: a folder is a called module when a scanned
// folder calls it by a local source; nested folders that nothing calls are
// roots of their own.
func TestRootModulesByCalls(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	vpc := func(name string) string {
		return "resource \"aws_vpc\" \"" + name + "\" {\n  cidr_block = \"10.0.0.0/16\"\n}\n"
	}
	writeFile(t, filepath.Join(dir, "repo", "main.tf"), vpc("this"))
	writeFile(t, filepath.Join(dir, "repo", "examples", "complete", "main.tf"), "module \"m\" {\n  source = \"../../\"\n}\n")
	writeFile(t, filepath.Join(dir, "infra", "main.tf"), vpc("shared"))
	writeFile(t, filepath.Join(dir, "infra", "envs", "prod", "main.tf"), "module \"net\" {\n  source = \"../../net\"\n}\n")
	writeFile(t, filepath.Join(dir, "infra", "net", "main.tf"), vpc("net"))
	res, err := Analyze(context.Background(), Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range res.Inputs {
		rel, _ := filepath.Rel(dir, in.Path)
		got = append(got, filepath.ToSlash(rel))
	}
	want := []string{"infra", "infra/envs/prod", "repo/examples/complete"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("root modules %v, want %v", got, want)
	}
	if res.HasErrors() {
		t.Errorf("diagnostics: %v", res.Diagnostics)
	}
	if res.Graph.Len() == 0 {
		t.Error("nothing read")
	}
}
