package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/policies"
)

// sarifDoc is the part of a SARIF log the tests read.
type sarifDoc struct {
	Runs []struct {
		Tool struct {
			Driver struct {
				Version         string `json:"version"`
				SemanticVersion string `json:"semanticVersion"`
				Rules           []struct {
					ID               string    `json:"id"`
					ShortDescription sarifText `json:"shortDescription"`
					FullDescription  sarifText `json:"fullDescription"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Invocations []struct {
			ExecutionSuccessful bool                `json:"executionSuccessful"`
			Notifications       []sarifNotification `json:"toolExecutionNotifications"`
		} `json:"invocations"`
		OriginalURIBaseIDs map[string]sarifArtifact `json:"originalUriBaseIds"`
		Results            []sarifResult            `json:"results"`
	} `json:"runs"`
}

// writeSARIF writes s, validates it against the SARIF 2.1.0 schema and
// decodes it.
func writeSARIF(t *testing.T, s *Scan, o Options) (sarifDoc, []byte) {
	t.Helper()
	var buf bytes.Buffer
	if err := SARIF(&buf, s, o); err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	if err := sarifSchema(t).Validate(inst); err != nil {
		t.Fatalf("SARIF output does not validate: %v", err)
	}
	var doc sarifDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Runs) != 1 || len(doc.Runs[0].Invocations) != 1 {
		t.Fatalf("want one run with one invocation:\n%s", buf.String())
	}
	return doc, buf.Bytes()
}

func resultOf(t *testing.T, doc sarifDoc, rule string) sarifResult {
	t.Helper()
	for _, r := range doc.Runs[0].Results {
		if r.RuleID == rule {
			return r
		}
	}
	t.Fatalf("no result of %s", rule)
	return sarifResult{}
}

// TestSARIFPaths: URIs are relative to the repository root (the folder
// holding .git above the working directory), percent-encoded, with the
// root in originalUriBaseIds; a file outside the root is an absolute
// file URI.
func TestSARIFPaths(t *testing.T) {
	t.Parallel()
	root := t.TempDir()
	if err := os.Mkdir(filepath.Join(root, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(root, "deploy")
	if err := os.Mkdir(work, 0o755); err != nil {
		t.Fatal(err)
	}
	if got := RepoRoot(work); got != root {
		t.Errorf("RepoRoot(%s) = %q, want %q", work, got, root)
	}
	outside := filepath.Join(t.TempDir(), "other.tf")
	finding := func(file string) policies.Finding {
		return policies.Finding{RuleID: "r", Severity: policies.SeverityHigh, Message: "m", Resource: policies.Resource{ID: file},
			Subject: rng(file, 1, 1, 1, 2), Fingerprint: file}
	}
	s := &Scan{Findings: []policies.Finding{
		finding("infra/a b#1?.tf"),                     // relative to the working directory
		finding(filepath.Join(root, "net", "ünï%.tf")), // absolute, under the root
		finding(filepath.Join(work, "c:d.yaml")),       // a colon that must not read as a scheme
		finding(outside),                               // outside the root
		finding(filepath.Join("..", "top", "main.tf")), // relative, leaving the working directory but not the root
	}}
	doc, _ := writeSARIF(t, s, Options{BaseDir: work})
	var got []string
	for _, r := range doc.Runs[0].Results {
		a := r.Locations[0].PhysicalLocation.ArtifactLocation
		got = append(got, a.URIBaseID+" "+a.URI)
	}
	want := []string{
		"%SRCROOT% deploy/infra/a%20b%231%3F.tf",
		"%SRCROOT% net/%C3%BCn%C3%AF%25.tf",
		"%SRCROOT% deploy/c%3Ad.yaml",
		" file://" + escapePath(filepath.ToSlash(outside), true),
		"%SRCROOT% top/main.tf",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("artifact locations (-want +got):\n%s", diff)
	}
	base := doc.Runs[0].OriginalURIBaseIDs[srcRoot].URI
	if base != "file://"+escapePath(filepath.ToSlash(root), true)+"/" {
		t.Errorf("originalUriBaseIds %%SRCROOT%% = %q for root %s", base, root)
	}

	// No .git anywhere above: the working directory is the root.
	plain := t.TempDir()
	if RepoRoot(plain) != "" {
		t.Skip("the temporary folder lies in a git repository")
	}
	doc, _ = writeSARIF(t, &Scan{Findings: []policies.Finding{finding("x.tf")}}, Options{BaseDir: plain})
	if got := doc.Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "x.tf" {
		t.Errorf("uri %q", got)
	}
}

// TestSARIFCodeFlow: the path of an exposure is a code flow whose steps
// each open a file, in hop order; the internet (no position) is told in
// the first step.
func TestSARIFCodeFlow(t *testing.T) {
	t.Parallel()
	doc, _ := writeSARIF(t, sample(), Options{BaseDir: "/repo", Root: "/repo"})
	r := resultOf(t, doc, "only-lb-public")
	if len(r.CodeFlows) != 1 || len(r.CodeFlows[0].ThreadFlows) != 1 {
		t.Fatalf("code flows: %+v", r.CodeFlows)
	}
	var got []string
	for i, l := range r.CodeFlows[0].ThreadFlows[0].Locations {
		pl := l.Location.PhysicalLocation
		if l.ExecutionOrder != i+1 || pl == nil || pl.Region == nil {
			t.Errorf("step %d: order %d, location %+v", i, l.ExecutionOrder, pl)
			continue
		}
		got = append(got, fmt.Sprintf("%s:%d %s", pl.ArtifactLocation.URI, pl.Region.StartLine, l.Location.Message.Text))
	}
	want := []string{
		"infra/network.tf:40 internet: from 0.0.0.0/0 → internet gateway aws_internet_gateway.main: attached to aws_vpc.main",
		"infra/network.tf:47 route table aws_route_table.public: route 1 (0.0.0.0/0 → aws_internet_gateway.main) sends replies back",
		"infra/db%20%5Bprod%5D.tf:17 security group aws_security_group.db: inbound rule 0 allows tcp 3306 from 0.0.0.0/0",
		"infra/db%20%5Bprod%5D.tf:1 db instance aws_db_instance.db: mysql database listening on 3306",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("code flow steps (-want +got):\n%s", diff)
	}
	if other := resultOf(t, doc, "admin-ports-open-to-world"); len(other.CodeFlows) != 0 {
		t.Error("a finding without a path has a code flow")
	}

	// A path of live nodes (no positions) gives no code flow at all.
	s := sample()
	for i := range s.Findings {
		if s.Findings[i].RuleID == "only-lb-public" {
			for j := range s.Findings[i].Path {
				s.Findings[i].Path[j].Range = graph.Range{}
			}
		}
	}
	doc, _ = writeSARIF(t, s, Options{})
	if r := resultOf(t, doc, "only-lb-public"); len(r.CodeFlows) != 0 {
		t.Errorf("code flow without a located hop: %+v", r.CodeFlows)
	}
}

var linkRE = regexp.MustCompile(`(^|[^\\])\[((?:[^\]\\]|\\.)*)\]\((\d+)\)`)

// TestSARIFMessageLinks: each related location is linked from the message
// by its id, unlocated related nodes are named in plain text, and brackets
// of the message itself are escaped.
func TestSARIFMessageLinks(t *testing.T) {
	t.Parallel()
	s := sample()
	s.Findings[0].Message = `group [app] admits 22 from 0.0.0.0/0 \ everything`
	doc, _ := writeSARIF(t, s, Options{})
	r := resultOf(t, doc, "admin-ports-open-to-world")
	want := `group \[app\] admits 22 from 0.0.0.0/0 \\ everything. Related: [instance aws_instance.app](1), instance i-live.`
	if r.Message.Text != want {
		t.Errorf("message:\n got %s\nwant %s", r.Message.Text, want)
	}
	for _, res := range doc.Runs[0].Results {
		ids := map[int]bool{}
		for _, rl := range res.RelatedLocations {
			ids[*rl.ID] = true
		}
		links := linkRE.FindAllStringSubmatch(res.Message.Text, -1)
		for _, m := range links {
			id, _ := strconv.Atoi(m[3])
			if !ids[id] {
				t.Errorf("%s: link %s to no related location", res.RuleID, m[0])
			}
		}
		if len(links) != len(res.RelatedLocations) {
			t.Errorf("%s: %d links for %d related locations: %s", res.RuleID, len(links), len(res.RelatedLocations), res.Message.Text)
		}
	}
	if r := resultOf(t, doc, "only-lb-public"); !strings.Contains(r.Message.Text, "[route table aws_route_table.public](2)") {
		t.Errorf("message: %s", r.Message.Text)
	}
}

// TestSARIFLimits: descriptions and messages fit GitHub's 1,024
// characters whatever a user policy writes; related locations are
// bounded.
func TestSARIFLimits(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é word [x] ", 400) // 4,400 characters
	s := &Scan{
		Rules: []policies.Rule{{ID: "user-rule", Title: long, Description: long, Severity: policies.SeverityHigh}},
	}
	f := policies.Finding{RuleID: "user-rule", Severity: policies.SeverityHigh, Message: long, Resource: policies.Resource{ID: "x"}, Subject: rng("a.tf", 1, 1, 1, 2), Fingerprint: "f"}
	for i := range 300 {
		f.Related = append(f.Related, policies.Related{ID: fmt.Sprintf("aws_instance.n%d", i), Kind: graph.KindInstance, Role: long, Range: rng("a.tf", i+2, 1, i+2, 5)})
	}
	s.Findings = []policies.Finding{f}
	doc, _ := writeSARIF(t, s, Options{})
	rule := doc.Runs[0].Tool.Driver.Rules[0]
	res := doc.Runs[0].Results[0]
	texts := map[string]string{"shortDescription": rule.ShortDescription.Text, "fullDescription": rule.FullDescription.Text, "message": res.Message.Text}
	for i, rl := range res.RelatedLocations {
		texts[fmt.Sprintf("related %d", i)] = rl.Message.Text
	}
	for name, text := range texts {
		if n := textLen(text); n > 1024 {
			t.Errorf("%s: %d characters", name, n)
		}
	}
	if !strings.HasSuffix(rule.FullDescription.Text, "…") {
		t.Errorf("a cut description should end in …: %q", rule.FullDescription.Text[len(rule.FullDescription.Text)-20:])
	}
	if len(res.RelatedLocations) != maxSARIFRelated {
		t.Errorf("%d related locations, want %d", len(res.RelatedLocations), maxSARIFRelated)
	}
	if !regexp.MustCompile(` and \d+ more\.$`).MatchString(res.Message.Text) {
		t.Errorf("the message should count the related nodes it cannot link: %q", res.Message.Text[len(res.Message.Text)-60:])
	}
	if got := limitText(`abc\\\[`, 6); got != `abc\\…` {
		t.Errorf("limitText split an escape: %q", got)
	}
}

// TestSARIFResultGuard: over 25,000 results, the most severe are kept and
// a notification and a warning say how many were left out.
func TestSARIFResultGuard(t *testing.T) {
	t.Parallel()
	s := &Scan{Rules: []policies.Rule{{ID: "r", Title: "t", Severity: policies.SeverityLow}}}
	const n = MaxSARIFResults + 10
	for i := range n {
		sev := policies.SeverityLow
		if i%1000 == 0 {
			sev = policies.SeverityCritical
		}
		s.Findings = append(s.Findings, policies.Finding{RuleID: "r", Severity: sev, Message: "m", Resource: policies.Resource{ID: strconv.Itoa(i)}, Fingerprint: strconv.Itoa(i)})
	}
	var warn bytes.Buffer
	var buf bytes.Buffer
	if err := SARIF(&buf, s, Options{Warnings: &warn}); err != nil {
		t.Fatal(err)
	}
	var doc sarifDoc
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	run := doc.Runs[0]
	if len(run.Results) != MaxSARIFResults {
		t.Fatalf("%d results, want %d", len(run.Results), MaxSARIFResults)
	}
	critical := 0
	for _, r := range run.Results {
		if r.Level == "error" {
			critical++
		}
	}
	if critical != n/1000+1 {
		t.Errorf("%d critical results kept, want all %d", critical, n/1000+1)
	}
	notes := run.Invocations[0].Notifications
	if len(notes) != 1 || notes[0].Level != "warning" || !strings.HasPrefix(notes[0].Message.Text, "10 of 25010 results left out") {
		t.Errorf("notifications: %+v", notes)
	}
	if !strings.Contains(warn.String(), "10 of 25010 results left out") {
		t.Errorf("warning: %q", warn.String())
	}
}

// TestSARIFSuppressedAndNotifications: suppressed and baselined findings
// are left out unless asked for; input diagnostics are notifications and
// an input error makes the execution unsuccessful.
func TestSARIFSuppressedAndNotifications(t *testing.T) {
	t.Parallel()
	doc, _ := writeSARIF(t, sample(), Options{})
	run := doc.Runs[0]
	for _, r := range run.Results {
		if len(r.Suppressions) > 0 {
			t.Errorf("suppressed %s in the default output", r.RuleID)
		}
	}
	if len(run.Results) != 4 {
		t.Errorf("%d results, want the 4 unsuppressed", len(run.Results))
	}
	inv := run.Invocations[0]
	if inv.ExecutionSuccessful {
		t.Error("an input error, yet executionSuccessful")
	}
	var levels []string
	for _, n := range inv.Notifications {
		levels = append(levels, n.Level+": "+n.Message.Text)
	}
	want := []string{
		"warning: suppression of rds-private on sg-* expired on 2026-05-31 and no longer applies: reason given: migration",
		"error: unexpected token",
		"note: 2 suppressed or baselined findings left out: GitHub code scanning shows a suppressed result as an open alert (include them with --include-suppressed)",
	}
	if diff := cmp.Diff(want, levels); diff != "" {
		t.Errorf("notifications (-want +got):\n%s", diff)
	}
	if pl := inv.Notifications[1].Locations[0].PhysicalLocation; pl.ArtifactLocation.URI != "infra/bad.tf" || pl.Region.StartLine != 3 {
		t.Errorf("error location %+v", pl)
	}

	doc, _ = writeSARIF(t, sample(), Options{IncludeSuppressed: true})
	var supp []string
	for _, r := range doc.Runs[0].Results {
		for _, s := range r.Suppressions {
			supp = append(supp, r.RuleID+" "+s.Kind+" "+s.Justification)
		}
	}
	if diff := cmp.Diff([]string{"private-app-tier inSource inline: legacy host, removal in OPS-7", "idle-eip external config: reserved for DR"}, supp); diff != "" {
		t.Errorf("suppressions (-want +got):\n%s", diff)
	}
	doc, _ = writeSARIF(t, &Scan{}, Options{})
	if !doc.Runs[0].Invocations[0].ExecutionSuccessful || len(doc.Runs[0].Invocations[0].Notifications) != 0 {
		t.Errorf("empty scan: %+v", doc.Runs[0].Invocations)
	}
}

func TestSARIFDriverVersion(t *testing.T) {
	t.Parallel()
	for v, sem := range map[string]string{"v1.2.3": "1.2.3", "1.4.0-rc.1": "1.4.0-rc.1", "v0.0.0-20261202170534-6a26e35d76d0": "0.0.0-20261202170534-6a26e35d76d0", "devel": "", "": ""} {
		doc, _ := writeSARIF(t, &Scan{}, Options{ToolVersion: v})
		d := doc.Runs[0].Tool.Driver
		if d.Version != v || d.SemanticVersion != sem {
			t.Errorf("ToolVersion %q: version %q, semanticVersion %q (want %q)", v, d.Version, d.SemanticVersion, sem)
		}
	}
}
