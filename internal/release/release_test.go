package release

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// root is the repository root, from this package's folder.
const root = "../.."

// tool finds a program on PATH or in GOPATH/bin (where .ci/run installs the
// Go ones), or skips the test saying how to install it.
func tool(t *testing.T, name, install string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
		p := filepath.Join(strings.TrimSpace(string(out)), "bin", name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	t.Skipf("%s not installed (%s): not checked", name, install)
	return ""
}

func run(t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", filepath.Base(name), strings.Join(args, " "), err, out)
	}
	return string(out)
}

// TestGoreleaser checks .goreleaser.yaml with goreleaser check and, with
// VPCGATE_RELEASE_BUILD=1 (.ci/run sets it, in a step of its own with a
// longer timeout), builds a snapshot of the host's target with it (all six
// targets take too long for CI on two cores: each cross-compiles OPA and
// the AWS SDK, and the release flags share no build cache with the tests),
// then runs the binary: the version the release build stamps must reach
// vpcgate version.
func TestGoreleaser(t *testing.T) {
	gr := tool(t, "goreleaser", "go install github.com/goreleaser/goreleaser/v2@v2.17.0")
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := exec.Command("git", "-C", abs, "rev-parse", "HEAD").Output(); err != nil {
		t.Skipf("not a git checkout (%v): goreleaser needs one", err)
	}
	run(t, abs, nil, gr, "check")
	if os.Getenv("VPCGATE_RELEASE_BUILD") != "1" {
		t.Skip("goreleaser check passed; the snapshot build runs with VPCGATE_RELEASE_BUILD=1 (.ci/run)")
	}

	// Build from a clone of HEAD, as a release does (goreleaser reads the
	// commit from git and wants a remote), into a temporary dist folder.
	tmp := t.TempDir()
	clone := filepath.Join(tmp, "src")
	run(t, tmp, nil, "git", "clone", "--quiet", abs, clone)
	abs = clone
	cfg, err := os.ReadFile(filepath.Join(abs, ".goreleaser.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	conf := filepath.Join(tmp, "goreleaser.yaml")
	if err := os.WriteFile(conf, append(cfg, []byte("\ndist: "+filepath.Join(tmp, "dist")+"\n")...), 0o644); err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(tmp, "vpcgate")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	run(t, abs, []string{"GOFLAGS="}, gr, "build", "--config", conf, "--snapshot", "--clean", "--single-target", "--output", bin)
	out := run(t, tmp, nil, bin, "--version")
	if !regexp.MustCompile(`^vpcgate v\d+\.\d+\.\d+-snapshot\+[0-9a-f]+\n  commit  [0-9a-f]{40}\n  date    \d{4}-`).MatchString(out) {
		t.Errorf("the snapshot build's version:\n%s", out)
	}
}

// TestWorkflowsLint runs actionlint (with shellcheck on every run: script)
// on the GitHub Actions examples and on a workflow that uses the
// repository's action.yml, so the action's inputs are checked too; and
// shellcheck on the action's own scripts.
func TestWorkflowsLint(t *testing.T) {
	t.Parallel()
	al := tool(t, "actionlint", "go install github.com/rhysd/actionlint/cmd/actionlint@v1.7.12")
	sc := tool(t, "shellcheck", "apt-get install shellcheck")
	workflows, err := filepath.Glob(filepath.Join(root, "examples", "ci", "github-actions*.yml"))
	if err != nil || len(workflows) == 0 {
		t.Fatalf("no GitHub workflows in examples/ci: %v", err)
	}
	// A repository holding action.yml and a workflow using it (uses: ./).
	repo := t.TempDir()
	action, err := os.ReadFile(filepath.Join(root, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	// actionlint finds the project by its .git folder.
	must(t, os.MkdirAll(filepath.Join(repo, ".git"), 0o755))
	must(t, os.MkdirAll(filepath.Join(repo, ".github", "workflows"), 0o755))
	must(t, os.WriteFile(filepath.Join(repo, "action.yml"), action, 0o644))
	must(t, os.WriteFile(filepath.Join(repo, ".github", "workflows", "use.yml"), []byte(`name: use the action
on: [pull_request]
permissions:
  contents: read
  security-events: write
jobs:
  scan:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v5
      - id: vpcgate
        uses: ./
        with:
          version: v0.1.0
          paths: |
            infra/
            stacks/app.yaml
          fail-on: critical
          format: markdown
          args: --baseline vpcgate-baseline.json
      - run: echo "exit ${{ steps.vpcgate.outputs.exit-code }}"
`), 0o644))
	for _, wf := range workflows {
		data, err := os.ReadFile(wf)
		if err != nil {
			t.Fatal(err)
		}
		must(t, os.WriteFile(filepath.Join(repo, ".github", "workflows", filepath.Base(wf)), data, 0o644))
	}
	run(t, repo, nil, al, "-shellcheck", sc)

	// A misspelt input must be caught: the check is real.
	bad := filepath.Join(repo, ".github", "workflows", "use.yml")
	data, _ := os.ReadFile(bad)
	must(t, os.WriteFile(bad, []byte(strings.Replace(string(data), "fail-on: critical", "fail_on: critical", 1)), 0o644))
	if out, err := exec.Command(al, "-shellcheck", sc, bad).CombinedOutput(); err == nil || !strings.Contains(string(out), "fail_on") {
		t.Errorf("actionlint accepted an input the action does not have:\n%s", out)
	}

	// The action's scripts, as shellcheck sees a run: step (expressions
	// are passed through env, so none is left in the scripts).
	var meta struct {
		Inputs map[string]any `yaml:"inputs"`
		Runs   struct {
			Using string `yaml:"using"`
			Steps []struct {
				Name  string `yaml:"name"`
				Shell string `yaml:"shell"`
				Run   string `yaml:"run"`
				Uses  string `yaml:"uses"`
			} `yaml:"steps"`
		} `yaml:"runs"`
	}
	must(t, yaml.Unmarshal(action, &meta))
	if meta.Runs.Using != "composite" {
		t.Errorf("action.yml: runs.using %q, want composite", meta.Runs.Using)
	}
	for _, in := range []string{"version", "command", "paths", "format", "fail-on", "upload-sarif", "base"} {
		if _, ok := meta.Inputs[in]; !ok {
			t.Errorf("action.yml: no input %s", in)
		}
	}
	uploads := 0
	for _, st := range meta.Runs.Steps {
		if strings.HasPrefix(st.Uses, "github/codeql-action/upload-sarif@") {
			uploads++
			if st.Uses != "github/codeql-action/upload-sarif@v4" {
				t.Errorf("action.yml uses %s; the current major is v4", st.Uses)
			}
		}
		if st.Run == "" {
			continue
		}
		if strings.Contains(st.Run, "${{") {
			t.Errorf("step %q: an expression in the script (pass it through env)", st.Name)
		}
		script := filepath.Join(t.TempDir(), "step.sh")
		must(t, os.WriteFile(script, []byte(st.Run), 0o644))
		if out, err := exec.Command(sc, "--shell=bash", "--severity=style", script).CombinedOutput(); err != nil {
			t.Errorf("step %q: shellcheck:\n%s", st.Name, out)
		}
	}
	if uploads != 1 {
		t.Errorf("action.yml: %d upload-sarif steps", uploads)
	}
}

// TestPreCommitHooks: every hook names a vpcgate command line and the
// fields pre-commit requires.
func TestPreCommitHooks(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(root, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []struct {
		ID, Name, Entry, Language string
		PassFilenames             *bool    `yaml:"pass_filenames"`
		Files                     string   `yaml:"files"`
		Args                      []string `yaml:"args"`
	}
	must(t, yaml.Unmarshal(data, &hooks))
	ids := map[string]bool{}
	for _, h := range hooks {
		ids[h.ID] = true
		if h.ID == "" || h.Name == "" || h.Entry == "" || h.Language == "" {
			t.Errorf("hook %+v lacks a required field", h)
		}
		if h.Language != "golang" && h.Language != "system" {
			t.Errorf("hook %s: language %s", h.ID, h.Language)
		}
		if !strings.HasPrefix(h.Entry, "vpcgate ") {
			t.Errorf("hook %s: entry %q does not run vpcgate", h.ID, h.Entry)
		}
		if h.PassFilenames == nil || *h.PassFilenames {
			t.Errorf("hook %s passes file names: vpcgate reads folders (a module spans files)", h.ID)
		}
		if _, err := regexp.Compile(h.Files); err != nil {
			t.Errorf("hook %s: files: %v", h.ID, err)
		}
	}
	for _, id := range []string{"vpcgate", "vpcgate-system", "vpcgate-policies-test"} {
		if !ids[id] {
			t.Errorf("no hook %s", id)
		}
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
