package terraform

import (
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/vpcgate/vpcgate/internal/tfgen"
)

// constructs holds every kind of expression HCL has, splats and for
// expressions (whose symbol the tree holds twice) among them.
const constructs = `locals {
  a = [for i, v in var.list : upper(v) if i > 0]
  b = { for k, v in var.map : k => v... }
  c = aws_instance.web[*].id
  d = aws_instance.web.*.private_ip
  e = var.on ? "yes" : "no"
  f = -var.n + 2 * (var.m - 1) % 3
  g = !var.on && var.n >= 2 || var.m != 1
  h = "${var.name}-%{if var.on}on%{else}off%{endif}-%{for x in var.list}${x}%{endfor}"
  i = <<-EOT
    hello ${var.name}
  EOT
  j = merge(var.map, { x = 1 }, [for m in var.maps : m]...)
  k = var.map["key"][0].field
  l = (var.list)[1]
  m = [var.a, var.b]
  n = aws_subnet.s["x"].id
}
resource "aws_security_group" "web" {
  name = "web"
  dynamic "ingress" {
    for_each = var.ports
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = [for c in var.cidrs : c]
    }
  }
}
# a comment between blocks
// another
resource "aws_instance" "web" {
  count = 2
  tags  = { Name = "web-${count.index}" }
}
/* a block comment */
variable "list" {
  type    = list(string)
  default = ["a", "b"]
}
output "ids" {
  value = aws_instance.web[*].id
}
`

// TestReparseMatches edits every file of the corpus — a line added above
// the blocks, a block inserted, deleted, duplicated, two blocks swapped,
// a value made longer, a heredoc left open — and parses each new text with
// the Loader that parsed the last one, then the original again: every
// parse is the whole file's, field for field, its positions included,
// and blocks are taken over (the generated file's, all but the edited).
func TestReparseMatches(t *testing.T) {
	files := tfCorpus(t)
	files["constructs.tf"] = []byte(constructs)
	edits := []struct {
		name string
		fn   func(src string, bounds []int) string
	}{
		{"line above", func(s string, b []int) string { return s[:b[1]] + "# note\n\n" + s[b[1]:] }},
		{"block inserted", func(s string, b []int) string {
			m := b[len(b)/2]
			return s[:m] + "resource \"aws_vpc\" \"zz\" {\n  cidr_block = \"10.9.0.0/16\"\n}\n" + s[m:]
		}},
		{"block deleted", func(s string, b []int) string { m := len(b) / 2; return s[:b[m-1]] + s[b[m]:] }},
		{"block duplicated", func(s string, b []int) string { m := len(b) / 2; return s[:b[m]] + s[b[m-1]:b[m]] + s[b[m]:] }},
		{"blocks swapped", func(s string, b []int) string {
			m := len(b) / 2
			return s[:b[m-1]] + s[b[m]:b[m+1]] + s[b[m-1]:b[m]] + s[b[m+1]:]
		}},
		{"value longer", func(s string, b []int) string {
			m := b[len(b)/2]
			if i := strings.Index(s[m:], "\""); i >= 0 {
				return s[:m+i+1] + "longer-" + s[m+i+1:]
			}
			return s
		}},
		{"heredoc opened", func(s string, b []int) string { m := b[2]; return s[:m] + "locals {\n  x = <<EOF\n" + s[m:] }},
	}
	parses, taken, total := 0, 0, 0
	for name, src := range files {
		bounds := allCuts(src)
		if len(bounds) < 5 {
			continue
		}
		l := NewLoader()
		l.parse(name, src, 0)
		for _, e := range edits {
			for _, text := range [][]byte{[]byte(e.fn(string(src), bounds)), src} {
				before := map[*hclsyntax.Block]bool{}
				donor := len(l.files[name].segs) > 0
				if old := l.files[name]; old != nil {
					for _, b := range old.body.Blocks {
						before[b] = true
					}
				}
				f := l.parse(name, text, 0)
				whole, diags := parseWhole(text, name)
				parses++
				if len(diags) > 0 {
					if len(f.diags) == 0 {
						t.Errorf("%s %s: parsed without the whole parse's diagnostics %v", name, e.name, diags)
					}
					continue
				}
				if len(f.diags) > 0 || !reflect.DeepEqual(f.body, whole) {
					t.Errorf("%s %s: the parse differs from the whole file's (%v)", name, e.name, f.diags)
					continue
				}
				// What the file keeps besides its tree is a fresh parse's:
				// traversal shapes, each segment's, the references of
				// every attribute.
				fresh := NewLoader().parse(name, text, 0)
				if !reflect.DeepEqual(shapes(f.travs), shapes(fresh.travs)) {
					t.Errorf("%s %s: traversal shapes differ from a fresh parse's", name, e.name)
				}
				if len(f.segs) != len(fresh.segs) {
					t.Errorf("%s %s: %d segments, a fresh parse %d", name, e.name, len(f.segs), len(fresh.segs))
				} else {
					for k := range f.segs {
						if !reflect.DeepEqual(shapes(f.segs[k].travs), shapes(fresh.segs[k].travs)) || f.segs[k].start != fresh.segs[k].start {
							t.Errorf("%s %s: segment %d differs from a fresh parse's: %+v vs %+v", name, e.name, k, f.segs[k].travs, fresh.segs[k].travs)
						}
					}
				}
				if got, want := refsInOrder(f.body, f.refs), refsInOrder(fresh.body, fresh.refs); !reflect.DeepEqual(got, want) || len(f.refs) != len(fresh.refs) {
					t.Errorf("%s %s: attribute references differ from a fresh parse's", name, e.name)
				}
				n := 0
				for _, b := range f.body.Blocks {
					if before[b] {
						n++
					}
				}
				taken += n
				total += len(f.body.Blocks)
				// The generated file's first segment holds three blocks,
				// its last one: each is parsed again.
				if name == "tfgen.tf" && donor && n < len(f.body.Blocks)-6 {
					t.Errorf("%s %s: %d of %d blocks taken over", name, e.name, n, len(f.body.Blocks))
				}
			}
		}
	}
	t.Logf("%d files, %d parses, %d of %d blocks taken over", len(files), parses, taken, total)
	if taken == 0 || taken*2 < total {
		t.Fatalf("%d of %d blocks taken over", taken, total)
	}
}

