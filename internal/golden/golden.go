// Package golden is the one test helper for golden files in vpcgate: one
// -update flag for every package that imports it, one comparison that
// shows a diff and says how to refresh, and txtar archives for table
// cases whose inputs and expected outputs live in one file.
//
//	go test ./cost -run TestReport -update   # rewrite the golden files
//
// Tests only: nothing outside _test.go files imports this package.
package golden

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/tools/txtar"
)

var update = flag.Bool("update", false, "rewrite the golden files (and the outputs of txtar cases) instead of comparing")

// Updating reports whether the run rewrites golden files (-update).
func Updating() bool { return *update }

// Check compares got with the file at path. Under -update it writes got
// there instead (creating folders) and the test passes.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("golden file: %v (go test -update creates it)", err)
	}
	if diff := cmp.Diff(string(want), string(got)); diff != "" {
		t.Errorf("%s differs (-want +got; go test -update rewrites it if the change is intended):\n%s", path, diff)
	}
}

// CheckString is Check for text.
func CheckString(t testing.TB, path, got string) {
	t.Helper()
	Check(t, path, []byte(got))
}

// JSON renders v as the golden files hold JSON: indented by two spaces,
// with a final newline.
func JSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return append(b, '\n')
}

// CheckJSON is Check for the JSON form of v.
func CheckJSON(t testing.TB, path string, v any) {
	t.Helper()
	Check(t, path, JSON(t, v))
}

// Case is one txtar archive: a test case whose comment says what it checks
// and whose files are its inputs and its expected outputs.
type Case struct {
	// Name is the archive's file name without ".txtar".
	Name string
	// Path is the archive's path.
	Path string
	// Comment is the text before the first file.
	Comment string

	mu  sync.Mutex
	arc *txtar.Archive
}

// Cases reads every *.txtar archive in dir, sorted by name. A folder
// without archives fails t: a test that checks nothing is a mistake.
func Cases(t testing.TB, dir string) []*Case {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) == 0 {
		t.Fatalf("no .txtar cases in %s", dir)
	}
	sort.Strings(paths)
	out := make([]*Case, 0, len(paths))
	for _, p := range paths {
		out = append(out, Load(t, p))
	}
	return out
}

// Load reads one txtar archive.
func Load(t testing.TB, path string) *Case {
	t.Helper()
	arc, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, f := range arc.Files {
		if seen[f.Name] {
			t.Fatalf("%s: file %s appears twice", path, f.Name)
		}
		seen[f.Name] = true
	}
	return &Case{Name: strings.TrimSuffix(filepath.Base(path), ".txtar"), Path: path, Comment: string(arc.Comment), arc: arc}
}

// Names lists the case's files in archive order.
func (c *Case) Names() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]string, 0, len(c.arc.Files))
	for _, f := range c.arc.Files {
		out = append(out, f.Name)
	}
	return out
}

// Has reports whether the case has a file called name.
func (c *Case) Has(name string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.file(name) != nil
}

func (c *Case) file(name string) *txtar.File {
	for i := range c.arc.Files {
		if c.arc.Files[i].Name == name {
			return &c.arc.Files[i]
		}
	}
	return nil
}

// File returns the content of file name; a missing file fails t.
func (c *Case) File(t testing.TB, name string) []byte {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	f := c.file(name)
	if f == nil {
		t.Fatalf("%s: no file %s", c.Path, name)
	}
	return bytes.Clone(f.Data)
}

// WriteDir writes the case's files whose names have prefix under dir
// (the prefix removed; every file when prefix is ""), so that a reader can
// load them from disk. Names must stay inside dir.
func (c *Case) WriteDir(t testing.TB, prefix, dir string) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, f := range c.arc.Files {
		if !strings.HasPrefix(f.Name, prefix) {
			continue
		}
		rel := filepath.FromSlash(strings.TrimPrefix(f.Name, prefix))
		if !filepath.IsLocal(rel) {
			t.Fatalf("%s: file %s leaves the folder", c.Path, f.Name)
		}
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n == 0 {
		t.Fatalf("%s: no file under %q", c.Path, prefix)
	}
}

// Check compares got with the case's file name (an expected output).
// Under -update it puts got in the archive instead (adding the file when
// missing) and rewrites the archive; several subtests may check one case
// at once.
func (c *Case) Check(t testing.TB, name string, got []byte) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	if !bytes.HasSuffix(got, []byte("\n")) && len(got) > 0 {
		got = append(bytes.Clone(got), '\n') // txtar files end with a newline
	}
	f := c.file(name)
	if *update {
		if f == nil {
			c.arc.Files = append(c.arc.Files, txtar.File{Name: name})
			f = &c.arc.Files[len(c.arc.Files)-1]
		}
		f.Data = bytes.Clone(got)
		if err := os.WriteFile(c.Path, txtar.Format(c.arc), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if f == nil {
		t.Fatalf("%s: no expected file %s (go test -update adds it)", c.Path, name)
	}
	if diff := cmp.Diff(string(f.Data), string(got)); diff != "" {
		t.Errorf("%s: %s differs (-want +got; go test -update rewrites it if the change is intended):\n%s", c.Path, name, diff)
	}
}

// String names the case in test output.
func (c *Case) String() string { return fmt.Sprintf("%s (%s)", c.Name, c.Path) }
