package policies

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

func suppressionsOf(fs []Finding) map[string]string {
	out := map[string]string{}
	for _, f := range fs {
		key := f.RuleID + " " + f.Resource.ID + " " + f.Subject.String()
		if f.Suppressed {
			out[key] = f.Suppression.Source + ": " + f.Suppression.Reason
		} else {
			out[key] = ""
		}
	}
	return out
}

func TestSuppressConfig(t *testing.T) {
	t.Parallel()
	g := threeTier(0)
	g.Node("sg-app").Meta().Aliases = []string{"arn:aws:ec2:us-east-1:1:security-group/sg-app"}
	fs := evaluate(t, newEngine(t, WithRules("admin-ports-open-to-world", "rds-private", "only-lb-public")), g)
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC)
	cfgRange := graph.Range{File: ".vpcgate.yaml", Start: graph.Pos{Line: 4, Column: 5}}
	got, diags := Suppress(g, fs, SuppressOptions{Now: now, Ignores: []Ignore{
		{Rule: "admin-ports-*", Resource: "arn:aws:ec2:*/sg-app", Reason: "break glass", Expires: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), Range: cfgRange},
		{Rule: "rds-private", Resource: "sg-*", Reason: "migration", Expires: time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC), Range: cfgRange},
		{Rule: "only-lb-public", Reason: ""},
		{Rule: "idle-eip", Reason: "nothing to match"},
	}})
	want := map[string]string{
		"admin-ports-open-to-world sg-app net.json:87:3": "config: break glass",
		"only-lb-public i-app net.json:87:3":             "",
		"rds-private sg-db net.json:92:3":                "",
	}
	if diff := cmp.Diff(want, suppressionsOf(got)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	var msgs []string
	for _, d := range diags {
		msgs = append(msgs, string(d.Severity)+": "+d.Summary)
	}
	wantDiags := []string{
		"warning: suppression of rds-private on sg-* expired on 2026-05-31 and no longer applies",
		"error: suppression of only-lb-public has no reason and is ignored",
		"info: suppression of idle-eip on * matches no finding",
	}
	if diff := cmp.Diff(wantDiags, msgs); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if diags[0].Range != cfgRange {
		t.Errorf("expired diagnostic points at %v", diags[0].Range)
	}
	if fs[0].Suppressed {
		t.Error("Suppress modified its input")
	}
}

func TestBaselineWithMovedLines(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	before := evaluate(t, e, threeTier(0))
	var buf bytes.Buffer
	if err := NewBaseline(before).Write(&buf); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBaseline(strings.NewReader(buf.String()))
	if err != nil {
		t.Fatal(err)
	}
	if len(b.Findings) != len(before) {
		t.Fatalf("baseline holds %d of %d findings", len(b.Findings), len(before))
	}

	// The file is edited: every block moves 25 lines down and a new
	// problem appears (the database becomes publicly accessible).
	g := threeTier(25)
	g.Node("db-1").(*graph.DBInstance).PubliclyAccessible = true
	after := evaluate(t, e, g)
	got, _ := Suppress(g, after, SuppressOptions{Baseline: b, BaselineFile: "vpcgate-baseline.json"})
	var fresh []string
	for _, f := range got {
		if !f.Suppressed {
			fresh = append(fresh, f.RuleID+" "+f.Resource.ID)
			continue
		}
		if f.Suppression.Source != "baseline" || f.Suppression.Reason != "accepted in baseline vpcgate-baseline.json" {
			t.Errorf("suppression %+v", f.Suppression)
		}
	}
	if diff := cmp.Diff([]string{"rds-private db-1"}, fresh); diff != "" {
		t.Errorf("new findings (-want +got):\n%s", diff)
	}
	if (FailOn{Min: SeverityHigh}).Fails(got) != true || (FailOn{}).Fails(got) {
		t.Error("fail-on threshold")
	}
}

func TestReadBaselineErrors(t *testing.T) {
	t.Parallel()
	for _, src := range []string{`{"version": "2", "findings": []}`, `{"version": "1", "findings": [{"rule_id": "x"}]}`, `{"version": "1", "extra": 1}`, `[`} {
		if _, err := ReadBaseline(strings.NewReader(src)); err == nil {
			t.Errorf("accepted %s", src)
		}
	}
}

func TestFailOn(t *testing.T) {
	t.Parallel()
	fs := []Finding{
		{Severity: SeverityCritical, Suppressed: true},
		{Severity: SeverityHigh, Undetermined: true},
		{Severity: SeverityMedium},
	}
	tests := []struct {
		on   string
		want bool
	}{{"low", true}, {"medium", true}, {"HIGH", false}, {"critical", false}, {"none", false}}
	for _, tc := range tests {
		f, err := ParseFailOn(tc.on)
		if err != nil {
			t.Fatal(err)
		}
		if got := f.Fails(fs); got != tc.want {
			t.Errorf("--fail-on %s: %v, want %v", tc.on, got, tc.want)
		}
	}
	if _, err := ParseFailOn("severe"); err == nil {
		t.Error("accepted --fail-on severe")
	}
}

func FuzzReadBaseline(f *testing.F) {
	f.Add([]byte(`{"version": "1", "findings": [{"fingerprint": "ab", "rule_id": "x", "resource": "r", "message": "m"}]}`))
	f.Add([]byte(`{"version": "1", "findings": null}`))
	f.Add([]byte(`[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := ReadBaseline(bytes.NewReader(data))
		if err != nil {
			return
		}
		for _, e := range b.Findings {
			if e.Fingerprint == "" {
				t.Error("entry without fingerprint accepted")
			}
		}
		var buf bytes.Buffer
		if err := b.Write(&buf); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadBaseline(&buf); err != nil {
			t.Errorf("a baseline read does not read back: %v", err)
		}
	})
}