// TestReparseDonatesOnce: the last text of a file gives its blocks to one
// new text only, so that two parses never move one tree.
func TestReparseDonatesOnce(t *testing.T) {
	src := []byte(tfgen.VPCFile(1, 30, tfgen.Admin))
	l := NewLoader()
	old := l.parse("a.tf", src, 0)
	edited := append([]byte("# edit\n"), src...)
	first := l.parse("a.tf", edited, 0)
	if !old.donated || first.body.Blocks[5] != old.body.Blocks[5] {
		t.Fatal("the first new text did not take the blocks over")
	}
	l.files["a.tf"] = old // as a second goroutine that read the cache before the first stored
	second := l.parse("a.tf", append([]byte("# other edit\n"), src...), 0)
	for _, b := range second.body.Blocks {
		for _, o := range old.body.Blocks {
			if b == o {
				t.Fatal("a donated block was taken over twice")
			}
		}
	}
	if whole, _ := parseWhole(first.src, "a.tf"); !reflect.DeepEqual(first.body, whole) {
		t.Fatal("the first parse changed")
	}
}

// FuzzReparse: whatever the text and the edit, a parse that takes blocks
// over is the whole parse of the new text. The input is the old text, a
// NUL, and what is inserted at the middle of the old text.
func FuzzReparse(f *testing.F) {
	f.Add(tfgen.VPCFile(1, 12, tfgen.Admin) + "\x00# x\n")
	f.Add(constructs + "\x00resource \"a\" \"b\" {\n}\n")
	f.Add("resource \"a\" \"b\" {\n  x = <<EOF\n}\nresource \"c\" \"d\" {\nEOF\n}\nresource \"e\" \"f\" {}\nresource \"g\" \"h\" {}\n\x00<<EOF\n")
	f.Fuzz(func(t *testing.T, data string) {
		src, ins, _ := strings.Cut(data, "\x00")
		k := len(src) / 2
		text := []byte(src[:k] + ins + src[k:])
		if checkText("f.tf", []byte(src), 0) != nil || checkText("f.tf", text, 0) != nil {
			return // not parsed at all (not UTF-8, too deep)
		}
		l := NewLoader()
		l.parse("f.tf", []byte(src), 0)
		got := l.parse("f.tf", text, 0)
		whole, diags := parseWhole(text, "f.tf")
		if (len(diags) > 0) != (len(got.diags) > 0) {
			t.Fatalf("diagnostics differ: whole %v, got %v", diags, got.diags)
		}
		if len(diags) == 0 && !reflect.DeepEqual(got.body, whole) {
			t.Fatal("the parse differs from the whole file's")
		}
		fresh := NewLoader().parse("f.tf", text, 0)
		if !reflect.DeepEqual(shapes(got.travs), shapes(fresh.travs)) || !reflect.DeepEqual(refsInOrder(got.body, got.refs), refsInOrder(fresh.body, fresh.refs)) {
			t.Fatal("traversal shapes or references differ from a fresh parse's")
		}
	})
}

// shapes returns the keys of traversal shapes, sorted.
func shapes(ts []travRef) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.key
	}
	sort.Strings(out)
	return out
}

// refsInOrder lists refs of every attribute of body, in order.
func refsInOrder(body *hclsyntax.Body, refs map[hcl.Expression]exprRefs) []exprRefs {
	var out []exprRefs
	for _, name := range sortedKeys(body.Attributes) {
		r, ok := refs[body.Attributes[name].Expr]
		if !ok {
			r = exprRefs{{root: "MISSING"}}
		}
		out = append(out, r)
	}
	for _, b := range body.Blocks {
		out = append(out, refsInOrder(b.Body, refs)...)
	}
	return out
}
