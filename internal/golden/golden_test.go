package golden

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// sortedLines is the code under test of the example case.
func sortedLines(t *testing.T, dir string) string {
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		lines = append(lines, strings.Fields(string(b))...)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(lines)
	return strings.Join(lines, "\n") + "\n"
}

// TestCases runs the txtar cases of testdata the way a package's tests
// use them: inputs written to a folder, the output checked against the
// case's expected file.
func TestCases(t *testing.T) {
	for _, c := range Cases(t, "testdata") {
		t.Run(c.Name, func(t *testing.T) {
			if !strings.Contains(c.Comment, "expected output") || !c.Has("want") || c.Has("nothing") {
				t.Errorf("case %s read wrongly: comment %q, files %v", c, c.Comment, c.Names())
			}
			dir := t.TempDir()
			c.WriteDir(t, "in/", dir)
			if _, err := os.Stat(filepath.Join(dir, "sub", "b.txt")); err != nil {
				t.Errorf("WriteDir did not write the nested file: %v", err)
			}
			c.Check(t, "want", []byte(sortedLines(t, dir)))
		})
	}
}

// TestUpdate checks what -update does, on copies in a temporary folder: a
// golden file is written, an archive gains or changes its expected file
// and keeps the others.
func TestUpdate(t *testing.T) {
	defer func(old bool) { *update = old }(*update)
	dir := t.TempDir()

	*update = true
	p := filepath.Join(dir, "golden", "out.json")
	CheckJSON(t, p, map[string]int{"b": 2, "a": 1})
	b, err := os.ReadFile(p)
	if err != nil || string(b) != "{\n  \"a\": 1,\n  \"b\": 2\n}\n" {
		t.Fatalf("-update wrote %q, %v", b, err)
	}
	src, err := os.ReadFile(filepath.Join("testdata", "echo.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	arc := filepath.Join(dir, "echo.txtar")
	if err := os.WriteFile(arc, src, 0o644); err != nil {
		t.Fatal(err)
	}
	c := Load(t, arc)
	c.Check(t, "want", []byte("changed"))
	c.Check(t, "extra", []byte("new\n"))
	*update = false

	c = Load(t, arc)
	if got := string(c.File(t, "want")); got != "changed\n" {
		t.Errorf("want after -update = %q", got)
	}
	if got := string(c.File(t, "extra")); got != "new\n" {
		t.Errorf("extra after -update = %q", got)
	}
	if got := string(c.File(t, "in/a.txt")); got != "pear\napple\n" || !strings.HasPrefix(c.Comment, "An example case") {
		t.Errorf("the archive lost its inputs or comment: %q, %q", got, c.Comment)
	}

	// Without -update a difference fails the test.
	var rec recorder
	Check(&rec, p, []byte("{}\n"))
	c.Check(&rec, "want", []byte("other\n"))
	if rec.errors != 2 {
		t.Errorf("%d differences reported, want 2", rec.errors)
	}
}

// recorder is a testing.TB that counts errors instead of failing.
type recorder struct {
	testing.TB
	errors int
}

func (r *recorder) Helper()                           {}
func (r *recorder) Errorf(format string, args ...any) { r.errors++ }
