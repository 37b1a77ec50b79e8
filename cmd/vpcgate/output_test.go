package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOutputFile: -o writes what would go to standard output to the file,
// byte for byte, leaves nothing on standard output and no temporary file;
// a run that fails before printing (a usage error) creates no file and
// keeps an existing one.
func TestOutputFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := filepath.Join(fixtures, "basic")
	want, _, wantCode := runCLI(t, "scan", "--format", "json", in)
	out := filepath.Join(dir, "findings.json")
	stdout, stderr, code := runCLI(t, "scan", in, "--format", "json", "-o", out)
	if code != wantCode || stdout != "" {
		t.Fatalf("exit %d (want %d), stdout %q, stderr %s", code, wantCode, stdout, stderr)
	}
	got, err := os.ReadFile(out)
	if err != nil || string(got) != want {
		t.Fatalf("file differs from standard output (%v):\n%.300s", err, got)
	}
	// Other commands: graph and cost write the same bytes to the file.
	for _, args := range [][]string{{"graph", "--format", "dot", in}, {"cost", "--format", "json", in}} {
		want, _, _ := runCLI(t, args...)
		p := filepath.Join(dir, args[0]+".out")
		if stdout, stderr, _ := runCLI(t, append(args, "--output", p)...); stdout != "" {
			t.Fatalf("%s -o printed %q (%s)", args[0], stdout, stderr)
		}
		if got, _ := os.ReadFile(p); string(got) != want || want == "" {
			t.Errorf("%s -o: file differs from standard output", args[0])
		}
	}
	// A usage error: no file made, an existing one untouched.
	bad := filepath.Join(dir, "bad.json")
	if _, _, code := runCLI(t, "scan", "--format", "nope", "-o", bad, in); code != 2 {
		t.Fatalf("bad format: exit %d", code)
	}
	if _, err := os.Stat(bad); !os.IsNotExist(err) {
		t.Errorf("a failed run made %s", bad)
	}
	if _, _, code := runCLI(t, "scan", "--format", "nope", "-o", out, in); code != 2 {
		t.Fatal("bad format accepted")
	}
	if got2, _ := os.ReadFile(out); string(got2) != want {
		t.Error("a failed run changed the existing output file")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

// TestSeveralFormats: one scan writes text to standard output, SARIF and
// JUnit to files (each equal to a run of that format alone), and the exit
// code is the same as one run's; two bare formats or two outputs to one
// file are usage errors.
func TestSeveralFormats(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := filepath.Join(fixtures, "basic")
	sarif, junit := filepath.Join(dir, "out.sarif"), filepath.Join(dir, "junit.xml")
	text, _, code := runCLI(t, "scan", "--format", "text", in)
	stdout, stderr, code2 := runCLI(t, "scan", "--format", "text", "--format", "sarif="+sarif, "--format", "junit="+junit, in)
	if code2 != code || stdout != text {
		t.Fatalf("exit %d (want %d); stdout differs from a text run:\n%s\n%s", code2, code, stdout, stderr)
	}
	for format, p := range map[string]string{"sarif": sarif, "junit": junit} {
		alone, _, _ := runCLI(t, "scan", "--format", format, in)
		got, err := os.ReadFile(p)
		if err != nil || string(got) != alone {
			t.Errorf("%s file differs from a %s run (%v)", format, format, err)
		}
	}
	var doc struct {
		Runs []struct{ Results []json.RawMessage } `json:"runs"`
	}
	if b, _ := os.ReadFile(sarif); json.Unmarshal(b, &doc) != nil || len(doc.Runs) != 1 || len(doc.Runs[0].Results) == 0 {
		t.Errorf("SARIF file without results")
	}
	if b, _ := os.ReadFile(junit); xml.Unmarshal(b, new(struct{})) != nil {
		t.Errorf("JUnit file is not XML")
	}
	// Only files: nothing on standard output, input diagnostics on stderr.
	if stdout, _, _ := runCLI(t, "scan", "--format", "json="+filepath.Join(dir, "a.json"), in); stdout != "" {
		t.Errorf("only file outputs, yet standard output got %q", stdout)
	}
	for _, args := range [][]string{
		{"--format", "text", "--format", "json"},
		{"--format", "json=" + sarif, "--format", "sarif=" + sarif},
		{"--format", "sarif="},
		{"--format", "yaml=x.yaml"},
		{"-o", filepath.Join(dir, "same.sarif"), "--format", "json", "--format", "sarif=" + filepath.Join(dir, ".", "same.sarif")},
	} {
		if _, stderr, code := runCLI(t, append(append([]string{"scan"}, args...), in)...); code != 2 || !strings.Contains(stderr, "--format") {
			t.Errorf("%v: exit %d, %s", args, code, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "same.sarif")); !os.IsNotExist(err) {
		t.Errorf("a usage error left same.sarif behind (%v)", err)
	}
}

// TestQuiet: --quiet keeps warnings off standard error but not errors, and
// the report is printed as usual.
func TestQuiet(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "main.tf")
	if err := os.WriteFile(good, []byte("resource \"aws_vpc\" \"v\" {\n  cidr_block = var.cidr\n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, _ := runCLI(t, "scan", "--format", "json", dir)
	if !strings.Contains(stderr, "warning") {
		t.Fatalf("the fixture raises no warning: %s", stderr)
	}
	qout, qerr, _ := runCLI(t, "scan", "--format", "json", "--quiet", dir)
	if qout != out {
		t.Error("--quiet changed the report")
	}
	if qerr != "" {
		t.Errorf("--quiet printed %q", qerr)
	}
	// An input error still shows.
	if err := os.WriteFile(filepath.Join(dir, "broken.tf"), []byte("resource \"aws_vpc\" {\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, qerr, code := runCLI(t, "scan", "-q", "--format", "json", dir)
	if code != 2 || !strings.Contains(qerr, "error") || strings.Contains(qerr, "warning") {
		t.Errorf("exit %d, stderr %q: want the error alone", code, qerr)
	}
}

// TestSkipPath: --skip-path leaves matching files and folders out;
// skipping every input is "no input found" (exit 2); a bad glob is a usage
// error naming the flag.
func TestSkipPath(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, stack := range []string{"basic", "improved"} {
		copyDir(t, filepath.Join("..", "..", "examples", "terraform", stack), filepath.Join(dir, "stacks", stack))
	}
	ids := func(args ...string) string {
		out, stderr, _ := runCLI(t, append([]string{"scan", "--format", "json", "--fail-on", "none"}, args...)...)
		var doc struct {
			Findings []struct {
				Resource struct{ ID string } `json:"resource"`
			} `json:"findings"`
		}
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%v: %v\n%s", args, err, stderr)
		}
		var b strings.Builder
		for _, f := range doc.Findings {
			b.WriteString(f.Resource.ID + "\n")
		}
		return b.String()
	}
	all := ids(dir)
	if !strings.Contains(all, "basic/") || !strings.Contains(all, "improved/") {
		t.Fatalf("both stacks expected:\n%s", all)
	}
	for _, glob := range []string{"stacks/basic", "**/basic", "basic", "stacks/b*"} {
		got := ids("--skip-path", glob, dir)
		if strings.Contains(got, "basic/") || !strings.Contains(got, "improved/") {
			t.Errorf("--skip-path %s:\n%s", glob, got)
		}
	}
	if _, stderr, code := runCLI(t, "scan", "--skip-path", "stacks", dir); code != 2 || !strings.Contains(stderr, "no input found") {
		t.Errorf("everything skipped: exit %d, %s", code, stderr)
	}
	if _, stderr, code := runCLI(t, "scan", "--skip-path", "[", dir); code != 2 || !strings.Contains(stderr, "--skip-path") {
		t.Errorf("bad glob: exit %d, %s", code, stderr)
	}
}

// copyDir copies a folder of files (one level of subfolders and more).
func copyDir(t *testing.T, src, dst string) {
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
