package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestPoliciesList(t *testing.T) {
	t.Parallel()
	out, stderr, code := runCLI(t, "policies", "list")
	if code != exitClean {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 16 || !strings.HasPrefix(lines[0], "RULE") || !strings.Contains(out, "only-lb-public") {
		t.Errorf("list:\n%s", out)
	}
}

// TestPoliciesDocMatchesRulesMD checks that `vpcgate policies doc` prints
// the committed policies/RULES.md.
func TestPoliciesDocMatchesRulesMD(t *testing.T) {
	t.Parallel()
	out, _, code := runCLI(t, "policies", "doc")
	want, err := os.ReadFile("../../policies/RULES.md")
	if err != nil {
		t.Fatal(err)
	}
	if code != exitClean || out != string(want) {
		t.Errorf("policies doc differs from policies/RULES.md (exit %d); regenerate it", code)
	}
}

func TestPoliciesTest(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	rule := "# METADATA\n# title: Owner tag\n# custom:\n#   id: owner-tag\n#   severity: low\npackage vpcgate.rules.custom.owner_tag\n\ndeny contains id if {\n\tsome id, i in input.resources.instance\n\tnot i.tags.Owner\n}\n"
	tests := "package vpcgate.rules.custom.owner_tag_test\n\nimport data.vpcgate.rules.custom.owner_tag\n\ntest_untagged if {\n\towner_tag.deny == {\"i-1\"} with input as {\"resources\": {\"instance\": {\"i-1\": {\"tags\": {}}}}}\n}\n\ntest_wrong if {\n\tcount(owner_tag.deny) == 5 with input as {\"resources\": {}}\n}\n"
	for name, src := range map[string]string{"owner.rego": rule, "owner_test.rego": tests} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, _, code := runCLI(t, "policies", "test", dir)
	if code != exitFindings || !strings.Contains(out, "FAIL  data.vpcgate.rules.custom.owner_tag_test.test_wrong") || !strings.Contains(out, "1 passed, 1 failed") {
		t.Errorf("exit %d:\n%s", code, out)
	}
	out, _, code = runCLI(t, "policies", "test")
	if code != exitClean || !strings.Contains(out, " passed, 0 failed") {
		t.Errorf("built-in tests: exit %d:\n%s", code, out)
	}
	_, stderr, code := runCLI(t, "policies", "test", t.TempDir())
	if code != exitUsage || !strings.Contains(stderr, "no test_ rules") {
		t.Errorf("empty dir: exit %d %s", code, stderr)
	}
}

func TestPoliciesInput(t *testing.T) {
	t.Parallel()
	out, stderr, code := runCLI(t, "policies", "input", fixtures+"/production")
	if code != exitClean || !strings.Contains(out, `"version": "1"`) || !strings.Contains(out, `"used_by_tier"`) {
		t.Errorf("exit %d: %s\n%.500s", code, stderr, out)
	}
}
