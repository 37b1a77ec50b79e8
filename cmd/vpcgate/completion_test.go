package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestCompletion: the shells' scripts ask vpcgate what may come next; the
// answers name the commands, subcommands and flags, and the bash script
// passes shellcheck (the zsh and fish ones their shell's syntax check,
// where installed).
func TestCompletion(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		args []string
		want []string
	}{
		{[]string{completionFlag}, []string{"scan", "graph", "schema", "completion", "version"}},
		{[]string{"scan", "--fa", completionFlag}, []string{"--fail-on"}},
		{[]string{"scan", "infra", "--fo", completionFlag}, []string{"--format"}},
		{[]string{"policies", completionFlag}, []string{"list", "doc", "test"}},
	} {
		out, stderr, code := runCLI(t, c.args...)
		lines := strings.Fields(out)
		for _, w := range c.want {
			found := false
			for _, l := range lines {
				found = found || l == w
			}
			if !found {
				t.Errorf("%v: %q not offered (exit %d): %q %s", c.args, w, code, out, stderr)
			}
		}
	}
	dir := t.TempDir()
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		out, stderr, code := runCLI(t, "completion", shell)
		if code != 0 || !strings.Contains(out, "vpcgate") {
			t.Fatalf("completion %s: exit %d: %s", shell, code, stderr)
		}
		path := filepath.Join(dir, "vpcgate."+shell)
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			t.Fatal(err)
		}
		var check []string
		switch shell {
		case "bash":
			check = []string{"bash", "-n", path}
			if sc, err := exec.LookPath("shellcheck"); err == nil {
				if out, err := exec.Command(sc, "--shell=bash", path).CombinedOutput(); err != nil {
					t.Errorf("shellcheck on the bash completion:\n%s", out)
				}
			} else {
				t.Log("shellcheck not installed: the bash completion is only syntax-checked")
			}
		case "zsh":
			check = []string{"zsh", "-n", path}
		case "fish":
			check = []string{"fish", "--no-execute", path}
		}
		if len(check) == 0 {
			continue
		}
		if _, err := exec.LookPath(check[0]); err != nil {
			t.Logf("%s not installed: its completion script is not syntax-checked", check[0])
			continue
		}
		if out, err := exec.Command(check[0], check[1:]...).CombinedOutput(); err != nil {
			t.Errorf("%s completion: %v\n%s", shell, err, out)
		}
	}
	if _, _, code := runCLI(t, "completion", "tcsh"); code != exitUsage {
		t.Errorf("completion tcsh: exit %d", code)
	}
}
