package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestScanExitCodes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"basic fails", []string{"scan", fixtures + "/basic"}, exitFindings},
		{"production passes at high", []string{"scan", fixtures + "/production"}, exitClean},
		{"production fails at medium", []string{"scan", "--fail-on", "medium", fixtures + "/production"}, exitFindings},
		{"none never fails", []string{"scan", "--fail-on", "none", fixtures + "/basic"}, exitClean},
		{"selection", []string{"scan", "--rule", "idle-eip", "--rule", "https-listener", fixtures + "/basic"}, exitClean},
		{"severity selection", []string{"scan", "--severity", "critical", "--fail-on", "low", fixtures + "/production"}, exitClean},
		{"bad format", []string{"scan", "--format", "yaml", fixtures + "/basic"}, exitUsage},
		{"unknown rule", []string{"scan", "--rule", "no-such-rule", fixtures + "/basic"}, exitUsage},
		{"bad severity", []string{"scan", "--severity", "urgent", fixtures + "/basic"}, exitUsage},
		{"bad fail-on", []string{"scan", "--fail-on", "sometimes", fixtures + "/basic"}, exitUsage},
		{"missing baseline", []string{"scan", "--baseline", "nope.json", fixtures + "/basic"}, exitUsage},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, stderr, code := runCLI(t, tc.args...)
			if code != tc.want {
				t.Errorf("exit %d, want %d; stderr: %s", code, tc.want, stderr)
			}
		})
	}
}

type scanJSON struct {
	Version  string `json:"version"`
	Inputs   []struct{ Path, Form string }
	Findings []struct {
		RuleID      string `json:"rule_id"`
		Severity    string `json:"severity"`
		Suppressed  bool   `json:"suppressed"`
		Suppression *struct {
			Reason, Source string
		} `json:"suppression"`
		Fingerprint string `json:"fingerprint"`
		Location    *struct {
			File  string
			Start struct{ Line, Column int }
		} `json:"location"`
	} `json:"findings"`
	Diagnostics []struct{ Severity, Message string } `json:"diagnostics"`
	Summary     struct {
		Findings   int            `json:"findings"`
		Suppressed int            `json:"suppressed"`
		BySeverity map[string]int `json:"by_severity"`
	} `json:"summary"`
}

func scanJSONOf(t *testing.T, args ...string) (scanJSON, int) {
	t.Helper()
	out, stderr, code := runCLI(t, append([]string{"scan", "--format", "json"}, args...)...)
	var s scanJSON
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("%v\nstdout: %s\nstderr: %s", err, out, stderr)
	}
	return s, code
}

func TestScanJSONOnBasic(t *testing.T) {
	t.Parallel()
	s, code := scanJSONOf(t, fixtures+"/basic")
	if code != exitFindings || s.Version != "1" || len(s.Inputs) == 0 {
		t.Fatalf("exit %d, %+v", code, s)
	}
	rules := map[string]bool{}
	for _, f := range s.Findings {
		rules[f.RuleID] = true
		if f.Location == nil || f.Location.File == "" || f.Location.Start.Line < 1 || f.Fingerprint == "" {
			t.Errorf("%s finding without location or fingerprint", f.RuleID)
		}
	}
	for _, id := range []string{"private-app-tier", "admin-ports-open-to-world", "rds-private", "only-lb-public"} {
		if !rules[id] {
			t.Errorf("basic does not fail %s", id)
		}
	}
	if s.Summary.Findings != len(s.Findings) || s.Summary.BySeverity["critical"] == 0 {
		t.Errorf("summary %+v", s.Summary)
	}
}

func TestScanBaseline(t *testing.T) {
	t.Parallel()
	baseline := filepath.Join(t.TempDir(), "vpcgate-baseline.json")
	_, stderr, code := runCLI(t, "scan", "--write-baseline", baseline, fixtures+"/basic")
	if code != exitClean || !strings.Contains(stderr, "wrote") {
		t.Fatalf("write-baseline: exit %d, %s", code, stderr)
	}
	s, code := scanJSONOf(t, "--baseline", baseline, fixtures+"/basic")
	if code != exitClean {
		t.Errorf("with the baseline: exit %d", code)
	}
	if s.Summary.Suppressed != len(s.Findings) || len(s.Findings) == 0 {
		t.Errorf("summary %+v of %d findings", s.Summary, len(s.Findings))
	}
	for _, f := range s.Findings {
		if f.Suppression == nil || f.Suppression.Source != "baseline" {
			t.Errorf("%s not suppressed by the baseline: %+v", f.RuleID, f.Suppression)
		}
	}
}

func TestScanConfigSuppressionExpiry(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cfg := filepath.Join(dir, ".vpcgate.yaml")
	src := "version: 1\nrules: [admin-ports-open-to-world]\nsuppressions:\n  - rule: admin-ports-*\n    resource: \"*SecurityGroup\"\n    reason: lab network, ticket OPS-9\n    expires: 2026-06-30\n"
	if err := os.WriteFile(cfg, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	before, code := scanJSONOf(t, "--config", cfg, "--today", "2026-06-30", fixtures+"/basic")
	if code != exitClean || len(before.Findings) == 0 {
		t.Fatalf("before expiry: exit %d, %d findings", code, len(before.Findings))
	}
	for _, f := range before.Findings {
		if f.Suppression == nil || f.Suppression.Reason != "lab network, ticket OPS-9" || f.Suppression.Source != "config" {
			t.Errorf("not suppressed by the config: %+v", f)
		}
	}
	after, code := scanJSONOf(t, "--config", cfg, "--today", "2026-07-01", fixtures+"/basic")
	if code != exitFindings {
		t.Errorf("after expiry: exit %d, want %d", code, exitFindings)
	}
	var msgs []string
	for _, d := range after.Diagnostics {
		if strings.Contains(d.Message, "expired") {
			msgs = append(msgs, d.Severity+": "+d.Message)
		}
	}
	want := []string{"warning: suppression of admin-ports-* on *SecurityGroup expired on 2026-06-30 and no longer applies: reason given: lab network, ticket OPS-9"}
	if diff := cmp.Diff(want, msgs); diff != "" {
		t.Errorf("expiry diagnostic (-want +got):\n%s", diff)
	}
}

func TestScanFormats(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ format, want string }{
		{"text", "findings (3 medium); 15 rules evaluated"},
		{"sarif", `"version": "2.1.0"`},
		{"junit", `<testsuites name="vpcgate" tests="3" failures="3" errors="0">`},
		{"gitlab", `"path": "testdata/describe/production/ec2-describe-security-groups.json"`},
		{"markdown", "### ❌ vpcgate: 3 findings (3 medium)"},
	} {
		t.Run(tc.format, func(t *testing.T) {
			t.Parallel()
			out, stderr, code := runCLI(t, "scan", "--format", tc.format, "--fail-on", "none", fixtures+"/production")
			if code != exitClean || !strings.Contains(out, tc.want) {
				t.Errorf("exit %d, output lacks %q:\n%s\n%s", code, tc.want, out, stderr)
			}
			if strings.Contains(out, "\x1b[") {
				t.Error("colour codes when not on a terminal")
			}
		})
	}
}
