package report

import (
	"encoding/xml"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/policies"
)

// JUnit XML as Jenkins' junit-10.xsd defines it (the schema the xunit
// plugin, GitLab and most CI readers accept).
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name      string       `xml:"name,attr"`
	Tests     int          `xml:"tests,attr"`
	Failures  int          `xml:"failures,attr"`
	Errors    int          `xml:"errors,attr"`
	Skipped   int          `xml:"skipped,attr"`
	File      string       `xml:"file,attr,omitempty"`
	Cases     []junitCase  `xml:"testcase"`
	SystemOut *junitOutput `xml:"system-out,omitempty"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	ClassName string        `xml:"classname,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	// Text keeps its line breaks as written (CDATA).
	Text string `xml:",cdata"`
}

type junitOutput struct {
	Text string `xml:",cdata"`
}

// noFile names the suite of findings without a position (live input).
const noFile = "(no file)"

// JUnit writes one test suite per input file (its file attribute), with
// one test case per finding: classname the rule id, name the resource and
// line. An unsuppressed finding fails (type = severity; the message, the
// related nodes and the remediation in the body); a suppressed or
// undetermined one is skipped, with the reason. An input error is a test
// case in error in its file's suite; warnings go to the suite's
// system-out. Inputs without findings are empty suites, so a reader sees
// every file that was checked.
func JUnit(w io.Writer, s *Scan) error {
	suites := map[string]*junitSuite{}
	suite := func(file string) *junitSuite {
		name := file
		if name == "" {
			name = noFile
		}
		if st := suites[name]; st != nil {
			return st
		}
		st := &junitSuite{Name: name, File: file}
		suites[name] = st
		return st
	}
	for _, f := range s.Findings {
		loc := f.Location()
		st := suite(loc.File)
		c := junitCase{Name: caseName(f.Resource.ID, loc), ClassName: f.RuleID}
		switch {
		case f.Suppressed:
			why := "suppressed"
			if f.Suppression != nil {
				why = fmt.Sprintf("suppressed (%s): %s", f.Suppression.Source, f.Suppression.Reason)
			}
			c.Skipped = &junitMessage{Message: why, Text: xmlText(f.Message)}
			st.Skipped++
		case f.Undetermined:
			c.Skipped = &junitMessage{Message: "undetermined: " + f.Message}
			st.Skipped++
		default:
			c.Failure = &junitMessage{Message: f.Message, Type: string(f.Severity), Text: xmlText(failureText(f))}
			st.Failures++
		}
		st.Cases = append(st.Cases, c)
	}
	for _, d := range s.Diagnostics {
		st := suite(d.Range.File)
		if d.Severity != graph.SeverityError {
			if st.SystemOut == nil {
				st.SystemOut = &junitOutput{}
			} else {
				st.SystemOut.Text += "\n"
			}
			st.SystemOut.Text += xmlText(diagnosticText(d))
			continue
		}
		st.Cases = append(st.Cases, junitCase{Name: caseName("input", d.Range), ClassName: "vpcgate.input",
			Error: &junitMessage{Message: d.Summary, Type: "input error", Text: xmlText(diagnosticText(d))}})
		st.Errors++
	}
	// Inputs with nothing to report are passing, empty suites.
	for _, in := range s.Inputs {
		covered := false
		for name := range suites {
			if name == in.Path || strings.HasPrefix(name, strings.TrimSuffix(filepath.ToSlash(in.Path), "/")+"/") {
				covered = true
				break
			}
		}
		if !covered {
			suite(in.Path)
		}
	}
	names := make([]string, 0, len(suites))
	for n := range suites {
		names = append(names, n)
	}
	sort.Strings(names)
	out := junitSuites{Name: "vpcgate"}
	for _, n := range names {
		st := suites[n]
		st.Tests = len(st.Cases)
		out.Tests += st.Tests
		out.Failures += st.Failures
		out.Errors += st.Errors
		out.Suites = append(out.Suites, *st)
	}
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

// xmlText replaces what XML 1.0 cannot hold (control characters other
// than tab and line breaks, invalid UTF-8) with U+FFFD, for CDATA, which
// the encoder writes as is.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r':
			return r
		case r < 0x20, r == 0xFFFE, r == 0xFFFF, r == utf8.RuneError:
			return '\uFFFD'
		}
		return r
	}, s)
}

// caseName is "aws_security_group.app line 12" (the line of the range,
// when known).
func caseName(id string, r graph.Range) string {
	if r.Start.Line > 0 {
		return fmt.Sprintf("%s line %d", id, r.Start.Line)
	}
	return id
}

// failureText is the body of a failed case: where, what, the related
// nodes and the remediation.
func failureText(f policies.Finding) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s [%s] %s", locationText(f.Location()), f.Severity, f.RuleID, f.Message)
	for _, r := range f.Related {
		fmt.Fprintf(&b, "\n  %s %s: %s", kindWords(r.Kind), r.ID, r.Role)
		if !r.Range.IsZero() {
			fmt.Fprintf(&b, " (%s)", r.Range.String())
		}
	}
	if f.Detail != "" {
		fmt.Fprintf(&b, "\nRemediation: %s", strings.TrimSpace(f.Detail))
	}
	return b.String()
}

func locationText(r graph.Range) string {
	if r.IsZero() {
		return "-"
	}
	return r.String()
}
