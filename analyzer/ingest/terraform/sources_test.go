package terraform

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLocalModuleSources reads the local module calls of a folder of many
// files (parsed side by side): every ./ and ../ source in file order, not
// registry sources, not a source that is not a literal; an editor buffer
// wins over the disk; a file with a syntax error adds the calls HCL
// recovers from it; the load that follows finds every file parsed already.
func TestLocalModuleSources(t *testing.T) {
	files := map[string]string{
		"a.tf":         `module "net" { source = "./modules/net" }` + "\n" + `module "reg" { source = "terraform-aws-modules/vpc/aws" }`,
		"b.tf":         `module "up" { source = "../shared" }` + "\n" + `module "v" { source = var.where }`,
		"broken.tf":    `module "x" { source = "./never"`,
		"c.tf":         `resource "aws_vpc" "v" { cidr_block = "10.0.0.0/16" }`,
		"z.tf":         `module "z" { source = "./on-disk" }`,
		"notes.txt":    `module "t" { source = "./not-terraform" }`,
		"sub/inner.tf": `module "i" { source = "./inner" }`,
	}
	for i := range 12 {
		files[fmt.Sprintf("f%02d.tf", i)] = fmt.Sprintf(`module "m%d" { source = "./modules/m%d" }`, i, i)
	}
	dir := writeTree(t, files)
	abs, _ := filepath.Abs(dir)
	overlay := map[string][]byte{filepath.Join(abs, "z.tf"): []byte(`module "z" { source = "./from-buffer" }`)}
	l := NewLoader()
	got := l.LocalModuleSources(dir, overlay, 0)
	want := []string{filepath.Join(abs, "modules/net"), filepath.Join(filepath.Dir(abs), "shared"), filepath.Join(abs, "never")}
	for i := range 12 {
		want = append(want, filepath.Join(abs, fmt.Sprintf("modules/m%d", i)))
	}
	want = append(want, filepath.Join(abs, "from-buffer"))
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("sources (-want +got):\n%s", diff)
	}
	// Asked again: the same answer from the cache.
	if diff := cmp.Diff(got, l.LocalModuleSources(dir, overlay, 0)); diff != "" {
		t.Errorf("second call (-first +second):\n%s", diff)
	}
	cached := len(l.files)
	if cached != 17 {
		t.Errorf("%d files parsed, want the 17 .tf files of the folder", cached)
	}
	g := l.Load(context.Background(), dir, Options{})
	if len(l.files) != cached {
		t.Errorf("the load parsed %d more files", len(l.files)-cached)
	}
	if g.Node("aws_vpc.v") == nil {
		t.Error("the load lost aws_vpc.v")
	}
	if missing := NewLoader().LocalModuleSources(filepath.Join(dir, "absent"), nil, 0); missing != nil {
		t.Errorf("a missing folder: %v", missing)
	}
}
