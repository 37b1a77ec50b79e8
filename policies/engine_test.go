package policies

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/open-policy-agent/opa/v1/ast"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

func newEngine(t *testing.T, opts ...Option) *Engine {
	t.Helper()
	e, err := New(context.Background(), opts...)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func evaluate(t *testing.T, e *Engine, g *graph.Graph) []Finding {
	t.Helper()
	fs, err := e.Evaluate(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// summary is the part of a finding the table tests compare.
type summary struct {
	Rule, Resource string
	Kind           graph.Kind
	Line           int
	Undetermined   bool
}

func summarize(fs []Finding) []summary {
	out := make([]summary, len(fs))
	for i, f := range fs {
		out[i] = summary{f.RuleID, f.Resource.ID, f.Resource.Kind, f.Subject.Start.Line, f.Undetermined}
	}
	return out
}

func TestEvaluateThreeTier(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	got := summarize(evaluate(t, e, threeTier(0)))
	// The app tier spans 1a and 1b (multi-az passes); subnet-app-b in 1b
	// sends its egress through the NAT gateway in 1a.
	want := []summary{
		{"private-egress-via-nat", "subnet-app-b", graph.KindSubnet, 40, false},
		{"admin-ports-open-to-world", "sg-app", graph.KindSecurityGroup, 87, false},
		{"only-lb-public", "i-app", graph.KindInstance, 87, false},
		{"sg-reference-between-tiers", "sg-app", graph.KindSecurityGroup, 87, false},
		{"ssh-via-bastion-only", "sg-app", graph.KindSecurityGroup, 87, false},
		{"rds-private", "sg-db", graph.KindSecurityGroup, 92, false},
		{"sg-reference-between-tiers", "sg-db", graph.KindSecurityGroup, 92, false},
		{"private-app-tier", "i-app", graph.KindInstance, 102, false},
		{"private-app-tier", "i-app", graph.KindInstance, 103, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
}

func TestFindingDetails(t *testing.T) {
	t.Parallel()
	e := newEngine(t, WithRules("private-app-tier"))
	fs := evaluate(t, e, threeTier(0))
	if len(fs) != 2 {
		t.Fatalf("got %d findings, want 2", len(fs))
	}
	f := fs[0]
	if f.Title != "App tier is private" || f.Severity != SeverityHigh || f.Detail == "" {
		t.Errorf("metadata not carried: %+v", f)
	}
	if f.Context != at(100, 0) {
		t.Errorf("context = %v, want the instance block", f.Context)
	}
	wantRel := []Related{
		{ID: "subnet-pub-a", Kind: graph.KindSubnet, Role: "public subnet", Range: at(10, 0)},
		{ID: "rtb-pub", Kind: graph.KindRouteTable, Role: "route to the internet gateway", Range: at(62, 0)},
	}
	if diff := cmp.Diff(wantRel, f.Related); diff != "" {
		t.Errorf("related (-want +got):\n%s", diff)
	}
	if !strings.Contains(f.Message, "public subnet subnet-pub-a") {
		t.Errorf("message %q", f.Message)
	}
}

func TestFingerprintsSurviveMovedLines(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	a := evaluate(t, e, threeTier(0))
	b := evaluate(t, e, threeTier(40))
	if len(a) != len(b) || len(a) == 0 {
		t.Fatalf("%d vs %d findings", len(a), len(b))
	}
	seen := map[string]bool{}
	for i := range a {
		if a[i].Fingerprint != b[i].Fingerprint {
			t.Errorf("%s on %s: fingerprint changed when lines moved", a[i].RuleID, a[i].Resource.ID)
		}
		if a[i].Subject.Start.Line+40 != b[i].Subject.Start.Line {
			t.Errorf("%s: subject did not move: %v vs %v", a[i].RuleID, a[i].Subject, b[i].Subject)
		}
		if seen[a[i].Fingerprint] {
			t.Errorf("duplicate fingerprint %s", a[i].Fingerprint)
		}
		seen[a[i].Fingerprint] = true
	}
}

func TestRuleSelection(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		opts    []Option
		want    []string
		wantErr string
	}{
		{name: "glob", opts: []Option{WithRules("rds-*")}, want: []string{"rds-multi-az", "rds-private"}},
		{name: "skip", opts: []Option{WithRules("rds-*", "idle-eip"), WithSkipRules("rds-private")}, want: []string{"idle-eip", "rds-multi-az"}},
		{name: "severity", opts: []Option{WithMinSeverity(SeverityCritical)}, want: []string{"admin-ports-open-to-world", "rds-private"}},
		{name: "no builtins", opts: []Option{WithoutBuiltins()}, want: []string{}},
		{name: "typo", opts: []Option{WithRules("rds-privat")}, wantErr: `no rule matches "rds-privat"`},
		{name: "skip typo", opts: []Option{WithSkipRules("nope")}, wantErr: `no rule matches "nope"`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e, err := New(context.Background(), tc.opts...)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := ruleIDs(e.Selected())
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("selected (-want +got):\n%s", diff)
			}
			for _, f := range evaluate(t, e, threeTier(0)) {
				if !contains(tc.want, f.RuleID) {
					t.Errorf("finding of unselected rule %s", f.RuleID)
				}
			}
		})
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

func TestBuiltinRulesMetadata(t *testing.T) {
	t.Parallel()
	e := newEngine(t)
	want := []string{
		"admin-ports-open-to-world", "default-sg-closed", "env-isolation", "https-listener", "idle-eip",
		"multi-az", "only-lb-public", "private-app-tier", "private-egress-via-nat", "public-subnet-auto-ip",
		"rds-multi-az", "rds-private", "sg-reference-between-tiers", "shadowed-rule", "ssh-via-bastion-only",
	}
	if diff := cmp.Diff(want, ruleIDs(e.Rules())); diff != "" {
		t.Fatalf("built-in rules (-want +got):\n%s", diff)
	}
	for _, r := range e.Rules() {
		if r.Title == "" || r.Description == "" || r.Remediation == "" || r.Severity.Rank() == 0 || len(r.RelatedResources) == 0 || r.Category == "" || !r.Builtin {
			t.Errorf("rule %s has incomplete metadata: %+v", r.ID, r)
		}
		dir := filepath.Base(filepath.Dir(r.File))
		if dir != r.ID || filepath.Base(r.File) != r.ID+".rego" {
			t.Errorf("rule %s lives in %s, want rules/<category>/%s/%s.rego", r.ID, r.File, r.ID, r.ID)
		}
	}
}

func writePolicy(t *testing.T, dir, name, src string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

const userRule = `# METADATA
# title: Instances carry an Owner tag
# description: Every instance has an Owner tag.
# custom:
#   id: owner-tag
#   severity: low
#   remediation: Tag it.
package vpcgate.rules.custom.owner_tag

import data.vpcgate.lib

deny contains lib.finding(lib.at(id), sprintf("instance %s has no Owner tag", [id]), [], "owner") if {
	some id, i in input.resources.instance
	not i.tags.Owner
}
`

func TestUserPolicyDir(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writePolicy(t, dir, "owner/owner.rego", userRule)
	writePolicy(t, dir, "owner/owner_test.rego", "package vpcgate.rules.custom.owner_tag_test\n\nimport data.vpcgate.rules.custom.owner_tag\n\ntest_untagged if {\n\tcount(owner_tag.deny) == 1 with input as {\"resources\": {\"instance\": {\"i-1\": {\"tags\": {}}}}}\n}\n")
	writePolicy(t, dir, "msg/msg.rego", "# METADATA\n# title: Plain message\n# custom:\n#   id: plain-message\n#   severity: medium\npackage team.plain\n\ndeny contains \"always\" if true\n")
	e := newEngine(t, WithPolicyDir(dir), WithRules("owner-tag", "plain-message"))
	fs := evaluate(t, e, threeTier(0))
	got := summarize(fs)
	want := []summary{
		{Rule: "plain-message"},
		{"owner-tag", "i-app", graph.KindInstance, 100, false},
		{"owner-tag", "i-app2", graph.KindInstance, 110, false},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	r, ok := e.Rule("owner-tag")
	if !ok || r.Builtin || r.Category != "custom" || r.Severity != SeverityLow {
		t.Errorf("user rule metadata: %+v", r)
	}
	results, err := RunTests(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 || !results[0].Pass || results[0].Name != "data.vpcgate.rules.custom.owner_tag_test.test_untagged" {
		t.Errorf("user tests: %+v", results)
	}
}

func TestRestrictedCapabilities(t *testing.T) {
	t.Parallel()
	for _, call := range []string{
		`http.send({"method": "get", "url": "http://169.254.169.254/"})`,
		`net.lookup_ip_addr("example.com")`,
		`opa.runtime()`,
		`time.now_ns()`,
	} {
		name, _, _ := strings.Cut(call, "(")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writePolicy(t, dir, "bad.rego", "# METADATA\n# title: Bad\n# custom:\n#   id: bad\n#   severity: low\npackage vpcgate.rules.custom.bad\n\ndeny contains \"x\" if {\n\tx := "+call+"\n\tx\n}\n")
			_, err := New(context.Background(), WithPolicyDir(dir))
			if err == nil {
				t.Fatal("policy calling a forbidden built-in compiled")
			}
			want := name + " is not allowed in vpcgate policies"
			if !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "bad.rego:9") {
				t.Errorf("error %q does not say %q with the location", err, want)
			}
		})
	}
}

func TestBadUserPolicies(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, src, wantErr string }{
		{"syntax", "package x\n\ndeny contains if {", "parse"},
		{"no severity", "# METADATA\n# title: T\n# custom:\n#   id: x\npackage p\n\ndeny contains 1 if true\n", "custom.severity"},
		{"bad severity", "# METADATA\n# title: T\n# custom:\n#   id: x\n#   severity: urgent\npackage p\n\ndeny contains 1 if true\n", `unknown severity "urgent"`},
		{"no deny", "# METADATA\n# title: T\n# custom:\n#   id: x\n#   severity: low\npackage p\n\nallow := true\n", "declares no deny rule"},
		{"duplicate id", "# METADATA\n# title: T\n# custom:\n#   id: idle-eip\n#   severity: low\npackage p\n\ndeny contains 1 if true\n", "rule idle-eip declared twice"},
		{"reserved package", "package vpcgate.lib\n\nx := 1\n", "reserved"},
		{"deny without id", "package team.checks\n\ndeny contains \"x\" if true\n", "declares a deny rule but no custom.id"},
		{"metadata without id", "# METADATA\n# title: T\n# custom:\n#   severity: low\npackage p\n\ndeny contains 1 if true\n", "no custom.id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			writePolicy(t, dir, "p.rego", tc.src)
			_, err := New(context.Background(), WithPolicyDir(dir))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Errorf("err = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func TestSymlinkOutOfPolicyDirRefused(t *testing.T) {
	t.Parallel()
	outside := t.TempDir()
	writePolicy(t, outside, "evil.rego", userRule)
	dir := t.TempDir()
	if err := os.Symlink(filepath.Join(outside, "evil.rego"), filepath.Join(dir, "evil.rego")); err != nil {
		t.Skip("no symlinks:", err)
	}
	if _, err := New(context.Background(), WithPolicyDir(dir)); err == nil {
		t.Error("symlink out of the policy directory followed")
	}
}

func TestInlineSuppressionAndUndetermined(t *testing.T) {
	t.Parallel()
	g := threeTier(0)
	sg := g.Node("sg-app").(*graph.SecurityGroup)
	sg.Suppressions = []graph.Suppression{
		{RuleID: "admin-ports-open-to-world", Reason: "break-glass access, ticket OPS-12", Source: "inline", Range: at(84, 0)},
		{RuleID: "ssh-via-bastion-only", Reason: "  "},
	}
	sg.Ingress = append(sg.Ingress, graph.SGRule{Protocol: "tcp", FromPort: 22, ToPort: 22, PeerKind: graph.PeerCIDR, Unknown: true, Range: at(88, 0)})
	e := newEngine(t, WithRules("admin-ports-open-to-world", "ssh-via-bastion-only"))
	fs := evaluate(t, e, g)
	var got []string
	for _, f := range fs {
		s := f.RuleID + "@" + f.Subject.String()
		if f.Suppressed {
			s += " suppressed(" + f.Suppression.Source + ": " + f.Suppression.Reason + ")"
		}
		if f.Undetermined {
			s += " undetermined"
		}
		got = append(got, s)
	}
	want := []string{
		"admin-ports-open-to-world@net.json:87:3 suppressed(inline: break-glass access, ticket OPS-12)",
		"ssh-via-bastion-only@net.json:87:3",
		"admin-ports-open-to-world@net.json:88:3 suppressed(inline: break-glass access, ticket OPS-12) undetermined",
		"ssh-via-bastion-only@net.json:88:3 undetermined",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestEvaluateEmptyGraph(t *testing.T) {
	t.Parallel()
	fs := evaluate(t, newEngine(t), graph.New())
	if len(fs) != 0 {
		t.Errorf("findings on an empty graph: %v", summarize(fs))
	}
}

// TestBuiltinPackagesMirrorFolders holds the house rule: every embedded
// module's package mirrors its folder (tests may add _test), so a rule is
// found where its package says.
func TestBuiltinPackagesMirrorFolders(t *testing.T) {
	t.Parallel()
	mods, err := builtinModules(true)
	if err != nil {
		t.Fatal(err)
	}
	if len(mods) < 20 {
		t.Fatalf("%d built-in modules", len(mods))
	}
	for _, c := range []struct {
		file, pkg string
		ok        bool
	}{
		{"rules/network/only-lb-public/only-lb-public.rego", "vpcgate.rules.network.only_lb_public", true},
		{"rules/network/only-lb-public/only-lb-public_test.rego", "vpcgate.rules.network.only_lb_public_test", true},
		{"rules/network/only-lb-public/only-lb-public.rego", "vpcgate.rules.network.only_lb_public_test", false},
		{"rules/network/only-lb-public/only-lb-public.rego", "vpcgate.rules.firewall.only_lb_public", false},
		{"lib/lib.rego", "vpcgate.lib", true},
		{"lib/fixtures_test.rego", "vpcgate.fixtures", false},
		{"fixtures/fixtures_test.rego", "vpcgate.fixtures", true},
	} {
		err := mirrorsFolder(c.file, ast.MustParseRef("data."+c.pkg))
		if (err == nil) != c.ok {
			t.Errorf("mirrorsFolder(%s, %s) = %v, want ok=%v", c.file, c.pkg, err, c.ok)
		}
	}
	// A helper module (no deny set, no id) is not a rule and not an error.
	dir := t.TempDir()
	writePolicy(t, dir, "helpers/h.rego", "package team.helpers\n\nadmin_ports := {22, 3389}\n")
	if _, err := New(context.Background(), WithPolicyDir(dir)); err != nil {
		t.Errorf("a helper module was refused: %v", err)
	}
}
