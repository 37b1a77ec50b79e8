package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDescribeBuild(t *testing.T) {
	t.Parallel()
	settings := func(kv ...string) []debug.BuildSetting {
		var out []debug.BuildSetting
		for i := 0; i < len(kv); i += 2 {
			out = append(out, debug.BuildSetting{Key: kv[i], Value: kv[i+1]})
		}
		return out
	}
	tree := settings("GOOS", "darwin", "GOARCH", "arm64", "vcs.revision", "0123456789abcdef0123456789abcdef01234567", "vcs.time", "2026-12-01T10:00:00Z", "vcs.modified", "false")
	cases := []struct {
		name                   string
		bi                     *debug.BuildInfo
		ldVersion, ldCommit, d string
		want                   buildInfo
	}{
		{"no build info", nil, "", "", "", buildInfo{Version: "devel"}},
		{"go run in a tree (devel)", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: tree},
			"", "", "", buildInfo{Version: "devel", Commit: "0123456789abcdef0123456789abcdef01234567", Date: "2026-12-01T10:00:00Z", GoVersion: "go1.26.8", Platform: "darwin/arm64"}},
		{"go build in a tree, pseudo-version stamped", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261201100000-0123456789ab"}, Settings: tree},
			"", "", "", buildInfo{Version: "devel", Commit: "0123456789abcdef0123456789abcdef01234567", Date: "2026-12-01T10:00:00Z", GoVersion: "go1.26.8", Platform: "darwin/arm64"}},
		{"go build in a modified tree at a tag", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0+dirty"}, Settings: settings("vcs.revision", "abc", "vcs.modified", "true")},
			"", "", "", buildInfo{Version: "devel", Commit: "abc", Modified: true, GoVersion: "go1.26.8"}},
		{"go build in a clean tree at a tag", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}, Settings: settings("vcs.revision", "abc")},
			"", "", "", buildInfo{Version: "v1.2.0", Commit: "abc", GoVersion: "go1.26.8"}},
		{"go install @v1.2.3", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.3"}},
			"", "", "", buildInfo{Version: "v1.2.3", GoVersion: "go1.26.8"}},
		{"go install @commit", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v0.0.0-20261201100000-0123456789ab"}},
			"", "", "", buildInfo{Version: "v0.0.0-20261201100000-0123456789ab", GoVersion: "go1.26.8"}},
		{"release build (goreleaser ldflags)", &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "(devel)"}, Settings: tree},
			"1.4.0", "fedcba", "2026-12-02T00:00:00Z", buildInfo{Version: "v1.4.0", Commit: "fedcba", Date: "2026-12-02T00:00:00Z", GoVersion: "go1.26.8", Platform: "darwin/arm64"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := describeBuild(c.bi, c.ldVersion, c.ldCommit, c.d)
			if c.want.GoVersion == "" {
				c.want.GoVersion = got.GoVersion // runtime.Version()
			}
			if c.want.Platform == "" {
				c.want.Platform = got.Platform // runtime GOOS/GOARCH
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestVersionCommand(t *testing.T) {
	t.Parallel()
	out1, stderr, code := runCLI(t, "--version")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	out2, _, _ := runCLI(t, "version")
	if out1 != out2 {
		t.Errorf("--version and version differ:\n%s\n%s", out1, out2)
	}
	if !strings.HasPrefix(out1, "vpcgate ") || !strings.Contains(out1, "  go      go1.") {
		t.Errorf("version output:\n%s", out1)
	}
	js, _, code := runCLI(t, "version", "--json")
	var b buildInfo
	if err := json.Unmarshal([]byte(js), &b); err != nil || code != 0 || b.Version == "" || b.GoVersion == "" {
		t.Errorf("version --json (exit %d): %v\n%s", code, err, js)
	}
}

// TestVersionOfRealBuilds builds the binary as a user would from this
// checkout (devel, with the commit) and as the release build does (the
// version stamped by .goreleaser.yaml's ldflags), and runs --version.
func TestVersionOfRealBuilds(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary twice")
	}
	t.Parallel()
	// The go command stamps the commit when the module sits in a git
	// clone (.git a folder; not in a git worktree, where .git is a file).
	var head string
	if top, err := exec.Command("git", "rev-parse", "--show-toplevel").Output(); err == nil {
		if fi, err := os.Stat(filepath.Join(strings.TrimSpace(string(top)), ".git")); err == nil && fi.IsDir() {
			if out, err := exec.Command("git", "rev-parse", "HEAD").Output(); err == nil {
				head = strings.TrimSpace(string(out))
			}
		}
	}
	dir := t.TempDir()
	build := func(name string, args ...string) string {
		t.Helper()
		bin := filepath.Join(dir, name)
		cmd := exec.Command("go", append(append([]string{"build", "-o", bin}, args...), ".")...)
		cmd.Env = append(os.Environ(), "GOFLAGS=")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build %v: %v\n%s", args, err, out)
		}
		out, err := exec.Command(bin, "--version").CombinedOutput()
		if err != nil {
			t.Fatalf("%s --version: %v\n%s", name, err, out)
		}
		return string(out)
	}
	devel := build("devel", "-buildvcs=true")
	if !strings.HasPrefix(devel, "vpcgate devel\n") {
		t.Errorf("a build from the tree should say devel:\n%s", devel)
	}
	if head == "" {
		t.Log("not in a git clone: the commit of the devel build is not checked")
	} else if !strings.Contains(devel, "commit  "+head) {
		t.Errorf("a build from the tree should give the commit %s:\n%s", head, devel)
	}
	release := build("release", "-buildvcs=false", "-ldflags", "-X main.version=1.4.0 -X main.commit=0123abc -X main.date=2026-12-02T10:00:00Z")
	want := "vpcgate v1.4.0\n  commit  0123abc\n  date    2026-12-02T10:00:00Z\n"
	if !strings.HasPrefix(release, want) {
		t.Errorf("release build:\n%s\nwant prefix:\n%s", release, want)
	}
}
