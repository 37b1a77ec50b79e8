package depth

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/ingest"
)

// wantErr checks err is a located *Error at line.
func wantErr(t *testing.T, err error, line, limit int) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("err = %v, want a *depth.Error", err)
	}
	if !errors.Is(err, ingest.ErrLimit) {
		t.Errorf("%v does not wrap ingest.ErrLimit", err)
	}
	if e.Line != line || e.Limit != limit || e.File != "f" {
		t.Errorf("error at %s:%d limit %d, want f:%d limit %d (%v)", e.File, e.Line, e.Limit, line, limit, err)
	}
	if !strings.Contains(err.Error(), "Limits.MaxDepth") {
		t.Errorf("%v does not name the limit", err)
	}
}

func TestJSON(t *testing.T) {
	deep := "{\"a\":\n" + strings.Repeat("[", 70_000) + strings.Repeat("]", 70_000) + "}"
	wantErr(t, JSON("f", []byte(deep), 0), 2, ingest.DefaultMaxDepth)
	ok := strings.Repeat("[", 10) + `"[[[[[[[[[[[[\"[[[["` + strings.Repeat("]", 10)
	if err := JSON("f", []byte(ok), 11); err != nil {
		t.Errorf("brackets in a string counted: %v", err)
	}
	if err := JSON("f", []byte(ok), 10); err != nil {
		t.Errorf("10 levels over a limit of 10: %v", err)
	}
	wantErr(t, JSON("f", []byte(ok), 9), 1, 9)
	// An escaped backslash ends the string.
	if err := JSON("f", []byte(`["\\", [[]]]`), 3); err != nil {
		t.Error(err)
	}
	wantErr(t, JSON("f", []byte(`["\\", [[]]]`), 2), 1, 2)
}

func TestYAML(t *testing.T) {
	cases := []struct {
		name, src string
		limit     int
		line      int // 0: accepted
	}{
		{"flow", "a:\n  b: " + strings.Repeat("[", 70_000), 0, 2},
		{"dashes", strings.Repeat("- ", 70_000) + "x", 0, 1},
		{"indent", func() string {
			var b strings.Builder
			for i := range 300 {
				b.WriteString(strings.Repeat(" ", i) + "k:\n")
			}
			return b.String()
		}(), 0, 257},
		{"block scalar", "a: |\n  [[[[[[[[\n  {{{{{{\nb: 1\n", 2, 0},
		{"quoted", "a: \"[[[[[[\n[[[[[\"\nb: '[[[['\n", 2, 0},
		{"plain", "a: b[[[[[c\nd: e{{{{\n", 2, 0},
		{"comment", "a: 1 # [[[[[[\n", 2, 0},
		{"flow in block", "a:\n  b: [[1]]\n", 3, 2},
		{"sequence", "a:\n- b:\n  - c: [1]\n", 4, 0},
		{"json", `{"a": [[[{"b": "[[["}]]]}`, 5, 0},
		{"json deep", `{"a": [[[{"b": "[[["}]]]}`, 4, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := YAML("f", []byte(c.src), c.limit)
			limit := c.limit
			if limit == 0 {
				limit = ingest.DefaultMaxDepth
			}
			if c.line == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantErr(t, err, c.line, limit)
		})
	}
}

func TestHCL(t *testing.T) {
	cases := []struct {
		name, src string
		limit     int
		line      int // 0: accepted
	}{
		{"list", "a = 1\nb = " + strings.Repeat("[", 70_000) + strings.Repeat("]", 70_000), 0, 2},
		{"tuple of objects", "x = [{a = [1]}]\n", 3, 0},
		{"tuple of objects deep", "x = [{a = [1]}]\n", 2, 1},
		{"not", "a = " + strings.Repeat("!", 100_000) + "true", 0, 1},
		{"plus", "a = 1" + strings.Repeat(" + 1", 100_000), 0, 1},
		{"conditional", "a = " + strings.Repeat("true ? 1 : ", 100_000) + "2", 0, 1},
		{"interpolation", "a = " + strings.Repeat(`"${`, 50_000) + "1" + strings.Repeat(`}"`, 50_000), 0, 1},
		{"directives", "a = \"" + strings.Repeat("%{if true}", 50_000) + "\"", 0, 1},
		{"ops reset per attribute", strings.Repeat("a = 1 + 2 + 3\n", 1000), 3, 0},
		{"ops reset per element", "a = [" + strings.Repeat("1 + 2, ", 1000) + "]", 2, 0},
		{"dashed names", "resource \"x\" \"y\" {\n  a-b-c-d-e-f = 1\n}\n", 2, 0},
		{"strings", `a = "[[[[ {{{{ (((( \" [[[["` + "\n", 2, 0},
		{"escapes", `a = "$${ %%{ [[[["` + "\n", 2, 0},
		{"comments", "# [[[[\n// {{{{\n/* ((((\n[[[ */\na = 1\n", 1, 0},
		{"heredoc", "a = <<-EOT\n  [[[[ {{{{ \" \n  EOT\nb = [1]\n", 1, 0},
		{"heredoc interpolation", "a = <<EOT\n${[[[1]]]}\nEOT\n", 4, 3 - 1},
		{"heredoc not closed", "a = <<EOT\n[[[[", 1, 0},
		{"string not closed", "a = \"[[[\nb = [1]\n", 1, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := HCL("f", []byte(c.src), c.limit)
			limit := c.limit
			if limit == 0 {
				limit = ingest.DefaultMaxDepth
			}
			if c.line == 0 {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantErr(t, err, c.line, limit)
		})
	}
}

