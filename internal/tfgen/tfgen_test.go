package tfgen

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestWrite: each VPC file holds perVPC resources, the first group admits
// SSH from the admin address, and the layout follows stacks.
func TestWrite(t *testing.T) {
	for _, stacks := range []bool{false, true} {
		dir := t.TempDir()
		files, err := Write(dir, 3, 100, stacks)
		if err != nil {
			t.Fatal(err)
		}
		if len(files) != 3 {
			t.Fatalf("%d files", len(files))
		}
		for i, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(string(data), "\nresource \"") + 1; n != 100 {
				t.Errorf("%s: %d resources, want 100", f, n)
			}
			if !strings.Contains(string(data), "cidr_blocks = ["+Admin+"]") {
				t.Errorf("%s: no SSH from %s", f, Admin)
			}
			want := filepath.Join(dir, "net00"+string(rune('0'+i))+".tf")
			if stacks {
				want = filepath.Join(dir, "stacks", "vpc00"+string(rune('0'+i)), "main.tf")
			}
			if f != want {
				t.Errorf("file %s, want %s", f, want)
			}
		}
	}
	if a, b := VPCFile(1, 100, World), VPCFile(1, 100, World); a != b || !strings.Contains(a, "cidr_blocks = ["+World+"]") {
		t.Error("VPCFile is not deterministic or ignores admin")
	}
}
