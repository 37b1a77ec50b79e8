package cloudformation

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/vpcgate/vpcgate/analyzer/graph"
	"github.com/vpcgate/vpcgate/analyzer/ingest"
	"github.com/vpcgate/vpcgate/internal/hostile"
)

// Issue 13: templates nesting 70,000 deep (JSON and YAML) are a located
// error before any parser recurses.
func TestHostileDeepTemplates(t *testing.T) {
	for name, data := range map[string]string{
		"deep.json": "{\n\"Resources\": {\"X\": {\"Type\": \"AWS::EC2::VPC\", \"Properties\": {\"Tags\": " + strings.Repeat("[", 70_000) + strings.Repeat("]", 70_000) + "}}}}",
		"deep.yaml": "Resources:\n  X:\n    Type: AWS::EC2::VPC\n    Properties:\n      Tags: " + strings.Repeat("[", 70_000) + strings.Repeat("]", 70_000) + "\n",
		"dash.yaml": "Resources:\n  X:\n    Type: AWS::EC2::VPC\n    Properties:\n      Tags:\n        " + strings.Repeat("- ", 70_000) + "x\n",
	} {
		t.Run(name, func(t *testing.T) {
			var g *graph.Graph
			hostile.Measure(func() {
				g = read(t, name, data, Options{Options: ingest.Options{Limits: ingest.Limits{MaxDepth: 256}}})
			}).Check(t)
			errs := diagnostics(g, graph.SeverityError)
			if !strings.Contains(errs, name+":") || !strings.Contains(errs, "deeper than 256 levels") || !strings.Contains(errs, "Limits.MaxDepth") {
				t.Errorf("errors %q: want the file, line and limit", errs)
			}
		})
	}
}

// Invalid UTF-8 in a template is a located error.
func TestHostileInvalidUTF8(t *testing.T) {
	g := read(t, "bad.yaml", "Resources:\n  X:\n    Type: AWS::EC2::VPC\n    Properties: {CidrBlock: \"10.0.0.0/16\xff\"}\n", Options{})
	if errs := diagnostics(g, graph.SeverityError); !strings.Contains(errs, "bad.yaml:4:") || !strings.Contains(errs, "invalid UTF-8") {
		t.Errorf("errors %q", errs)
	}
}

// The resources of a template claim the analysis budget; past it one error
// names the first resource left out and how to raise the limit.
func TestHostileResourceBudget(t *testing.T) {
	var b strings.Builder
	b.WriteString("Resources:\n")
	for i := range 5000 {
		fmt.Fprintf(&b, "  SG%d: {Type: AWS::EC2::SecurityGroup, Properties: {GroupDescription: x}}\n", i)
	}
	budget := ingest.NewBudget(1000)
	g := read(t, "many.yaml", b.String(), Options{Options: ingest.Options{Budget: budget}})
	errs := diagnostics(g, graph.SeverityError)
	if strings.Count(errs, "reached its limit") != 1 || !strings.Contains(errs, "many.yaml:1002:") || !strings.Contains(errs, "SG1000") {
		t.Errorf("errors %q: want one budget error at SG1000", errs)
	}
	if n := len(g.Nodes()); n > 1000 {
		t.Errorf("%d nodes, over the budget", n)
	}
}

// A given parameter that no template declares is a warning, naming the
// parameter file that set it.
func TestUndeclaredParameter(t *testing.T) {
	dir := t.TempDir()
	pf := filepath.Join(dir, "params.json")
	if err := os.WriteFile(pf, []byte(`{"Parameters": {"VpcCidr": "10.0.0.0/16", "Typo": "x"}}`), 0o644); err != nil {
		t.Fatal(err)
	}
	g := read(t, "t.yaml", "Parameters:\n  VpcCidr: {Type: String}\nResources:\n  V: {Type: AWS::EC2::VPC, Properties: {CidrBlock: !Ref VpcCidr}}\n",
		Options{ParameterFiles: []string{pf}, Parameters: map[string]string{"Other": "y"}})
	warns := diagnostics(g, graph.SeverityWarning)
	if !strings.Contains(warns, "parameter Typo is set in "+pf+", but no template declares it") ||
		!strings.Contains(warns, "parameter Other is given (Parameters), but no template declares it") ||
		strings.Contains(warns, "parameter VpcCidr") {
		t.Errorf("warnings %q", warns)
	}
}

// FuzzParseParameterFile: a parameter file never panics the reader.
func FuzzParseParameterFile(f *testing.F) {
	for _, s := range []string{`[{"ParameterKey": "A", "ParameterValue": "b"}]`, `{"Parameters": {"A": 1}}`, `{"A": ["x", "y"]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if checkText("p.json", data, 0) != nil {
			return
		}
		_, _ = parseParameterFile(data)
	})
}
