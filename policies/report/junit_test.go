package report

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vpcgate/vpcgate/analyzer/graph"
)

// validateJUnit checks doc against Jenkins' junit-10.xsd with xmllint
// (Debian's libxml2-utils, installed by .ci/run); skipped when absent.
func validateJUnit(t *testing.T, doc []byte) {
	t.Helper()
	xmllint, err := exec.LookPath("xmllint")
	if err != nil {
		t.Skip("xmllint not installed (apt-get install libxml2-utils): JUnit output not validated against junit-10.xsd")
	}
	path := filepath.Join(t.TempDir(), "junit.xml")
	if err := os.WriteFile(path, doc, 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit-10.xsd", path).CombinedOutput()
	if err != nil {
		t.Fatalf("JUnit output does not validate against junit-10.xsd: %v\n%s\n%s", err, out, doc)
	}
}

// TestJUnitValidates: the output of a scan with every kind of finding, of
// an empty scan and of hostile text validates against junit-10.xsd, and
// the validator can fail.
func TestJUnitValidates(t *testing.T) {
	t.Parallel()
	hostile := sample()
	hostile.Findings[0].Message = "a ]]> b \x01 <c> & \"d\" \xff"
	hostile.Findings[0].Resource.ID = "x]]>y"
	for name, s := range map[string]*Scan{"sample": sample(), "empty": {}, "hostile": hostile} {
		t.Run(name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := JUnit(&buf, s); err != nil {
				t.Fatal(err)
			}
			validateJUnit(t, buf.Bytes())
		})
	}
	t.Run("validator fails", func(t *testing.T) {
		xmllint, err := exec.LookPath("xmllint")
		if err != nil {
			t.Skip("xmllint not installed")
		}
		path := filepath.Join(t.TempDir(), "bad.xml")
		// A suite without its required tests attribute.
		os.WriteFile(path, []byte(`<testsuites><testsuite name="x" failures="0" errors="0"/></testsuites>`), 0o644)
		if err := exec.Command(xmllint, "--noout", "--schema", "testdata/junit-10.xsd", path).Run(); err == nil {
			t.Error("xmllint accepted a suite without tests")
		}
	})
}

type junitDoc struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Errors   int `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		File     string `xml:"file,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Skipped  int    `xml:"skipped,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			ClassName string `xml:"classname,attr"`
			Failure   *struct {
				Type string `xml:"type,attr"`
			} `xml:"failure"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
			Error *struct {
				Type string `xml:"type,attr"`
			} `xml:"error"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// TestJUnitShape: one suite per input file, one case per finding named
// by resource and line with the rule id as classname.
func TestJUnitShape(t *testing.T) {
	t.Parallel()
	s := sample()
	s.Inputs = append(s.Inputs, Input{Path: "clean.yaml", Form: graph.FormCloudFormation})
	var buf bytes.Buffer
	if err := JUnit(&buf, s); err != nil {
		t.Fatal(err)
	}
	var doc junitDoc
	if err := xml.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var got []string
	cases := 0
	for _, st := range doc.Suites {
		if st.Tests != len(st.Cases) {
			t.Errorf("suite %s: tests=%d for %d cases", st.Name, st.Tests, len(st.Cases))
		}
		for _, c := range st.Cases {
			verdict := "pass"
			switch {
			case c.Failure != nil:
				verdict = "fail " + c.Failure.Type
			case c.Error != nil:
				verdict = "error " + c.Error.Type
			case c.Skipped != nil:
				verdict = "skip " + c.Skipped.Message
			}
			got = append(got, st.File+" | "+c.ClassName+" | "+c.Name+" | "+verdict)
			cases++
		}
		if len(st.Cases) == 0 {
			got = append(got, st.File+" | (no cases)")
		}
	}
	want := []string{
		" | idle-eip | eipalloc-1 | skip suppressed (config): reserved for DR",
		".vpcgate.yaml | (no cases)",
		"clean.yaml | (no cases)",
		"infra/bad.tf | vpcgate.input | input line 3 | error input error",
		"infra/compute.tf | private-app-tier | aws_instance.app line 4 | skip suppressed (inline): legacy host, removal in OPS-7",
		"infra/db [prod].tf | only-lb-public | aws_db_instance.db line 17 | fail high",
		"infra/db.tf | rds-multi-az | aws_db_instance.db line 7 | skip undetermined: RDS instance db: multi_az is not known statically",
		"infra/network.tf | admin-ports-open-to-world | aws_security_group.app line 12 | fail critical",
		"live.json | rds-multi-az | prod-db line 40 | fail medium",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("suites and cases (-want +got):\n%s", diff)
	}
	if doc.Tests != len(s.Findings)+1 || doc.Failures != 3 || doc.Errors != 1 {
		t.Errorf("totals: tests %d failures %d errors %d", doc.Tests, doc.Failures, doc.Errors)
	}
}

// TestGitLab: Code Quality issues with repository-relative paths, unique
// fingerprints and GitLab's severities; suppressed findings and findings
// without a file are left out (the latter said on the warnings).
func TestGitLab(t *testing.T) {
	t.Parallel()
	s := sample()
	dup := s.Findings[3]
	dup.Subject.Start.Line = 41
	s.Findings = append(s.Findings, dup)                             // same fingerprint twice
	s.Findings[5].Suppressed, s.Findings[5].Suppression = false, nil // idle-eip: no file
	var buf, warn bytes.Buffer
	if err := GitLab(&buf, s, Options{BaseDir: "/repo/deploy", Root: "/repo", Warnings: &warn}); err != nil {
		t.Fatal(err)
	}
	var issues []gitlabIssue
	if err := json.Unmarshal(buf.Bytes(), &issues); err != nil {
		t.Fatal(err)
	}
	var got []string
	fps := map[string]bool{}
	for _, is := range issues {
		got = append(got, is.CheckName+" "+is.Severity+" "+is.Location.Path+":"+itoa(is.Location.Lines.Begin))
		if fps[is.Fingerprint] || is.Fingerprint == "" {
			t.Errorf("fingerprint %q repeated or empty", is.Fingerprint)
		}
		fps[is.Fingerprint] = true
		if is.Type != "issue" || is.Description == "" {
			t.Errorf("issue %+v", is)
		}
	}
	want := []string{
		"admin-ports-open-to-world blocker deploy/infra/network.tf:12",
		"rds-multi-az info deploy/infra/db.tf:7",
		"rds-multi-az major deploy/live.json:40",
		"only-lb-public critical deploy/infra/db [prod].tf:17", // a plain path, not a URI
		"rds-multi-az major deploy/live.json:41",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("issues (-want +got):\n%s", diff)
	}
	if warn.String() != "vpcgate: gitlab: 1 finding without a file left out (GitLab places an issue in a file)\n" {
		t.Errorf("warnings: %q", warn.String())
	}
	buf.Reset()
	if err := GitLab(&buf, s, Options{IncludeSuppressed: true}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"check_name": "private-app-tier"`) {
		t.Error("IncludeSuppressed left out the suppressed finding")
	}
	buf.Reset()
	if err := GitLab(&buf, &Scan{}, Options{}); err != nil || buf.String() != "[]\n" {
		t.Errorf("empty scan: %q %v", buf.String(), err)
	}
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
