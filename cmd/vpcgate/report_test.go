package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestScanSARIFSuppressedAndInputErrors: suppressed findings stay out of
// the SARIF upload unless --include-suppressed; an input error is a
// toolExecutionNotification and is printed on stderr too.
func TestScanSARIFSuppressedAndInputErrors(t *testing.T) {
	t.Parallel()
	type sarif struct {
		Runs []struct {
			Invocations []struct {
				ExecutionSuccessful bool `json:"executionSuccessful"`
				Notifications       []struct {
					Level   string `json:"level"`
					Message struct{ Text string }
				} `json:"toolExecutionNotifications"`
			} `json:"invocations"`
			Results []struct {
				RuleID       string `json:"ruleId"`
				Suppressions []any  `json:"suppressions"`
			} `json:"results"`
		} `json:"runs"`
	}
	scan := func(args ...string) (sarif, string, int) {
		t.Helper()
		out, stderr, code := runCLI(t, append([]string{"scan", "--format", "sarif", "--fail-on", "none"}, args...)...)
		var doc sarif
		if err := json.Unmarshal([]byte(out), &doc); err != nil {
			t.Fatalf("%v\n%s\n%s", err, out, stderr)
		}
		return doc, stderr, code
	}
	suppressedIn := func(doc sarif) int {
		n := 0
		for _, r := range doc.Runs[0].Results {
			if r.RuleID == "admin-ports-open-to-world" && len(r.Suppressions) > 0 {
				n++
			}
		}
		return n
	}
	plan := "../../testdata/terraform/plan"
	doc, stderr, code := scan(plan)
	if code != exitClean || suppressedIn(doc) != 0 {
		t.Errorf("default: exit %d, %d suppressed results\n%s", code, suppressedIn(doc), stderr)
	}
	doc, _, _ = scan("--include-suppressed", plan)
	if suppressedIn(doc) != 1 {
		t.Errorf("--include-suppressed: %d suppressed results, want 1", suppressedIn(doc))
	}

	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("resource \"aws_vpc\" \"v\" {\n  cidr_block = \n}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	doc, stderr, code = scan(dir)
	if code != exitUsage {
		t.Errorf("input error: exit %d, want %d", code, exitUsage)
	}
	inv := doc.Runs[0].Invocations[0]
	if inv.ExecutionSuccessful || len(inv.Notifications) == 0 || inv.Notifications[0].Level != "error" {
		t.Errorf("invocation: %+v", inv)
	}
	if !strings.Contains(stderr, "main.tf:2") || !strings.Contains(stderr, "error") {
		t.Errorf("the input error is not on stderr: %q", stderr)
	}
}
