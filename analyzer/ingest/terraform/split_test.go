package terraform

import (
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/vpcgate/vpcgate/internal/tfgen"
)

// TestSplitParseMatches parses every .tf file of the repository and of
// generated workspaces whole and in pieces, cut at every cut point alone
// and at several at once: a parse in pieces that succeeds is the whole
// parse, field for field.
func TestSplitParseMatches(t *testing.T) {
	files := tfCorpus(t)
	if len(files) < 20 {
		t.Fatalf("found %d .tf files", len(files))
	}
	split, agreed := 0, 0
	for name, src := range files {
		whole, diags := parseWhole(src, name)
		bounds := allCuts(src)
		cuts := bounds[1 : len(bounds)-1]
		tries := [][]int{cuts}
		for _, c := range cuts {
			tries = append(tries, []int{c})
		}
		tries = append(tries, cutPoints(src, 2), cutPoints(src, 3), cutPoints(src, 8))
		for _, try := range tries {
			b, ok := parsePieces(src, name, try)
			if !ok {
				continue
			}
			split++
			if diags.HasErrors() {
				t.Errorf("%s: cut at %v parsed cleanly, the whole file does not: %v", name, try, diags)
				continue
			}
			if !reflect.DeepEqual(b, whole) {
				t.Errorf("%s: cut at %v: the pieces' body differs from the whole file's", name, try)
				continue
			}
			agreed++
		}
	}
	t.Logf("%d files, %d parses in pieces, all equal to the whole", len(files), split)
	if split == 0 || agreed != split {
		t.Fatalf("%d parses in pieces, %d equal to the whole", split, agreed)
	}
	// The trap file is never cut inside a construct.
	src := files["traps.tf"]
	for at := 0; ; {
		c := nextCut(src, at)
		if c < 0 {
			break
		}
		if _, ok := parsePieces(src, "traps.tf", []int{c}); ok && !strings.HasPrefix(string(src[c:]), "variable") {
			t.Errorf("traps.tf cut at line %q parsed", strings.SplitN(string(src[c:]), "\n", 2)[0])
		}
		at = c + 1
	}
}

// TestParseConfigBig: a file over splitMin goes through the pieces and
// gives the whole parse.
func TestParseConfigBig(t *testing.T) {
	src := []byte(tfgen.VPCFile(1, 300, tfgen.Admin))
	if len(src) < splitMin {
		t.Fatalf("%d bytes", len(src))
	}
	if _, ok := parsePieces(src, "big.tf", cutPoints(src, 2)); !ok {
		t.Fatal("not parsed in pieces")
	}
	got, diags := parseConfig(src, "big.tf")
	want, _ := parseWhole(src, "big.tf")
	if len(diags) > 0 || !reflect.DeepEqual(got, want) {
		t.Fatalf("parseConfig differs from the whole parse (%v)", diags)
	}
	var _ hcl.Body = (*hclsyntax.Body)(nil)
}

// FuzzSplitParse: whatever the text, a parse in pieces that succeeds is
// the whole parse.
func FuzzSplitParse(f *testing.F) {
	f.Add(tfgen.VPCFile(1, 12, tfgen.Admin))
	f.Add("resource \"a\" \"b\" {\n  x = <<EOF\n}\nresource \"c\" \"d\" {\nEOF\n}\nresource \"e\" \"f\" {}\n")
	f.Add("locals {\n}\nlocals {\n}\r\nvariable \"v\" {\n}\n")
	f.Fuzz(func(t *testing.T, src string) {
		b := []byte(src)
		whole, diags := parseWhole(b, "f.tf")
		for _, n := range []int{2, 3} {
			got, ok := parsePieces(b, "f.tf", cutPoints(b, n))
			if !ok {
				continue
			}
			if diags.HasErrors() || !reflect.DeepEqual(got, whole) {
				t.Fatalf("pieces (%d) differ from the whole parse (whole diags: %v)", n, diags)
			}
		}
	})
}

// tfCorpus returns the .tf files of the repository, generated ones (one
// with CRLF line ends) and traps.tf, whose cut points lie inside
// constructs.
func tfCorpus(t *testing.T) map[string][]byte {
	files := map[string][]byte{}
	root := filepath.Join("..", "..", "..")
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(p, ".tf") {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			files[p] = b
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	files["tfgen.tf"] = []byte(tfgen.VPCFile(1, 100, tfgen.World))
	files["crlf.tf"] = []byte(strings.ReplaceAll(tfgen.VPCFile(2, 30, tfgen.Admin), "\n", "\r\n"))
	// Cut points inside constructs: a heredoc, a comment and a list hold
	// lines that look like the end of a block and the start of another.
	files["traps.tf"] = []byte(`resource "aws_instance" "a" {
  user_data = <<EOF
}
resource "aws_instance" "evil" {
}
EOF
}
/*
}
resource "x" "y" {}
*/
resource "aws_instance" "b" {
  tags = {
    Name = "b"
}
resource "aws_vpc" "c" {}
}
}
variable "v" {}
`)
	return files
}
