package lsp

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

// TestNeovim drives `vpcgate lsp` from Neovim's built-in client, headless
// (testdata/nvim/init.lua): diagnostics on open, a new diagnostic on the
// line where SSH is opened to the world, a hover with the path, a code
// action that makes the finding disappear. .ci/run installs Neovim; the
// test skips, saying so, when nvim is absent.
func TestNeovim(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		t.Skip("nvim not found: install Neovim (apt-get install -y neovim) to run the editor end-to-end test")
	}
	if testing.Short() {
		t.Skip("-short: the editor end-to-end test builds vpcgate and starts Neovim")
	}
	tmp := t.TempDir()
	bin := filepath.Join(tmp, "vpcgate")
	build := exec.Command("go", "build", "-o", bin, "../cmd/vpcgate")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := filepath.Join(tmp, "fixture")
	ar, err := txtar.ParseFile("testdata/nvim/fixture.txtar")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range ar.Files {
		p := filepath.Join(dir, f.Name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(tmp, "out.json")
	init, _ := filepath.Abs("testdata/nvim/init.lua")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-u", init)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "VPCGATE="+bin, "FIXTURE="+dir, "OUT="+out, "HOME="+tmp, "XDG_STATE_HOME="+tmp, "XDG_CACHE_HOME="+tmp)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nvim: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatalf("nvim wrote no result: %v", err)
	}
	type diag struct {
		Line    int    `json:"line"`
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	var res struct {
		Error string `json:"error"`
		Steps struct {
			Initial, Edited, Fixed []diag
		} `json:"steps"`
		EditedLine int      `json:"edited_line"`
		Hover      string   `json:"hover"`
		Actions    []string `json:"actions"`
		FixedLine  string   `json:"fixed_line"`
		Stopped    bool     `json:"stopped"`
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatalf("%v: %s", err, data)
	}
	if res.Error != "" {
		t.Fatalf("init.lua failed: %s\n%s", res.Error, data)
	}
	find := func(list []diag, code string) []int {
		var lines []int
		for _, d := range list {
			if d.Code == code {
				lines = append(lines, d.Line)
			}
		}
		return lines
	}
	if got := find(res.Steps.Initial, "default-sg-closed"); len(got) != 1 || got[0] != 5 {
		t.Errorf("initial default-sg-closed on lines %v, want [5]", got)
	}
	if got := find(res.Steps.Initial, "admin-ports-open-to-world"); len(got) != 0 {
		t.Errorf("admin-ports-open-to-world before the edit, on lines %v", got)
	}
	if res.EditedLine != 63 {
		t.Errorf("edited line %d, want 63 (the fixture's app ingress)", res.EditedLine)
	}
	if got := find(res.Steps.Edited, "admin-ports-open-to-world"); len(got) != 1 || got[0] != res.EditedLine {
		t.Errorf("after the edit admin-ports-open-to-world on lines %v, want [%d]", got, res.EditedLine)
	}
	for _, want := range []string{"Internet reaches **tcp 22**", "internet_gateway `aws_internet_gateway.igw` (main.tf:9)", "security_group `aws_security_group.app` (main.tf:", "Monthly cost:"} {
		if !strings.Contains(res.Hover, want) {
			t.Errorf("hover lacks %q:\n%s", want, res.Hover)
		}
	}
	if res.FixedLine != "    security_groups = [aws_security_group.bastion.id]" {
		t.Errorf("line after the code action: %q", res.FixedLine)
	}
	if got := find(res.Steps.Fixed, "admin-ports-open-to-world"); len(got) != 0 {
		t.Errorf("admin-ports-open-to-world still on lines %v after the fix", got)
	}
	if !res.Stopped {
		t.Error("the client did not stop")
	}
}
