package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/vpcgate/vpcgate/policies"
)

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// JUnit writes one test case per evaluated rule: it fails with the list of
// its unsuppressed findings, is skipped when it could only say
// "undetermined", and passes otherwise (suppressed findings are listed in
// system-out). Input errors are one "diagnostics" test case in error.
func JUnit(w io.Writer, s *Scan) error {
	byRule := map[string][]policies.Finding{}
	for _, f := range s.Findings {
		byRule[f.RuleID] = append(byRule[f.RuleID], f)
	}
	suite := junitSuite{Name: "vpcgate"}
	for _, r := range s.Rules {
		c := junitCase{Name: r.ID, ClassName: "vpcgate." + orText(r.Category, "rules")}
		var failed, undetermined, suppressed []string
		for _, f := range byRule[r.ID] {
			line := strings.TrimSpace(fmt.Sprintf("%s %s: %s", f.Location().String(), f.Resource.ID, f.Message))
			switch {
			case f.Suppressed:
				suppressed = append(suppressed, line+" (suppressed, "+f.Suppression.Source+": "+f.Suppression.Reason+")")
			case f.Undetermined:
				undetermined = append(undetermined, line)
			default:
				failed = append(failed, line)
			}
		}
		switch {
		case len(failed) > 0:
			c.Failure = &junitMessage{Message: fmt.Sprintf("%s: %s", r.Title, plural(len(failed), "finding", "findings")), Type: string(r.Severity), Text: strings.Join(failed, "\n")}
			suite.Failures++
		case len(undetermined) > 0:
			c.Skipped = &junitMessage{Message: fmt.Sprintf("undetermined: %s", strings.Join(undetermined, "; "))}
			suite.Skipped++
		}
		if len(suppressed) > 0 {
			c.SystemOut = strings.Join(suppressed, "\n")
		}
		suite.Cases = append(suite.Cases, c)
	}
	var errs []string
	for _, d := range s.Diagnostics {
		if d.Severity == "error" {
			errs = append(errs, diagnosticText(d))
		}
	}
	if len(errs) > 0 {
		suite.Cases = append(suite.Cases, junitCase{Name: "diagnostics", ClassName: "vpcgate.input", Error: &junitMessage{Message: plural(len(errs), "input error", "input errors"), Text: strings.Join(errs, "\n")}})
		suite.Errors++
	}
	suite.Tests = len(suite.Cases)
	out := junitSuites{Name: "vpcgate", Tests: suite.Tests, Failures: suite.Failures, Errors: suite.Errors, Skipped: suite.Skipped, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return fmt.Errorf("write junit report: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
