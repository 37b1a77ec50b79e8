package analyzer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"testing"
	"time"
)

// copyTree copies a folder of fixtures into dst.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// outcome is what must not depend on how a snapshot was made.
func outcome(t *testing.T, s *Snapshot) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	for _, v := range []any{s.Graph.Facts, s.Findings, s.Costs, s.Diagnostics} {
		if err := enc.Encode(v); err != nil {
			t.Fatal(err)
		}
	}
	return buf.Bytes()
}

// TestIncrementalEqualsFull edits a workspace of several stacks at random
// and checks, after each edit, that the engine's incremental snapshot
// (components re-derived and re-evaluated only where touched) equals a
// fresh engine's whole analysis.
func TestIncrementalEqualsFull(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	ws := t.TempDir()
	for _, s := range []string{"basic", "improved", "production"} {
		copyTree(t, filepath.Join("..", "examples", "terraform", s), filepath.Join(ws, "tf-"+s))
	}
	copyTree(t, filepath.Join("..", "examples", "three-tier-basic"), filepath.Join(ws, "dump"))
	files := []string{
		filepath.Join(ws, "tf-basic", "main.tf"),
		filepath.Join(ws, "tf-improved", "main.tf"),
		filepath.Join(ws, "tf-production", "main.tf"),
		filepath.Join(ws, "dump", "ec2-describe-security-groups.json"),
		filepath.Join(ws, "dump", "rds-describe-db-instances.json"),
		filepath.Join(ws, "dump", "ec2-describe-security-group-rules.json"),
	}
	mutations := []struct{ re, to string }{
		{`cidr_blocks = \["0\.0\.0\.0/0"\]`, `cidr_blocks = ["10.0.0.0/8"]`},
		{`cidr_blocks = \["10\.0\.0\.0/8"\]`, `cidr_blocks = ["0.0.0.0/0"]`},
		{`from_port( *)= 80\b`, `from_port$1= 22`},
		{`from_port( *)= 22\b`, `from_port$1= 80`},
		{`multi_az( *)= false`, `multi_az$1= true`},
		{`multi_az( *)= true`, `multi_az$1= false`},
		{`publicly_accessible( *)= true`, `publicly_accessible$1= false`},
		{`publicly_accessible( *)= false`, `publicly_accessible$1= true`},
		// Describe output.
		{`"CidrIp": "0\.0\.0\.0/0"`, `"CidrIp": "10.0.0.0/8"`},
		{`"CidrIp": "10\.0\.0\.0/8"`, `"CidrIp": "0.0.0.0/0"`},
		{`"FromPort": 3306`, `"FromPort": 22`},
		{`"FromPort": 22\b`, `"FromPort": 3306`},
		{`"MultiAZ": false`, `"MultiAZ": true`},
		{`"MultiAZ": true`, `"MultiAZ": false`},
		{`"PubliclyAccessible": true`, `"PubliclyAccessible": false`},
		{`"PubliclyAccessible": false`, `"PubliclyAccessible": true`},
	}
	content := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		content[f] = b
	}
	e := newTestEngine(t, WithNow(fixedNow))
	if _, err := e.Analyze(ctx, Request{Paths: []string{ws}}); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	partial, describeEdits := 0, 0
	for i := range 40 {
		f := files[rng.IntN(len(files))]
		m := mutations[rng.IntN(len(mutations))]
		re := regexp.MustCompile(m.re)
		locs := re.FindAllIndex(content[f], -1)
		if len(locs) == 0 {
			continue
		}
		at := locs[rng.IntN(len(locs))]
		var next []byte
		next = append(next, content[f][:at[0]]...)
		next = append(next, re.ReplaceAll(content[f][at[0]:at[1]], []byte(m.to))...)
		next = append(next, content[f][at[1]:]...)
		content[f] = next
		inc, err := e.Update(ctx, Change{Path: f, Content: next})
		if err != nil {
			t.Fatal(err)
		}
		// One input read again: the module's folder, or the describe file
		// alone (not every file of the dump).
		if len(inc.Reread) != 1 || (inc.Reread[0].Path != f && inc.Reread[0].Path != filepath.Dir(f)) {
			t.Fatalf("edit %d of %s re-read %v, want that input alone", i, f, inc.Reread)
		}
		if filepath.Ext(f) == ".json" {
			describeEdits++
		}
		if e.derived[0] < e.derived[1] {
			partial++
		}
		fresh := newTestEngine(t, WithNow(fixedNow))
		fresh.overlay = map[string][]byte{}
		for p, b := range content {
			fresh.overlay[p] = b
		}
		full, err := fresh.Analyze(ctx, Request{Paths: []string{ws}})
		if err != nil {
			t.Fatal(err)
		}
		if got, want := outcome(t, inc), outcome(t, full); !bytes.Equal(got, want) {
			t.Fatalf("edit %d (%s in %s): the incremental snapshot differs from a whole analysis", i, m.re, filepath.Base(filepath.Dir(f)))
		}
	}
	if describeEdits == 0 {
		t.Error("no describe file was edited")
	}
	if partial == 0 {
		t.Error("no edit was re-derived in part: the test exercised nothing incremental")
	}
	if !e.memoOK {
		t.Error("results were never kept per component")
	}
}

var fixedNow = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// TestChunkedEvaluation evaluates the policies of every example and
// fixture folder, and of a generated workspace of 30 VPCs, by chunks of
// components and over the whole graph: the findings and diagnostics are
// the same.
func TestChunkedEvaluation(t *testing.T) {
	ws, _ := workspace(t, 30, 60, false)
	dirs := []string{ws}
	for _, root := range []string{"../examples", "../testdata/describe", "../testdata/terraform", "../testdata/cloudformation"} {
		entries, err := os.ReadDir(root)
		if err != nil {
			t.Fatal(err)
		}
		for _, en := range entries {
			if en.IsDir() {
				dirs = append(dirs, filepath.Join(root, en.Name()))
			}
		}
	}
	oldMin, oldShare := chunkMin, chunkShare
	t.Cleanup(func() { chunkMin, chunkShare = oldMin, oldShare })
	chunkShare = 1
	chunked := 0
	for _, dir := range dirs {
		var snaps [2]*Snapshot
		chunks := 0
		for i, min := range []int{1 << 30, 0} {
			chunkMin = min
			e := newTestEngine(t)
			s, err := e.Analyze(context.Background(), Request{Paths: []string{dir}})
			chunks = e.chunks
			var none *NoInputError
			if errors.As(err, &none) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", dir, err)
			}
			snaps[i] = s
		}
		if snaps[0] == nil {
			continue
		}
		if !reflect.DeepEqual(snaps[0].Findings, snaps[1].Findings) {
			t.Errorf("%s: %d findings over the whole graph, %d by chunks, or they differ", dir, len(snaps[0].Findings), len(snaps[1].Findings))
		}
		if !reflect.DeepEqual(snaps[0].Diagnostics, snaps[1].Diagnostics) {
			t.Errorf("%s: diagnostics differ", dir)
		}
		if len(snaps[0].Findings) > 0 && chunks > 1 {
			chunked++
		}
	}
	t.Logf("%d of %d folders with findings evaluated by chunks, as over the whole graph", chunked, len(dirs))
	if chunked < 10 {
		t.Fatalf("only %d folders with findings evaluated by chunks", chunked)
	}
}
