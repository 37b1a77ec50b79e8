package terraform

import (
	"context"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
)

// sameGraph fails unless two loads gave the same nodes and diagnostics.
func sameGraph(t *testing.T, what string, got, want *graph.Graph) {
	t.Helper()
	if !reflect.DeepEqual(got.Diagnostics, want.Diagnostics) {
		t.Errorf("%s: diagnostics differ from a fresh load:\n got %v\nwant %v", what, got.Diagnostics, want.Diagnostics)
	}
	gn, wn := got.Nodes(), want.Nodes()
	if len(gn) != len(wn) {
		t.Errorf("%s: %d nodes, a fresh load %d", what, len(gn), len(wn))
		return
	}
	for i := range gn {
		if !reflect.DeepEqual(gn[i], wn[i]) {
			t.Errorf("%s: node %s differs from a fresh load:\n got %+v\nwant %+v", what, gn[i].Meta().ID, gn[i], wn[i])
			return
		}
	}
}

// copyTree copies the .tf files under src (modules included) to a new
// temporary folder.
func copyTree(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := filepath.Join(dst, rel)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return err
		}
		return os.WriteFile(out, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// TestReuseMatchesFreshLoad edits each .tf file of real configurations
// (the examples, the test modules with count, for_each, dynamic blocks,
// data sources and module calls, a generated 300-resource module) in ways
// that change nothing, change values others read, add and remove names,
// and break the syntax, loading after each edit with one Loader (which
// reuses the evaluations the edit leaves valid) and with a new Loader: the
// nodes and diagnostics are the same every time. The generated module's
// unchanged files are reused, and the blocks of the edited one that moved.
func TestReuseMatchesFreshLoad(t *testing.T) {
	t.Parallel()
	roots := map[string]string{
		"basic":      "../../../examples/terraform/basic",
		"improved":   "../../../examples/terraform/improved",
		"production": "../../../examples/terraform/production",
		"modstyle":   "../../../testdata/terraform/modstyle",
		"rules":      "../../../testdata/terraform/rules",
		"bpa":        "testdata/bpa",
	}
	names := make([]string, 0, len(roots))
	for n := range roots {
		names = append(names, n)
	}
	sort.Strings(names)
	edits := []struct {
		name string
		fn   func(string) string
	}{
		{"comment", func(s string) string { return "# edited\n" + s }},
		{"world to private", func(s string) string { return strings.ReplaceAll(s, "0.0.0.0/0", "10.0.0.0/8") }},
		{"ports", func(s string) string { return strings.ReplaceAll(s, "= 22", "= 2222") }},
		{"names", func(s string) string { return strings.ReplaceAll(s, `"main"`, `"primary"`) }},
		{"added", func(s string) string {
			return s + "\nlocals {\n  zz_extra = \"x\"\n}\nresource \"aws_security_group\" \"zz\" {\n  name   = local.zz_extra\n  vpc_id = \"vpc-zz\"\n}\n"
		}},
		{"half", func(s string) string { return s[:len(s)/2] }},
		{"first half of lines", func(s string) string {
			lines := strings.Split(s, "\n")
			return strings.Join(lines[:len(lines)/2], "\n")
		}},
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := copyTree(t, roots[name])
			var files []string
			_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() && strings.HasSuffix(p, ".tf") {
					files = append(files, p)
				}
				return nil
			})
			ctx := context.Background()
			warm := NewLoader()
			opts := Options{Options: ingest.Options{Root: dir}}
			sameGraph(t, "first load", warm.Load(ctx, dir, opts), NewLoader().Load(ctx, dir, opts))
			for _, f := range files {
				orig, err := os.ReadFile(f)
				if err != nil {
					t.Fatal(err)
				}
				rel, _ := filepath.Rel(dir, f)
				for _, e := range edits {
					for _, content := range []string{e.fn(string(orig)), string(orig)} {
						o := opts
						o.Overlay = map[string][]byte{f: []byte(content)}
						sameGraph(t, rel+" "+e.name, warm.Load(ctx, dir, o), NewLoader().Load(ctx, dir, o))
					}
				}
			}
		})
	}
	t.Run("across files", func(t *testing.T) {
		// b.tf reads a.tf's VPC, c.tf reads b.tf's subnet, d.tf reads a
		// resource a.tf may not declare and has a dynamic block whose
		// for_each is unknown: an edit of a.tf changes what the unchanged
		// files evaluate to, or nothing.
		t.Parallel()
		dir := writeTree(t, map[string]string{
			"a.tf": `locals {
  env = "prod"
}
resource "aws_vpc" "main" {
  cidr_block = "10.0.0.0/16"
  tags       = { Name = "vpc-${local.env}" }
}
`,
			"b.tf": `resource "aws_subnet" "app" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, 1)
  availability_zone = "us-east-1a"
  tags              = { Name = "${aws_vpc.main.tags.Name}-app" }
}
`,
			"c.tf": `resource "aws_security_group" "app" {
  name   = "app-${local.env}"
  vpc_id = aws_vpc.main.id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = [aws_subnet.app.cidr_block]
  }
}
resource "aws_security_group" "named" {
  name   = "named-${local.env}"
  vpc_id = "vpc-1"
}
resource "aws_instance" "app" {
  ami                    = "ami-1"
  instance_type          = "t3.micro"
  subnet_id              = aws_subnet.app.id
  vpc_security_group_ids = [aws_security_group.app.id]
  tags                   = { Name = aws_subnet.app.tags.Name }
}
`,
			"d.tf": `resource "aws_security_group" "extra" {
  name   = "extra"
  vpc_id = aws_vpc.other.id
  dynamic "ingress" {
    for_each = toset([aws_vpc.main.cidr_block])
    content {
      from_port   = 22
      to_port     = 22
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }
}
variable "rules" {}
variable "lone_cidr" {
  default = "192.168.0.0/24"
}
resource "aws_subnet" "lone" {
  vpc_id     = "vpc-1"
  cidr_block = var.lone_cidr
}
resource "aws_security_group" "dyn" {
  name   = "dyn"
  vpc_id = aws_vpc.main.id
  dynamic "egress" {
    for_each = var.rules
    content {
      from_port   = 0
      to_port     = 0
      protocol    = "-1"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
}
`,
		})
		a := filepath.Join(dir, "a.tf")
		orig, err := os.ReadFile(a)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		warm := NewLoader()
		warm.Load(ctx, dir, Options{})
		for _, content := range []string{
			strings.Replace(string(orig), "10.0.0.0/16", "10.9.0.0/16", 1),
			strings.Replace(string(orig), `"prod"`, `"test"`, 1),
			string(orig) + "resource \"aws_vpc\" \"other\" {\n  cidr_block = \"172.16.0.0/16\"\n}\n",
			"# only a comment\n" + string(orig),
			// A new attribute name read: every resource value offers it.
			string(orig) + "resource \"aws_security_group\" \"reader\" {\n  name   = aws_subnet.lone.zz_attr\n  vpc_id = \"vpc-1\"\n}\n",
			string(orig),
		} {
			o := Options{Options: ingest.Options{Overlay: map[string][]byte{a: []byte(content)}}}
			sameGraph(t, "a.tf edited", warm.Load(ctx, dir, o), NewLoader().Load(ctx, dir, o))
		}
	})
	t.Run("generated", func(t *testing.T) {
		t.Parallel()
		dir := generate(t, 3, 100)
		ctx := context.Background()
		warm := NewLoader()
		warm.Load(ctx, dir, Options{})
		if warm.memos[dir] != nil {
			t.Error("the first load recorded what it evaluated")
		}
		warm.Load(ctx, dir, Options{}) // the second records
		edited := filepath.Join(dir, "net001.tf")
		orig, err := os.ReadFile(edited)
		if err != nil {
			t.Fatal(err)
		}
		for i, c := range []struct {
			content string
			want    int
		}{
			// net000.tf and net002.tf: 2 × 100 resources, less the data
			// and the instances of the edited file they do not read; and
			// the instances the edit leaves alone.
			{strings.ReplaceAll(string(orig), `"t3.micro"`, `"t3.large"`), 250},
			{"# edit\n" + string(orig), 250},
			// Every block of net001.tf one line up: moved, reused (but
			// the first and the last segments', parsed again).
			{string(orig), 295},
		} {
			o := Options{Options: ingest.Options{Overlay: map[string][]byte{edited: []byte(c.content)}}}
			sameGraph(t, "edit", warm.Load(ctx, dir, o), NewLoader().Load(ctx, dir, o))
			if warm.reused < c.want {
				t.Errorf("edit %d reused %d instances, want %d or more", i, warm.reused, c.want)
			}
		}
	})
}
