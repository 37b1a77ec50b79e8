package describe

import (
	"context"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/internal/estate"
)

// readTree returns every .json file under dir.
func readTree(t *testing.T, dir string) []File {
	t.Helper()
	var files []File
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".json" {
			return err
		}
		b, err := os.ReadFile(p)
		files = append(files, File{Path: p, Data: b})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// sameGraph fails unless a and b hold equal nodes and diagnostics.
func sameGraph(t *testing.T, what string, a, b *graph.Graph) {
	t.Helper()
	if a.Len() != b.Len() {
		t.Fatalf("%s: %d nodes, want %d", what, b.Len(), a.Len())
	}
	for _, n := range a.Nodes() {
		m := b.Node(n.Meta().ID)
		if !reflect.DeepEqual(n, m) {
			t.Fatalf("%s: node %s differs:\n%+v\n%+v", what, n.Meta().ID, n, m)
		}
	}
	if !reflect.DeepEqual(a.Diagnostics, b.Diagnostics) {
		t.Fatalf("%s: diagnostics differ:\n%v\n%v", what, a.Diagnostics, b.Diagnostics)
	}
}

// TestPartsReusable: joining the same parts twice gives the same graph as
// reading the files at once, the parts are not changed by a join, and a
// part read again on its own (an edited file) joins like one read with the
// others. This is what lets the engine re-read one describe file.
func TestPartsReusable(t *testing.T) {
	est := t.TempDir()
	if _, err := estate.Write(est, estate.Options{Instances: 300, Seed: 7, ItemsPerFile: 40}); err != nil {
		t.Fatal(err)
	}
	// Without describe-network-interfaces, the interfaces of instances are
	// located lazily, from the instances' text, as the parts are joined.
	noENIs := filepath.Join(t.TempDir(), "production-no-enis")
	if err := os.CopyFS(noENIs, os.DirFS(filepath.Join(fixturesDir, "production"))); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(noENIs, "ec2-describe-network-interfaces.json")); err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{filepath.Join(fixturesDir, "production"), filepath.Join(fixturesDir, "basic"), filepath.Join(fixturesDir, "improved"), est, noENIs} {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			ctx := context.Background()
			files := readTree(t, dir)
			if len(files) < 3 {
				t.Fatalf("%d files in %s", len(files), dir)
			}
			opts := Options{Options: ingest.Options{Region: "us-east-1"}}
			want := Read(ctx, files, opts)
			if want.Len() == 0 {
				t.Fatal("nothing read")
			}
			parts := ReadParts(ctx, files, opts)
			before := graph.CopyValue(reflect.ValueOf(parts)).Interface().([]*Part)
			sameGraph(t, "first join", want, Assemble(ctx, parts, opts))
			sameGraph(t, "second join", want, Assemble(ctx, parts, opts))
			// A part kept without its bytes and given them back joins to the
			// same graph, lazy ranges of derived interfaces included.
			data := map[string][]byte{}
			for _, f := range files {
				data[f.Path] = f.Data
			}
			reattached := make([]*Part, len(parts))
			lazy := 0
			for i, p := range parts {
				d := p.Detach()
				if d.scan.data != nil || (d.scan.lines != nil && d.scan.lines.data != nil) {
					t.Fatalf("%s: a detached part holds its bytes", p.Path())
				}
				if p.scan.data == nil {
					t.Fatalf("%s: detaching changed the part", p.Path())
				}
				for _, r := range d.results {
					for _, rec := range r.recs {
						if rec.lazy != nil {
							lazy++
						}
					}
				}
				reattached[i] = d.Attach(data[p.Path()])
			}
			sameGraph(t, "detached and attached", want, Assemble(ctx, reattached, opts))
			if filepath.Base(dir) != "basic" && lazy == 0 {
				t.Errorf("no derived interface with a lazy range: the test does not reach them")
			}
			for i := range parts {
				if !reflect.DeepEqual(parts[i].results, before[i].results) {
					t.Fatalf("joining changed the part of %s", parts[i].Path())
				}
			}
			// Each file read again alone joins to the same graph.
			sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
			for i := range files {
				again := append([]*Part(nil), parts...)
				again[i] = ReadParts(ctx, files[i:i+1], opts)[0]
				if !again[i].Reusable() {
					t.Fatalf("%s: a part of one file is not reusable", files[i].Path)
				}
				sameGraph(t, "rejoined "+filepath.Base(files[i].Path), want, Assemble(ctx, again, opts))
			}
		})
	}
}