// TestRepositoryFiles: every JSON, YAML and HCL file of the repository
// passes at the default limit, and at its own measured depth; a scan of the
// largest is cheap.
func TestRepositoryFiles(t *testing.T) {
	root := filepath.Join("..", "..", "..")
	n := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules") {
			return filepath.SkipDir
		}
		if d.IsDir() || strings.Contains(p, "/testdata/fuzz/") {
			return nil
		}
		var check func(string, []byte, int) error
		switch filepath.Ext(p) {
		case ".json":
			check = JSON
		case ".yaml", ".yml":
			check = YAML
		case ".tf", ".tfvars":
			check = HCL
		default:
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		n++
		if err := check(p, data, 0); err != nil {
			t.Errorf("%v", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 50 {
		t.Fatalf("only %d files checked", n)
	}
}

// jsonDepth is the true nesting of valid JSON.
func jsonDepth(data []byte) int {
	dec := json.NewDecoder(bytes.NewReader(data))
	d, m := 0, 0
	for {
		tok, err := dec.Token()
		if err == io.EOF || err != nil {
			return m
		}
		if dl, ok := tok.(json.Delim); ok {
			if dl == '[' || dl == '{' {
				d++
				m = max(m, d)
			} else {
				d--
			}
		}
	}
}

// FuzzJSON: on valid JSON the scan measures the true depth exactly.
func FuzzJSON(f *testing.F) {
	for _, s := range []string{`{"a":[1,{"b":"[\\"]"}]}`, `[[[]]]`, `"\\\\"`, `{"x":"\"{"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := JSON("f", data, 4)
		if !json.Valid(data) {
			return
		}
		if d := jsonDepth(data); (d > 4) != (err != nil) {
			t.Fatalf("depth %d, scan says %v", d, err)
		}
	})
}

// FuzzYAML: the scan never fails on odd input and locates what it rejects.
func FuzzYAML(f *testing.F) {
	for _, s := range []string{"a:\n  b: [1, {c: d}]\n", "- - x\n- y\n", "a: |\n  [[[\nb: 'x'\n", "k: \"a\\\"[\"\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := YAML("f", data, 4)
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) || e.Offset > len(data) || e.Line < 1 {
			t.Fatalf("bad error %v", err)
		}
	})
}

// FuzzHCL: the scan never fails on input it cannot handle and locates
// what it rejects; and it never rejects what nests less than the limit.
func FuzzHCL(f *testing.F) {
	for _, s := range []string{"a = [1, {b = \"${x}\"}]\n", "a = <<EOT\n${b}\nEOT\n", "a = !b ? 1 : -2\n", "# [[\nb = \"%{if c}d%{endif}\"\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := HCL("f", data, 4)
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) || e.Offset > len(data) || e.Line < 1 {
			t.Fatalf("bad error %v", err)
		}
	})
}

func TestRego(t *testing.T) {
	wantErr(t, Rego("f", []byte("package p\n\nx := "+strings.Repeat("[", 70_000)+strings.Repeat("]", 70_000)), 0), 3, ingest.DefaultMaxDepth)
	wantErr(t, Rego("f", []byte("package p\nf(x) := y if {\n  y := count([x])\n}\n"), 2), 3, 2)
	for _, src := range []string{
		"package p\nx := \"[[[[\\\"[[[[\"\n",
		"package p\nx := `[[[[\\`\ny := [1]\n",
		"package p\n# [[[[[[\nx := [1]\n",
		"package p\nf(x) := y if {\n  y := x\n}\n",
	} {
		if err := Rego("f", []byte(src), 2); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}

// FuzzRego: the scan never fails on odd input and locates what it rejects.
func FuzzRego(f *testing.F) {
	for _, s := range []string{"package p\n\ndeny contains msg if {\n  x := [1, {\"a\": `[[`}]\n  msg := \"]\"\n}\n", "package p\n# [[[\nf(x) := count([x])\n"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Rego("f", data, 4)
		if err == nil {
			return
		}
		var e *Error
		if !errors.As(err, &e) || e.Offset > len(data) || e.Line < 1 {
			t.Fatalf("bad error %v", err)
		}
	})
}

// A limit above ingest.MaxDepthBound is clamped to it: no caller can let
// through a nesting that overflows a parser's stack.
func TestLimitClamped(t *testing.T) {
	deep := []byte(strings.Repeat("[", ingest.MaxDepthBound+1) + strings.Repeat("]", ingest.MaxDepthBound+1))
	wantErr(t, JSON("f", deep, 1_000_000), 1, ingest.MaxDepthBound)
	if err := JSON("f", deep[1:len(deep)-1], 1_000_000); err != nil {
		t.Error(err)
	}
}
