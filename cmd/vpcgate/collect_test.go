package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/internal/mototest"
)

// readTree returns the files under dir by slash path.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestCollectThenScanSameAsLive collects the production architecture on
// moto with `vpcgate collect`, scans the dump, and checks that `scan
// --live` of the same estate gives byte-identical JSON findings, and that
// `scan --live --out` keeps a dump byte-identical to collect's.
func TestCollectThenScanSameAsLive(t *testing.T) {
	ep := mototest.Server(t)
	mototest.Reset(t, ep)
	mototest.Env(t, ep)
	if err := mototest.BuildProduction(context.Background(), mototest.Config(t, ep)); err != nil {
		t.Fatal(err)
	}
	dump := t.TempDir()
	_, stderr, code := runCLI(t, "collect", "--out", dump, "--region", "us-east-1")
	if code != 0 {
		t.Fatalf("collect: exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "collected ") {
		t.Errorf("collect says nothing of what it collected: %q", stderr)
	}
	if _, err := os.Stat(filepath.Join(dump, "collect-report.json")); err != nil {
		t.Fatal(err)
	}

	// The in-memory collection names its files <account>/<region>/…, as
	// the dump's are named relative to its folder.
	t.Chdir(dump)
	fromDump, errDump, codeDump := runCLI(t, "scan", "--format", "json", "--fail-on", "none", ".")
	fromLive, errLive, codeLive := runCLI(t, "scan", "--live", "--format", "json", "--fail-on", "none")
	if codeDump != 0 || codeLive != 0 {
		t.Fatalf("scan: exit %d (%s), scan --live: exit %d (%s)", codeDump, errDump, codeLive, errLive)
	}
	var parsed struct {
		Inputs   []json.RawMessage `json:"inputs"`
		Findings []json.RawMessage `json:"findings"`
	}
	if err := json.Unmarshal([]byte(fromDump), &parsed); err != nil || len(parsed.Findings) == 0 || len(parsed.Inputs) < 30 {
		t.Fatalf("scan of the dump: %d inputs, %d findings (%v): the comparison would prove nothing", len(parsed.Inputs), len(parsed.Findings), err)
	}
	if fromDump != fromLive {
		t.Errorf("scan of the dump and scan --live differ:\n%s", cmp.Diff(fromDump, fromLive))
	}

	kept := t.TempDir()
	if _, stderr, code := runCLI(t, "scan", "--live", "--out", kept, "--format", "json", "--fail-on", "none"); code != 0 {
		t.Fatalf("scan --live --out: exit %d: %s", code, stderr)
	}
	// LatestRestorableTime is "now" on moto (and moves on AWS too).
	restorable := regexp.MustCompile(`"LatestRestorableTime": "[^"]*"`)
	mask := func(m map[string]string) map[string]string {
		for k, v := range m {
			m[k] = restorable.ReplaceAllString(v, `"LatestRestorableTime": "…"`)
		}
		return m
	}
	if d := cmp.Diff(mask(readTree(t, dump)), mask(readTree(t, kept))); d != "" {
		t.Errorf("the dump kept by scan --live --out differs from collect's (-collect +live):\n%s", d)
	}
}

// TestCollectErrors: expected errors are one line and exit 2, with no
// stack trace; a bad region is a usage error.
func TestCollectErrors(t *testing.T) {
	t.Setenv("AWS_ACCESS_KEY_ID", "testing")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "testing")
	t.Setenv("AWS_CONFIG_FILE", os.DevNull)
	t.Setenv("AWS_SHARED_CREDENTIALS_FILE", os.DevNull)
	t.Setenv("AWS_EC2_METADATA_DISABLED", "true")
	t.Setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:1")
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	_, stderr, code := runCLI(t, "collect", "--out", t.TempDir(), "--region", "us-east-1")
	if code != exitUsage || !strings.Contains(stderr, "cannot reach AWS") || strings.Count(strings.TrimSpace(stderr), "\n") != 0 || strings.Contains(stderr, "goroutine") {
		t.Errorf("unreachable endpoint: exit %d, stderr %q", code, stderr)
	}
	t.Setenv("AWS_ACCESS_KEY_ID", "")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "")
	_, stderr, code = runCLI(t, "collect", "--out", t.TempDir(), "--region", "us-east-1")
	if code != exitUsage || !strings.Contains(stderr, "no AWS credentials found") {
		t.Errorf("no credentials: exit %d, stderr %q", code, stderr)
	}
	_, stderr, code = runCLI(t, "collect", "--out", t.TempDir(), "--region", "moon-1")
	if code != exitUsage || !strings.Contains(stderr, "not a region name") {
		t.Errorf("bad region: exit %d, stderr %q", code, stderr)
	}
}
