package analyzer

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
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
	res, err := Analyze(context.Background(), Options{Paths: []string{dir}})
	if err != nil {
		t.Fatal(err)
	}
	if !hasDiag(res.Diagnostics, filepath.Base(dir), "no input found") {
		t.Errorf("empty folder: %v", res.Diagnostics)
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
	res, err := Analyze(context.Background(), Options{Paths: []string{root}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Graph.Node("vpc-1") != nil {
		t.Error("followed a symlink out of the scanned root")
	}
	if !hasDiag(res.Diagnostics, "link.json", "out of the scanned root") {
		t.Errorf("no diagnostic for the escaping link: %v", res.Diagnostics)
	}
	res, err = Analyze(context.Background(), Options{Paths: []string{root}, AllowOutsideRoot: true})
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
	got := rootModules(dirs)
	want := []string{"/r/envs/prod", "/r/envs/staging"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("rootModules = %v, want %v", got, want)
	}
	if got := rootModules(map[string]string{"/r/modules/vpc": "/r/modules/vpc"}); len(got) != 1 {
		t.Errorf("a module folder scanned on its own is a root: %v", got)
	}
}
